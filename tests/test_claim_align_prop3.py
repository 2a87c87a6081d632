"""ALIGN-Prop3: derivation helpers."""


import numpy as np

from theorems.alignment.prop3 import CLAIM, aligned_balanced, derive, nuclear_norm


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_holds():
    assert derive().holds


def test_aligned_balanced_pair_is_optimal_and_beats_random_factorizations():
    rng = np.random.default_rng(1)
    W1, W2 = rng.normal(size=(50, 2, 3)), rng.normal(size=(50, 3, 2))
    P = W2 @ W1
    A1, A2 = aligned_balanced(P, np.broadcast_to(np.eye(2), (50, 2, 2)).copy())
    np.testing.assert_allclose(A2 @ A1, P, atol=1e-12)
    cost = np.sum(A1 ** 2, axis=(1, 2)) + np.sum(A2 ** 2, axis=(1, 2))
    np.testing.assert_allclose(cost, 2 * nuclear_norm(P), rtol=1e-12)
    assert np.all(np.sum(W1 ** 2, axis=(1, 2)) + np.sum(W2 ** 2, axis=(1, 2)) >= cost)
    np.testing.assert_allclose(A1 @ np.swapaxes(A1, 1, 2), np.swapaxes(A2, 1, 2) @ A2,
                               atol=1e-12)
