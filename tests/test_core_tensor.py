"""Linear tensor networks: tensor forms vs direct forms, gradients, GD and a closed-form limit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from verify.core import tensor_networks as tn
from verify.core.flow import tensor_gradient_flow
from verify.errors import VerifyError

NETS = [tn.diagonal(4, 3), tn.conv(5, [2, 3, 5]), tn.conv(4, [1, 4]), tn.conv(3, [3, 3, 3]),
        tn.fully_connected([3, 2, 4]), tn.fully_connected([2, 3])]
GENERAL = tn.general(np.random.default_rng(7).standard_normal((3, 2, 3, 2)))
"""A network from an arbitrary data tensor (d = 3, sizes (2, 3, 2))."""


def _star(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Circular convolution of seed 003: [a * b]_i = sum_j a_{(i+j-1) mod d} b_j."""
    d = len(a)
    return np.array([sum(a[(i + j) % d] * b[j] for j in range(len(b))) for i in range(d)])


def _direct_output(net: tn.TensorNetwork, params: list, x: np.ndarray) -> float:
    """f(x) from the architectures' own definitions (seed 003, eqs. (3)-(5)), one trial."""
    if net.kind == "diagonal":
        h = x
        for w in params[:-1]:
            h = h * w
        return float(h @ params[-1])
    if net.kind == "conv":
        h = x
        for w in params[:-1]:
            h = _star(h, w)
        return float(h @ params[-1])
    h = x
    for l, v in enumerate(params[:-1]):
        h = h @ v.reshape((net.widths[l], net.widths[l + 1]), order="F")
    return float(h @ params[-1])


