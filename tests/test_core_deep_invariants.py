"""verify.core.deep_invariants: the paper's h-hidden-layer network on the core, exact measures."""

from __future__ import annotations

from fractions import Fraction as F

import flint
import numpy as np

from verify import linalg_exact as lx
from verify.core import deep_invariants as di


def _manual_gradients(A, b, Ws, x):
    y = x
    for W in reversed(Ws):
        y = W @ y
    r = A @ y - b
    grads = []
    for j in range(len(Ws)):
        left = np.eye(A.shape[1])
        for W in Ws[:j]:
            left = left @ W
        right = x
        for W in reversed(Ws[j + 1:]):
            right = W @ right
        grads.append(np.outer((A @ left).T @ r, right))
    prod = np.eye(A.shape[1])
    for W in Ws:
        prod = prod @ W
    return grads, (A @ prod).T @ r


def test_gradients_and_step_match_the_chain_rule() -> None:
    rng = np.random.default_rng(0)
    A, b, x = rng.normal(size=(2, 4)), rng.normal(size=2), rng.normal(size=4)
    Ws = [rng.normal(size=(4, 4)) for _ in range(3)]
    loss = di.regression_loss(A[None], b[None])
    grads, gx = di.gradients([W[None] for W in Ws], x[None], loss)
    want, want_x = _manual_gradients(A, b, Ws, x)
    for G, M in zip(grads, want, strict=True):
        assert np.allclose(G[0], M, atol=1e-12)
    assert np.allclose(gx[0], want_x, atol=1e-12)
    new_Ws, new_x = di.step([W[None] for W in Ws], x[None], loss, 0.1)
    assert np.allclose(new_Ws[1][0], Ws[1] - 0.1 * want[1])
    assert np.allclose(new_x[0], x - 0.1 * want_x)
    assert np.allclose(di.product([W[None] for W in Ws], x[None])[0], Ws[0] @ Ws[1] @ Ws[2] @ x)


def test_exact_trajectory_matches_float() -> None:
    rng = np.random.default_rng(1)
    A, b, x = rng.uniform(-1, 1, (1, 3)), rng.uniform(-1, 1, 1), rng.uniform(-1, 1, 3)
    Ws = [rng.uniform(-1, 1, (3, 3)) for _ in range(2)]
    exact = di.exact_trajectory(A, b, Ws, x, F(1, 8), 3)
    floats = list(di.float_trajectory(A[None], b[None], [W[None] for W in Ws], x[None],
                                      0.125, 3))
    assert len(exact) == len(floats) == 4
    got = lx.to_fractions(exact[-1][0][1]).astype(float)
    assert np.allclose(got, floats[-1][0][1][0], atol=1e-14)


def test_exact_measures() -> None:
    M = lx.matrix([[F(1), F(0)], [F(0), F(0)], [F(0), F(1)]])
    assert di.column_space_residual(M, lx.column([F(2), F(3), F(5)])) == 9
    assert di.column_space_residual(flint.fmpq_mat(3, 2), lx.column([1, 1, 1])) == 3
    L, R = lx.matrix([[1], [2]]), lx.matrix([[1, 1]])
    assert di.factor_residual(lx.matrix([[3, 3], [6, 6]]), L, R) == 0
    assert di.factor_residual(lx.matrix([[1, 0], [0, 0]]), L, R) > 0
    W = lx.matrix([[1, 2], [3, 4]])
    assert di.outside_pattern(W, keep_col=0) == 4 + 16
    assert di.outside_pattern(W, keep_row=0) == 9 + 16
