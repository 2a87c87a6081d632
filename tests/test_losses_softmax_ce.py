"""verify.core.losses.SoftmaxCrossEntropyLoss: values, gradients (finite differences), ball twin."""

import flint
import numpy as np
import pytest

from verify.core.hp import FMPQ, arb_backend, precision
from verify.core.losses import SoftmaxCrossEntropyLoss
from verify.core.networks import layer_gradients
from verify.errors import VerifyError


def _data(seed=0, k0=4, k=3, n=6):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((k0, n)), np.eye(k)[:, rng.integers(0, k, n)], rng


def test_value_is_the_mean_cross_entropy():
    X, Y, rng = _data()
    W = rng.standard_normal((2, 3, 4))
    Z = W @ X
    p = np.exp(Z) / np.exp(Z).sum(axis=-2, keepdims=True)
    expected = -np.sum(Y * np.log(p), axis=(-2, -1)) / (2 * X.shape[1])
    assert np.allclose(SoftmaxCrossEntropyLoss(X, Y).value(W), expected)
    assert np.allclose(SoftmaxCrossEntropyLoss(X, Y, "sum").value(W),
                       expected * 2 * X.shape[1])
    assert np.allclose(SoftmaxCrossEntropyLoss(X, Y).value_and_grad(W)[1],
                       (p - Y) @ X.T / (2 * X.shape[1]))


@pytest.mark.parametrize("soft", [False, True])
def test_gradient_matches_finite_differences(soft):
    X, Y, rng = _data(1)
    if soft:  # probability-vector targets whose columns do not sum to 1 exercise diag(s)
        Y = rng.uniform(0.1, 1.0, Y.shape)
    loss = SoftmaxCrossEntropyLoss(X, Y)
    W = rng.standard_normal((1, 3, 4))
    G = loss.grad(W)
    h = 1e-6
    for i in range(3):
        for j in range(4):
            E = np.zeros_like(W)
            E[0, i, j] = h
            fd = (loss.value(W + E) - loss.value(W - E)) / (2 * h)
            assert abs(fd[0] - G[0, i, j]) < 1e-7


def test_batched_data_and_large_logits_are_stable():
    X, Y, rng = _data(2)
    Xb = np.stack([X, 2 * X])
    W = 1e3 * rng.standard_normal((2, 3, 4))
    v, g = SoftmaxCrossEntropyLoss(Xb, Y).value_and_grad(W)
    assert np.all(np.isfinite(v)) and np.all(np.isfinite(g))


def test_ball_twin_encloses_float_and_layer_gradients():
    X, Y, rng = _data(3)
    loss = SoftmaxCrossEntropyLoss(X, Y)
    weights = [rng.standard_normal((1, 5, 4)), rng.standard_normal((1, 3, 5))]
    grads = layer_gradients(weights, loss)
    xp = arb_backend(30)
    with precision(xp):
        ball = [xp.asmat(w[0]) for w in weights]
        value, _ = loss.value_and_grad(ball[1] * ball[0], xp)
        ball_grads = layer_gradients(ball, loss, xp)
    assert abs(float(value.mid()) - loss.value(weights[1] @ weights[0])[0]) < 1e-12
    for G, B in zip(grads, ball_grads, strict=True):
        assert isinstance(B, flint.arb_mat)
        assert np.allclose(G[0], [[float(B[i, j].mid()) for j in range(B.ncols())]
                                  for i in range(B.nrows())], atol=1e-12)


def test_exact_rational_backend_is_refused():
    X, Y, _ = _data(4)
    W = FMPQ.asmat(np.zeros((3, 4), dtype=int))
    with pytest.raises(VerifyError):
        SoftmaxCrossEntropyLoss(X.round(), Y).value_and_grad(W, FMPQ)
