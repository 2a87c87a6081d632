"""verify/core/alignment_runs.py and verify/figures.py."""

from fractions import Fraction

import numpy as np

from verify.core.alignment import squared_loss
from verify.core.alignment_runs import (
    coefficient_step,
    defect_curve,
    exact_run,
    geometric_checkpoints,
    run,
    structured_direction,
)
from verify.core.hp import FMPQ, to_numpy
from verify.core.losses import SoftmaxCrossEntropyLoss
from verify.core.networks import gd_step, layer_gradients
from verify.figures import curves_svg


def _net(rng, B=2, k=3):
    return [rng.standard_normal((B, k, k)) for _ in range(3)]


def test_unstructured_step_is_plain_gd():
    rng = np.random.default_rng(0)
    ws, loss = _net(rng), squared_loss(rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))
    _, new = coefficient_step(ws, loss, 0.1)
    for a, b in zip(new, gd_step(ws, loss, 0.1), strict=True):
        assert np.allclose(a, b)


def test_structured_step_is_gd_on_coefficients():
    """Theorem 2: finite differences of the loss in the coefficients."""
    rng = np.random.default_rng(1)
    A = np.array([np.eye(3, k=j) for j in range(-2, 3)])
    c = [rng.standard_normal(5) for _ in range(3)]
    X, Y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    loss = squared_loss(X, Y)
    ws = [np.tensordot(ci, A, axes=1)[None] for ci in c]
    G = layer_gradients(ws, loss)
    h = 1e-6
    for i in range(3):
        fd = []
        for j in range(5):
            plus = [w.copy() for w in ws]
            plus[i] = plus[i] + h * A[j]
            minus = [w.copy() for w in ws]
            minus[i] = minus[i] - h * A[j]
            fd.append((loss.value(_prod(plus)) - loss.value(_prod(minus)))[0] / (2 * h))
        direction = structured_direction(G[i], A)[0]
        assert np.allclose(np.tensordot(np.array(fd), A, axes=1), direction, atol=1e-6)


def _prod(ws):
    W = ws[0]
    for w in ws[1:]:
        W = w @ W
    return W


def test_exact_structured_step_matches_float():
    A = np.array([np.eye(2, k=j) for j in (-1, 0, 1)])
    ws = [np.array([[[1.0, 0.5], [0.25, 1.0]]]) for _ in range(3)]
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    Y = np.array([[1.0, -1.0], [0.5, 0.0]])
    _, new = coefficient_step(ws, squared_loss(X, Y), 0.125, [A] * 3)
    exact = exact_run([FMPQ.asmat(w[0]) for w in ws],
                      squared_loss(X.astype(object), Y.astype(object)), Fraction(1, 8), 1,
                      [A] * 3)
    for a, b in zip(new, exact[1], strict=True):
        assert np.allclose(a[0], to_numpy(b))


def test_cross_entropy_gradient():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((4, 5))
    Y = np.eye(3)[:, rng.integers(0, 3, 5)]
    loss = SoftmaxCrossEntropyLoss(X, Y)
    W = rng.standard_normal((1, 3, 4))
    _, G = loss.value_and_grad(W)
    h, E = 1e-6, np.zeros_like(W)
    E[0, 1, 2] = 1.0
    fd = (loss.value(W + h * E) - loss.value(W - h * E)) / (2 * h)
    assert np.isclose(fd[0], G[0, 1, 2], atol=1e-7)


def test_run_stops_and_defect_curve_vanishes_on_frozen_frames():
    X = np.diag([2.0, 1.0, 3.0])
    Y = np.diag([1.0, 2.0, 0.5])
    ws = [np.diag([1.0, 0.5, 0.75])[None] for _ in range(3)]
    traj = run(ws, squared_loss(X, Y), 0.05, 5000, geometric_checkpoints(5000, 8),
               stop_below=1e-8)
    assert traj.stopped < 5000 and traj.losses[-1, 0] < 1e-8
    assert max(float(c[0]) for c in defect_curve(traj)) == 0.0


def test_curves_svg_is_deterministic():
    series = {"a": ([1, 2, 4], [1e-3, 1e-2, 0.0])}
    first = curves_svg(series, "t", "x", "y", threshold=1e-12)
    assert first == curves_svg(series, "t", "x", "y", threshold=1e-12)
    assert "<svg" in first
