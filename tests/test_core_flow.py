"""Batched gradient flow: closed forms at a time and at the limit, convergence reports."""

from __future__ import annotations

import numpy as np
import pytest

from verify.core.flow import gradient_flow
from verify.core.measures import balancedness
from verify.core.networks import SquaredLoss, WhitenedLoss, end_to_end
from verify.errors import VerifyError


def _scalar_net(first: np.ndarray, second: np.ndarray) -> list[np.ndarray]:
    return [first[:, None, None].copy(), second[:, None, None].copy()]


@pytest.mark.parametrize("method", ["LSODA", "DOP853"])
def test_balanced_scalar_flow_matches_logistic_solution(method: str) -> None:
    """w1 = w2 = w, L = (w^2 - phi)^2 / 2: u = w^2 solves u' = -2u(u - phi)."""
    rng = np.random.default_rng(0)
    phi = rng.uniform(0.5, 2.0, 20)
    u0 = rng.uniform(0.01, 0.5, 20)
    w0 = np.sqrt(u0)
    result = gradient_flow(_scalar_net(w0, w0), WhitenedLoss(phi[:, None, None]), 3.0,
                           method=method)
    exact = phi / (1 + (phi / u0 - 1) * np.exp(-2 * phi * 3.0))
    np.testing.assert_allclose(result.weights[0][:, 0, 0] ** 2, exact, atol=1e-9)
    assert result.converged.all() and set(result.status) == {"time"}
    np.testing.assert_allclose(result.t, 3.0)


def test_unbalanced_limit_and_conservation() -> None:
    """w1^2 - w2^2 is conserved; the limit has w1 w2 = phi (closed form for w1^2)."""
    rng = np.random.default_rng(1)
    phi = rng.uniform(0.5, 2.0, 30)
    a, b = rng.uniform(0.5, 1.5, 30), rng.uniform(0.1, 0.5, 30)
    c = a**2 - b**2
    result = gradient_flow(_scalar_net(a, b), WhitenedLoss(phi[:, None, None]), until_grad=1e-12)
    assert result.converged.all() and set(result.status) == {"grad"}
    w1 = result.weights[0][:, 0, 0]
    np.testing.assert_allclose(w1**2, (c + np.sqrt(c**2 + 4 * phi**2)) / 2, atol=1e-9)
    np.testing.assert_allclose(balancedness(result.weights), np.abs(c), atol=1e-9)
    assert np.all(result.grad_norm <= 1e-12)


def test_long_horizon_and_matrix_limit() -> None:
    """t = 1e6 is reachable; a balanced deep net converges to Phi (whitened loss)."""
    rng = np.random.default_rng(2)
    Q = np.linalg.qr(rng.standard_normal((5, 3, 3)))[0]
    weights = [0.9 * np.eye(3) + 0.1 * np.zeros((5, 3, 3)) for _ in range(3)]
    Phi = np.eye(3) + 0.2 * (Q - np.eye(3))
    result = gradient_flow(weights, WhitenedLoss(Phi), 1e6)
    assert result.converged.all()
    np.testing.assert_allclose(end_to_end(result.weights), Phi, atol=1e-9)
    assert result.nfev < 20_000


def test_until_loss_and_status_reports() -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 6))
    Y = rng.standard_normal((2, 6))
    weights = [0.5 * rng.standard_normal((4, 2, 2)) + np.eye(2) for _ in range(2)]
    loss = SquaredLoss(X, Y)
    floor = float(np.min(SquaredLoss(X, Y).value(
        (Y @ np.linalg.pinv(X))[None])))
    result = gradient_flow(weights, loss, until_loss=floor + 1e-6, max_time=1e4)
    assert result.status.dtype.kind == "U"
    met = result.status == "loss"
    assert np.all(result.loss[met] <= floor + 1e-6)
    assert np.all(np.isfinite(result.last_change))
    capped = gradient_flow(weights, loss, until_grad=0.0, max_time=4.0)
    assert set(capped.status) == {"max_time"} and not capped.converged.any()
    with pytest.raises(VerifyError):
        gradient_flow(weights, loss)
