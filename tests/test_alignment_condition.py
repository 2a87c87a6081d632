"""Tests of verify.core.alignment_condition: the commutator criterion for Theorem 1's data
condition, both directions, on constructed examples (including degenerate ones)."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from verify.core.alignment_condition import (
    commutator,
    condition_defect,
    condition_defect_exact,
    condition_holds,
    condition_holds_exact,
    offdiagonal_defect,
    witness,
)


def _orth(rng: np.random.Generator, k: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((k, k)))
    return q * np.sign(np.diagonal(r))


def _diag(rows: int, cols: int, values) -> np.ndarray:
    D = np.zeros((rows, cols))
    m = min(rows, cols)
    D[np.arange(m), np.arange(m)] = np.asarray(values, dtype=float)[:m]
    return D


def _assert_witness(X: np.ndarray, Y: np.ndarray) -> None:
    U, V = witness(X, Y)
    assert np.allclose(U.T @ U, np.eye(U.shape[0]), atol=1e-10)
    assert np.allclose(V.T @ V, np.eye(V.shape[0]), atol=1e-10)
    for M in (U.T @ Y @ X.T @ V, V.T @ X @ X.T @ V):
        off, size = offdiagonal_defect(M)
        assert off <= 1e-9 * max(size, 1.0)


def test_necessity_symbolic():
    """U^T A V = S, V^T B V = D diagonal => V^T [B, A^T A] V = D S^T S - S^T S D = 0."""
    D = sp.diag(*sp.symbols("d1:4"))
    S = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"s{i + 1}") if i == j else 0).T  # 2 x 3
    assert sp.expand(D * S.T * S - S.T * S * D) == sp.zeros(3, 3)


def test_necessity_numeric():
    """Data built as A = U S V^T, B = V D V^T (any U, V, diagonal S, D) commute."""
    rng = np.random.default_rng(1)
    for k0, kd in [(2, 2), (3, 2), (2, 4)]:
        V, U = _orth(rng, k0), _orth(rng, kd)
        A = U @ _diag(kd, k0, rng.standard_normal(k0)) @ V.T
        B = V @ np.diag(rng.standard_normal(k0) ** 2) @ V.T
        G = A.T @ A
        assert np.abs(B @ G - G @ B).max() < 1e-12


@pytest.mark.parametrize("k0,kd,n", [(2, 2, 2), (3, 3, 5), (3, 2, 4), (2, 3, 1), (4, 4, 2)])
def test_criterion_accepts_constructed_condition(k0, kd, n):
    """Data built from U, V and diagonal factors (X, Y sharing right singular vectors)."""
    rng = np.random.default_rng(k0 * 100 + kd * 10 + n)
    for trial in range(5):
        V, U, W = _orth(rng, k0), _orth(rng, kd), _orth(rng, n)
        sx = rng.standard_normal(min(k0, n))
        sy = rng.standard_normal(min(kd, n))
        if trial % 2:  # degenerate: zeros and ties
            sx[0] = 0.0
            sx[-1] = sx[min(1, sx.size - 1)]
        X = V @ _diag(k0, n, sx) @ W.T
        Y = U @ _diag(kd, n, sy) @ W.T
        assert condition_holds(X[None], Y[None], rtol=1e-9)[0]
        assert np.abs(commutator(X, Y)).max() < 1e-10
        _assert_witness(X, Y)


def test_criterion_accepts_repeated_eigenvalues_with_mixing():
    """X X^T = I (so any V diagonalises it) with A^T A not diagonal in the standard basis."""
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    Y = np.array([[1.0, 2.0, 5.0], [3.0, -1.0, 7.0]])
    assert condition_holds_exact(X, Y)
    _assert_witness(X, Y)
    # a repeated eigenvalue of B with A^T A mixing that eigenspace, plus a separate block
    rng = np.random.default_rng(4)
    V = _orth(rng, 3)
    X = V @ np.diag([2.0, 2.0, 1.0])
    G_block = np.array([[2.0, 1.0], [1.0, 3.0]])
    Gd = np.zeros((3, 3))
    Gd[:2, :2] = G_block
    Gd[2, 2] = 0.5
    G = V @ Gd @ V.T  # commutes with B = V diag(4, 4, 1) V^T
    A = np.linalg.cholesky(G + 0 * np.eye(3)).T  # A^T A = G
    Y = A @ np.linalg.inv(X.T)  # Y X^T = A
    assert condition_holds(X[None], Y[None], rtol=1e-9)[0]
    _assert_witness(X, Y)


def test_criterion_accepts_rank_deficient_and_zero_data():
    X = np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])
    Y = np.array([[3.0, 6.0], [1.0, 2.0]])
    assert condition_holds_exact(X, Y)
    _assert_witness(X, Y)
    Z = np.zeros((2, 3))
    assert condition_holds_exact(Z, np.ones((2, 3)))
    _assert_witness(Z, np.ones((2, 3)))


def test_criterion_rejects_and_no_witness_exists_k2():
    """k = 2 and B with distinct eigenvalues: V is forced (up to signs and order), so the
    condition holds iff the columns of A V are orthogonal -- an independent test."""
    rng = np.random.default_rng(7)
    agree = {True: 0, False: 0}
    for trial in range(200):
        X = rng.integers(-3, 4, size=(2, 3)).astype(float)
        Y = rng.integers(-3, 4, size=(2, 3)).astype(float)
        if trial % 3 == 0:  # make some satisfy it: Y = M X with M X X^T ... symmetric-ish
            Y = np.diag(rng.integers(-2, 3, size=2)).astype(float) @ X
        A, B = Y @ X.T, X @ X.T
        evals, V = np.linalg.eigh(B)
        if abs(evals[1] - evals[0]) < 1e-9:
            continue
        cols = A @ V
        direct = abs(cols[:, 0] @ cols[:, 1]) < 1e-9
        assert condition_holds_exact(X, Y) == direct
        agree[direct] += 1
    assert agree[True] > 10 and agree[False] > 10


def test_generic_data_fails_exactly_and_in_float():
    X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 1.0]])
    Y = np.array([[1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    excess, scale = condition_defect_exact(X, Y)
    assert excess > 0 and isinstance(excess, Fraction)
    fe, fs = condition_defect(X[None], Y[None])
    assert fe[0] == pytest.approx(float(excess)) and fs[0] == pytest.approx(float(scale))
    assert not condition_holds(X[None], Y[None])[0]


def test_exact_accepts_fraction_entries():
    X = np.array([[Fraction(1, 3), Fraction(0)], [Fraction(0), Fraction(2, 7)]], dtype=object)
    assert condition_holds_exact(X, X)


def test_offdiagonal_defect_rectangular():
    M = np.array([[[1.0, 0.0, 3.0], [0.0, 2.0, 0.0]]])
    off, size = offdiagonal_defect(M)
    assert off[0] == pytest.approx(3.0) and size[0] == pytest.approx(np.sqrt(14.0))