@pytest.mark.parametrize("net", NETS, ids=lambda n: f"{n.kind}{n.sizes}")
def test_tensor_and_direct_forms_agree(net: tn.TensorNetwork) -> None:
    rng = np.random.default_rng(sum(net.sizes))
    params = net.init(rng, 3)
    X = rng.standard_normal((5, net.d))
    y = rng.standard_normal(5)
    np.testing.assert_allclose(tn.beta(net, params), tn.beta_tensor(net, params), atol=1e-13)
    out = tn.forward(net, params, X)
    np.testing.assert_allclose(out, tn.forward_tensor(net, params, X), atol=1e-13)
    for b in range(3):
        single = [p[b] for p in params]
        assert out[b, 0] == pytest.approx(_direct_output(net, single, X[0]), abs=1e-12)
    for loss in (tn.regression_loss(X, y), tn.classification_loss(0.3 * X, np.sign(y))):
        direct = tn.gradients(net, params, loss)
        tensor = tn.gradients_tensor(net, params, loss)
        for g1, g2, k in zip(direct, tensor, net.sizes, strict=True):
            assert g1.shape == (3, k)
            np.testing.assert_allclose(g1, g2, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("net", [*NETS[:5], GENERAL], ids=lambda n: f"{n.kind}{n.sizes}")
def test_gradients_match_finite_differences(net: tn.TensorNetwork) -> None:
    rng = np.random.default_rng(1 + sum(net.sizes))
    params = net.init(rng, 2)
    X = rng.standard_normal((4, net.d))
    loss = tn.regression_loss(X, rng.standard_normal(4))
    grads = tn.gradients(net, params, loss)
    h = 1e-6
    for l in range(net.depth):
        for k in range(net.sizes[l]):
            plus = [p.copy() for p in params]
            minus = [p.copy() for p in params]
            plus[l][:, k] += h
            minus[l][:, k] -= h
            fd = (loss.value(tn.beta(net, plus)[:, None, :])
                  - loss.value(tn.beta(net, minus)[:, None, :])) / (2 * h)
            np.testing.assert_allclose(fd, grads[l][:, k], rtol=1e-6, atol=1e-6)


def test_data_tensor_structure() -> None:
    x = np.array([1.0, 2.0, 3.0])
    M = tn.data_tensor(tn.diagonal(3, 3), x)
    assert M[1, 1, 1] == 2.0 and np.count_nonzero(M) == 3
    C = tn.data_tensor(tn.conv(3, [2, 3]), x)
    np.testing.assert_array_equal(C, [[1, 2, 3], [2, 3, 1]])
    F = tn.data_tensor(tn.fully_connected([3, 2]), x)
    np.testing.assert_array_equal(F, np.kron(np.eye(2), x[:, None]))
    with pytest.raises(VerifyError):
        tn.conv(4, [5, 4])


def test_gd_batch_equals_single_trials() -> None:
    rng = np.random.default_rng(2)
    net = tn.conv(4, [2, 4])
    params = net.init(rng, 6, scale=0.5)
    X = rng.standard_normal((3, 4))
    loss = tn.regression_loss(X, rng.standard_normal(3))
    run = tn.gd(net, params, loss, 0.05, steps=20, record_every=10)
    assert run.losses.shape == (3, 6) and np.all(run.losses[-1] < run.losses[0])
    for i in (0, 5):
        single = [p[i: i + 1] for p in params]
        for _ in range(20):
            single = tn.gd_step(net, single, loss, 0.05)
        for a, b in zip(run.params, single, strict=True):
            np.testing.assert_allclose(a[i], b[0], rtol=1e-12, atol=1e-14)


def test_theorem6_limit_points() -> None:
    """Gradient flow limits of a 2-layer conv network with filter size 2 on one data point
    match the closed form of seed 003, Theorem 6, to 1e-8."""
    rng = np.random.default_rng(5)
    net = tn.conv(4, [2, 4])
    x = rng.standard_normal(4)
    y, alpha = 1.3, 0.5
    U1, s, U2t = np.linalg.svd(tn.data_tensor(net, x), full_matrices=False)
    U2 = U2t.T
    B = 4
    v1bar = U1 @ rng.uniform(1.0, 1.5, (B, 2)).T * rng.choice([-1, 1], (2, B))
    v1bar = v1bar.T
    v2bar = 0.2 * rng.standard_normal((B, 4))
    a, b = v1bar @ U1, v2bar @ U2
    assert np.all(a**2 - b**2 > 0.1)
    result = tensor_gradient_flow(net, [alpha * v1bar, alpha * v2bar],
                                  tn.regression_loss(x[None, :], np.array([y])),
                                  until_grad=1e-12)
    assert result.converged.all()
    for i in range(B):
        def g(nu: float, i: int = i) -> float:
            return float(np.sum(s * ((a[i]**2 + b[i]**2) / 2 * np.sinh(2 * s * nu)
                                     + a[i] * b[i] * np.cosh(2 * s * nu)))) - y / alpha**2
        nu = brentq(g, -50, 50, xtol=1e-15)
        c, sh = np.cosh(nu * s), np.sinh(nu * s)
        v1 = alpha * U1 @ (a[i] * c + b[i] * sh) + alpha * (v1bar[i] - U1 @ a[i])
        v2 = alpha * U2 @ (a[i] * sh + b[i] * c) + alpha * (v2bar[i] - U2 @ b[i])
        np.testing.assert_allclose(result.weights[0][i], v1, atol=1e-8)
        np.testing.assert_allclose(result.weights[1][i], v2, atol=1e-8)


def test_general_data_tensor_networks() -> None:
    rng = np.random.default_rng(7)
    for net in NETS[:5]:
        twin = tn.general(tn.basis_tensor(net))
        assert twin.kind == "tensor" and twin.sizes == net.sizes and twin.d == net.d
        params = net.init(rng, 2)
        X = rng.standard_normal((4, net.d))
        loss = tn.classification_loss(0.3 * X, np.sign(rng.standard_normal(4)))
        np.testing.assert_allclose(tn.beta(twin, params), tn.beta(net, params), atol=1e-12)
        for g1, g2 in zip(tn.gradients(twin, params, loss), tn.gradients(net, params, loss),
                          strict=True):
            np.testing.assert_allclose(g1, g2, rtol=1e-10, atol=1e-12)
    with pytest.raises(VerifyError):
        tn.general(np.ones((3, 2)))
