"""verify.core.max_margin: stable log-loss, arc-length flow, max-margin solvers, KKT defects."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from verify.core import max_margin as mm
from verify.core import tensor_networks as tn


def test_log_loss_gradient_is_the_exponential_gradient_over_the_loss() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (3, 4)), np.array([1.0, -1.0, 1.0])
    W = rng.uniform(-1, 1, (2, 1, 4))
    exp_loss = tn.classification_loss(X, y)
    value, grad = exp_loss.value_and_grad(W)
    log_value, log_grad = mm.log_loss(X, y).value_and_grad(W)
    np.testing.assert_allclose(log_value, np.log(value), rtol=1e-13)
    np.testing.assert_allclose(log_grad, grad / value[:, None, None], rtol=1e-12)
    huge = mm.log_loss(X, y).value_and_grad(1e6 * W)[1]
    assert np.all(np.isfinite(huge))


def test_arc_length_flow_moves_at_unit_speed_and_separates() -> None:
    rng = np.random.default_rng(1)
    net = tn.diagonal(3, 3)
    X, y = rng.uniform(-1, 1, (2, 2, 3)), np.ones((2, 2))
    params = [rng.uniform(0.5, 1.0, (2, 3)) for _ in range(2)] + [np.zeros((2, 3))]
    run = mm.arc_length_flow(net, params, X, y, s0=1.0, doublings=3)
    assert np.all(run.min_margin > 0)
    assert np.all(np.diff(run.log_losses[:, np.isfinite(run.log_losses).all(axis=0)]) < 0)
    moved = np.sqrt(sum(np.sum((p - q) ** 2, axis=1) for p, q in zip(run.params, params,
                                                                     strict=True)))
    assert np.all(moved <= run.s + 1e-6)


def test_max_margin_solutions_on_a_known_example() -> None:
    X, y = np.array([[1.0, 2.0]]), np.array([1.0])
    np.testing.assert_allclose(mm.l2_max_margin(X, y), [0.2, 0.4], atol=1e-9)
    l1 = mm.lp_max_margin(X, y, 1.0)
    np.testing.assert_allclose(l1[0].z, [0.0, 0.5], atol=1e-9)
    found = {tuple(np.round(s.z, 9)) for s in mm.lp_max_margin(X, y, 2 / 3)}
    assert (0.0, 0.5) in found and (1.0, 0.0) in found
    assert mm.kkt_residual(np.array([0.0, 0.5]), X, y, 1.0).defect < 1e-12
    assert mm.kkt_residual(np.array([1.0, 0.0]), X, y, 1.0).defect > 0.5
    assert mm.exact_vertex(np.array([1e-12, 0.5]), [[Fraction(1), Fraction(2)]],
                           [Fraction(1)]) == [Fraction(0), Fraction(1, 2)]


def test_separability() -> None:
    assert mm.separable(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0]))
    assert not mm.separable(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([1.0, -1.0]))


def test_arc_length_flow_of_fully_connected_networks_matches_its_data_tensor_form() -> None:
    rng = np.random.default_rng(3)
    fc = tn.fully_connected((3, 2, 2))
    same = tn.general(tn.basis_tensor(fc))
    X = rng.uniform(-1, 1, (2, 3, 3))
    y = np.sign(X @ rng.uniform(-1, 1, (2, 3, 1)))[..., 0]
    params = fc.init(rng, 2)
    run = mm.arc_length_flow(fc, params, X, y, s0=1.0, doublings=3)
    twin = mm.arc_length_flow(same, params, X, y, s0=1.0, doublings=3)
    assert np.all(run.status == "time")
    np.testing.assert_allclose(run.beta, twin.beta, rtol=1e-6, atol=1e-8)
    for p, q in zip(run.params, twin.params, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-8)
    assert len(run.param_changes) == fc.depth and len(run.params_prev) == fc.depth
    moved = np.sqrt(sum(np.sum((p - q) ** 2, axis=1) for p, q in zip(run.params, params,
                                                                     strict=True)))
    assert np.all(moved <= run.s + 1e-6)


def test_tail_bound_extrapolates_geometric_decay_only() -> None:
    geometric = np.array([[np.nan, 0.8, 0.4, 0.2, 0.1, np.nan]])
    np.testing.assert_allclose(mm.tail_bound(geometric), [0.1])
    np.testing.assert_allclose(mm.tail_bound(geometric, ratios=2), [0.1])
    assert mm.tail_bound(geometric, ratios=3)[0] == np.inf
    slow = np.array([[1.0, 0.9, 0.8]])
    assert mm.tail_bound(slow)[0] == np.inf
    np.testing.assert_allclose(mm.tail_bound(slow, rate_max=0.95), [0.8 * (8 / 9) / (1 / 9)])
    assert mm.tail_bound(np.array([[1.0, 0.5, 0.0]]))[0] == 0.0
    assert mm.tail_bound(np.array([[1.0, 0.5]]))[0] == np.inf
