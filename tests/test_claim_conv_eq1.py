"""CONV-Eq1 (§2 eq. (1), App. A): derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.convergence.eq1 import (
    PRINTED,
    derive_family,
    derive_lines,
    finite_difference_gap,
    whitened_data,
)


def test_appendix_a_lines_and_family():
    assert derive_lines(2, 2, 3)[0]
    assert derive_family(1)[0]
    assert finite_difference_gap(seed=3) < 1e-7


def test_sampled_data_is_whitened():
    import numpy as np

    rng = np.random.default_rng(0)
    batch = PRINTED.domain.sample(rng, 8, {"dy": 2, "dx": 3, "m": 4})
    X = whitened_data(batch)
    gram = X @ np.swapaxes(X, -1, -2) / 4
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(3), (8, 3, 3)), atol=1e-12)
