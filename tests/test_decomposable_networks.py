"""Engine tests for verify.core.decomposable_networks (eq. (9) networks of seed 003)."""

import numpy as np
import pytest

from verify.core import decomposable_networks as dn
from verify.core import decompositions as dc
from verify.core import max_margin as mm
from verify.core import tensor_networks as tn


@pytest.mark.parametrize(("kind", "d", "L"), [("diagonal", 3, 2), ("diagonal", 2, 3),
                                              ("conv", 3, 2), ("conv", 4, 3)])
def test_matches_tensor_networks(kind: str, d: int, L: int) -> None:
    """beta, gradients and the data tensor agree with the shared engine (diag, conv)."""
    rng = np.random.default_rng(0)
    net = dn.from_decomposition(dc.decomposition(kind, d, L))
    ref = tn.diagonal(d, L) if kind == "diagonal" else tn.conv(d, [d] * L)
    params = ref.init(rng, 4)
    X, y = rng.standard_normal((2, d)), np.array([1.0, -1.0])
    loss = tn.classification_loss(X, y)
    v1, g1 = tn.value_and_gradients(ref, params, loss)
    v2, g2 = dn.value_and_gradients(net, params, loss)
    np.testing.assert_allclose(dn.beta(net, params), tn.beta(ref, params), atol=1e-12)
    np.testing.assert_allclose(v2, v1, rtol=1e-12)
    for a, b in zip(g1, g2, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-9 * np.abs(a).max())
    np.testing.assert_allclose(np.real(dn.data_tensor(net, X)), tn.data_tensor(ref, X),
                               atol=1e-12)


def test_gradient_finite_differences_synthetic() -> None:
    """Gradients of a synthetic eq.-(9) network against central differences."""
    rng = np.random.default_rng(1)
    net = dn.synthetic(2, 2, 3, [4, 4, 4])
    params = [rng.standard_normal((1, 4)) for _ in range(3)]
    X, y = rng.standard_normal((3, 2)), np.array([1.0, -1.0, 1.0])
    loss = tn.classification_loss(X, y)
    _, grads = dn.value_and_gradients(net, params, loss)
    h = 1e-6
    for l in range(3):
        for a in range(4):
            plus = [p.copy() for p in params]
            minus = [p.copy() for p in params]
            plus[l][0, a] += h
            minus[l][0, a] -= h
            fd = (dn.value_and_gradients(net, plus, loss)[0]
                  - dn.value_and_gradients(net, minus, loss)[0]) / (2 * h)
            assert abs(fd[0] - grads[l][0, a]) <= 1e-6 * max(1.0, abs(fd[0]))


def test_synthetic_orthonormal_and_full_rank() -> None:
    net = dn.synthetic(0, 3, 4, [5, 5])
    for u in net.U:
        np.testing.assert_allclose(u.T @ u, np.eye(4), atol=1e-12)
    assert np.linalg.svd(net.S, compute_uv=False)[-1] >= 0.5 - 1e-12


def test_with_gap_keeps_real_and_outside_range() -> None:
    """The repair reaches the gap, keeps conv parameters real and leaves the part of v outside
    range(U) unchanged (synthetic, k > m)."""
    rng = np.random.default_rng(2)
    conv = dn.from_decomposition(dc.decomposition("conv", 4, 3))
    params = [rng.standard_normal((3, 4)) for _ in range(3)]
    new = dn.with_gap(conv, params, 0.1)
    assert all(np.isrealobj(p) for p in new)
    assert dn.gaps(conv, new).min() >= 0.1 - 1e-9
    syn = dn.synthetic(1, 2, 2, [3, 3])
    params = [rng.standard_normal((2, 3)) for _ in range(2)]
    new = dn.with_gap(syn, params, 0.1)
    for u, p, q in zip(syn.U, params, new, strict=True):
        perp = np.eye(3) - u @ u.T
        np.testing.assert_allclose(q @ perp, p @ perp, atol=1e-12)


def test_arc_length_flow_matches_shared_engine_on_diagonal() -> None:
    """The eq.-(9) arc-length flow reproduces max_margin.arc_length_flow on S = U = I."""
    rng = np.random.default_rng(3)
    X = np.array([[[1.0, 0.5], [-0.2, 1.0]]])
    y = np.array([[1.0, 1.0]])
    params = [rng.uniform(0.5, 1.0, (1, 2)) for _ in range(2)]
    net = dn.from_decomposition(dc.decomposition("diagonal", 2, 2))
    a = dn.arc_length_flow(net, params, X, y, doublings=4)
    b = mm.arc_length_flow(tn.diagonal(2, 2), params, X, y, doublings=4)
    np.testing.assert_allclose(a.beta, b.beta, rtol=1e-6)
    np.testing.assert_allclose(a.log_losses, b.log_losses, rtol=1e-6)
