"""INIT-Alg3 (seed 004, §3): derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.initialization import alg2, alg3

CLAIM = alg3.CLAIM
F = Fraction


def test_rational_unit_vector():
    u = alg2.unit_from_exact([F(1, 2), F(3), F(7)])
    assert sum(u[i, 0] ** 2 for i in range(3)) == 1
    assert np.allclose(alg2.unit_from(np.array([[0.5, 3.0, 7.0]]))[0],
                       [float(u[i, 0].p) / float(u[i, 0].q) for i in range(3)])


def test_derivation_lines():
    lines = alg3.derivation_lines(1, 2)
    assert [k for k, ok in lines.items() if not ok] == list(alg3.WRONG_AS_PRINTED)


def test_box_exact_and_text_departs():
    inst = alg3.COUNTEREXAMPLE
    assert alg3.iterates_hp("boxed")(inst, 40)[0] == 0
    assert alg3.iterates_hp("text-corrected")(inst, 40)[0] == 0
    assert alg3.iterates_hp("text")(inst, 40)[0] > 0


def test_limits_need_rho_squared():
    inst = {**alg3.COUNTEREXAMPLE, "alpha": F(1, 4)}
    printed, _ = alg3.limits_hp(1)(inst, 40)
    corrected, scale = alg3.limits_hp(2)(inst, 40)
    assert corrected < 1e-20 * scale and printed > 1e-3 * scale


def test_float_margin_stable_near_the_saddle():
    """A A^T v_0 = -b: GD and the box head for the saddle W = 0, x = 0, where both recursions
    amplify rounding (the box's v_k by (1 + a)/(1 - a) per step); two independent float runs
    part ways (excess O(1) after 200 steps), the per-step comparison stays at rounding level."""
    domain = alg3.domain()
    batch = domain.assemble({"A": np.array([[[1.0, 0.0]]]), "b": np.array([[-1.0]]),
                             "t": np.array([[0.919599, 0.919599]]), "v0": np.array([[1.0]]),
                             "step": np.array([1.0])}, {"n": 1, "d": 2, "deficient": 0})
    excess, scale = alg3.iterates_float("boxed", alg3.FLOAT_STEPS)(batch)
    assert excess[0] < 1e-12 * scale[0]
    excess, scale = alg3.iterates_float("output-rho", alg3.FLOAT_STEPS)(batch)
    assert excess[0] > 1e-3 * scale[0]
