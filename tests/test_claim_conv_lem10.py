"""CONV-Lem10 (App. D.4): moments and the proof's typo.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence import lem10 as MODULE


def test_moment_derivation_and_typo():
    outcome = MODULE.derive_moments()
    assert outcome.holds is True and "FAILED" not in outcome.details
    assert MODULE.printed_diagonal_moment(1, 1) == 5 and MODULE.diagonal_moment(1, 1) == 4


def test_second_moment_matches_sampling():
    rng = np.random.default_rng(3)
    a, b, d = 3, 2, 5
    A = rng.standard_normal((200_000, a, d))
    B = rng.standard_normal((200_000, d, b))
    X = np.swapaxes(A, 1, 2) @ A - B @ np.swapaxes(B, 1, 2)
    diag = np.mean(X[:, 0, 0] ** 2)
    total = np.mean(np.sum(X**2, axis=(1, 2)))
    assert abs(diag - MODULE.diagonal_moment(a, b)) < 0.05 * MODULE.diagonal_moment(a, b)
    assert abs(total - MODULE.second_moment(a, b, d)) < 0.02 * MODULE.second_moment(a, b, d)


def test_sorted_norms_match_direct_computation():
    norms = MODULE._sorted_norms(2, 3, 4)
    assert norms.shape == (MODULE.MC_SAMPLES,) and np.all(np.diff(norms) >= 0)
    assert abs(np.mean(norms**2) - MODULE.second_moment(2, 3, 4)) < 0.05 * \
        MODULE.second_moment(2, 3, 4)


def test_markov_route_is_exact():
    m = MODULE.markov_prop()
    excess, _ = m.margin_hp({"a": 7, "b": 2, "d": 11}, 30)
    assert excess == MODULE.second_moment(7, 2, 11) - MODULE.threshold_sq(7, 2, 11) < 0
    excess, _ = MODULE.tail_prop(MODULE.Reading(d_squared=False)).margin_hp(
        {"a": 1, "b": 1, "d": 40, "k": Fraction(3), "s": Fraction(1)}, 40)
    assert excess > 0
