"""Batched deep linear networks: gradients vs finite differences and sympy, batch vs loop."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from verify.core import hp
from verify.core.memory import chunk_size, chunks, network_trial_bytes
from verify.core.networks import (
    ExponentialLoss,
    LogisticLoss,
    SensingLoss,
    SquaredLoss,
    WhitenedLoss,
    end_to_end,
    forward,
    gd,
    gd_step,
    layer_gradients,
    value_and_layer_gradients,
)
from verify.errors import VerifyError

B = 3
SHAPES = [(3, 4, 2), (2, 3, 4, 5), (5, 3, 3, 1), (4, 4), (2, 5, 1, 3, 2)]


def _weights(rng: np.random.Generator, dims: tuple[int, ...], batch: int = B) -> list:
    return [rng.standard_normal((batch, dims[j + 1], dims[j])) / np.sqrt(dims[j])
            for j in range(len(dims) - 1)]


def _losses(rng: np.random.Generator, dims: tuple[int, ...], n: int = 5) -> list:
    k0, kd = dims[0], dims[-1]
    out = [SquaredLoss(rng.standard_normal((k0, n)), rng.standard_normal((kd, n))),
           SquaredLoss(rng.standard_normal((B, k0, n)), rng.standard_normal((B, kd, n)),
                       convention="half_sum"),
           WhitenedLoss(rng.standard_normal((kd, k0))),
           WhitenedLoss(rng.standard_normal((B, kd, k0))),
           SensingLoss(rng.standard_normal((4, kd, k0)), rng.standard_normal(4))]
    if kd == 1:
        y = np.where(rng.standard_normal(n) > 0, 1.0, -1.0)
        X = 0.5 * rng.standard_normal((k0, n))
        out += [ExponentialLoss(X, y), LogisticLoss(X, y)]
    return out


@pytest.mark.parametrize("dims", SHAPES)
def test_gradients_match_finite_differences(dims: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(dims))
    weights = _weights(rng, dims)
    h = 1e-6
    for loss in _losses(rng, dims):
        grads = layer_gradients(weights, loss)
        for j, w in enumerate(weights):
            assert grads[j].shape == w.shape
            for idx in np.ndindex(w.shape[1:]):
                plus = [x.copy() for x in weights]
                minus = [x.copy() for x in weights]
                plus[j][(slice(None), *idx)] += h
                minus[j][(slice(None), *idx)] -= h
                fd = (loss.value(end_to_end(plus)) - loss.value(end_to_end(minus))) / (2 * h)
                scale = 1 + np.abs(fd)
                assert np.all(np.abs(fd - grads[j][(slice(None), *idx)]) <= 1e-6 * scale)


def _sympy_gradients(dims: tuple[int, ...], loss_expr) -> tuple[list, list]:
    """Symbols of every layer and the entrywise derivatives of the scalar loss."""
    layers = [sympy.Matrix(dims[j + 1], dims[j],
                           lambda r, c, j=j: sympy.Symbol(f"w{j}_{r}_{c}"))
              for j in range(len(dims) - 1)]
    W = layers[0]
    for layer in layers[1:]:
        W = layer * W
    L = sympy.expand(loss_expr(W))
    grads = [layer.applyfunc(lambda s: sympy.diff(L, s)) for layer in layers]
    return layers, grads


def _rational_matrix(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    return np.array([[Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 7)))
                      for _ in range(cols)] for _ in range(rows)], dtype=object)


@pytest.mark.parametrize("kind", ["squared", "whitened", "sensing"])
def test_exact_gradients_match_sympy(kind: str) -> None:
    """Entrywise sympy derivatives equal the exact (fmpq) layer gradients at rational points."""
    rng = np.random.default_rng(7)
    dims = (2, 3, 2)
    n = 3
    if kind == "squared":
        X, Y = _rational_matrix(rng, 2, n), _rational_matrix(rng, 2, n)
        loss = SquaredLoss(X, Y)

        def expr(W):
            R = W * sympy.Matrix(X.tolist()) - sympy.Matrix(Y.tolist())
            return sum(e**2 for e in R) / (2 * n)
    elif kind == "whitened":
        Phi = _rational_matrix(rng, 2, 2)
        loss = WhitenedLoss(Phi)

        def expr(W):
            return sum(e**2 for e in W - sympy.Matrix(Phi.tolist())) / 2
    else:
        A = np.stack([_rational_matrix(rng, 2, 2) for _ in range(3)])
        y = _rational_matrix(rng, 1, 3)[0]
        loss = SensingLoss(A, y)

        def expr(W):
            return sum((sum(a * w for a, w in zip(sympy.Matrix(Ai.tolist()), W, strict=True))
                        - yi) ** 2 for Ai, yi in zip(A, y, strict=True)) / 2
    layers, grads = _sympy_gradients(dims, expr)
    point = [_rational_matrix(rng, dims[j + 1], dims[j]) for j in range(len(dims) - 1)]
    subs = {s: sympy.Rational(v.numerator, v.denominator)
            for layer, p in zip(layers, point, strict=True)
            for s, v in zip(layer, p.ravel(), strict=True)}
    exact = layer_gradients([hp.FMPQ.asmat(p) for p in point], loss, xp=hp.FMPQ)
    for g_sym, g_exact in zip(grads, exact, strict=True):
        expected = g_sym.subs(subs)
        got = hp.entries(g_exact)
        assert any(e != 0 for e in expected)
        for r in range(expected.rows):
            for c in range(expected.cols):
                value = got[r][c]
                assert sympy.Rational(int(value.p), int(value.q)) == expected[r, c]


def test_batched_step_equals_one_at_a_time() -> None:
    rng = np.random.default_rng(3)
    dims = (4, 6, 5, 3)
    weights = _weights(rng, dims, batch=700)
    X = rng.standard_normal((700, 4, 8))
    Y = rng.standard_normal((700, 3, 8))
    loss = SquaredLoss(X, Y)
    eta = rng.uniform(0.01, 0.1, 700)
    batched = gd_step(weights, loss, eta)
    for i in (0, 1, 345, 699):
        single = gd_step([w[i: i + 1] for w in weights], loss.take(slice(i, i + 1)), eta[i])
        for a, b in zip(batched, single, strict=True):
            np.testing.assert_allclose(a[i], b[0], rtol=1e-13, atol=1e-15)


def test_in_place_step_and_values() -> None:
    rng = np.random.default_rng(4)
    weights = _weights(rng, (3, 3, 3), batch=50)
    loss = WhitenedLoss(rng.standard_normal((3, 3)))
    fresh = gd_step(weights, loss, 0.05)
    value, grads = value_and_layer_gradients(weights, loss)
    np.testing.assert_allclose(value, loss.value(end_to_end(weights)), rtol=1e-14)
    work = [w.copy() for w in weights]
    gd_step(work, loss, 0.05, out=work)
    for a, b, w, g in zip(fresh, work, weights, grads, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, w - 0.05 * g, rtol=1e-13, atol=1e-15)


def test_end_to_end_and_forward() -> None:
    rng = np.random.default_rng(5)
    weights = _weights(rng, (3, 4, 2))
    X = rng.standard_normal((3, 6))
    np.testing.assert_allclose(forward(weights, X), end_to_end(weights) @ X, rtol=1e-13)
    np.testing.assert_allclose(end_to_end(weights)[1], weights[1][1] @ weights[0][1])


def test_gd_records_and_memory_chunks() -> None:
    rng = np.random.default_rng(6)
    weights = _weights(rng, (3, 4, 3), batch=40)
    loss = WhitenedLoss(rng.standard_normal((40, 3, 3)))
    full = gd(weights, loss, 0.1, steps=7, record_every=3)
    np.testing.assert_array_equal(full.steps, [0, 3, 6, 7])
    assert full.losses.shape == (4, 40) and full.end_to_end.shape == (4, 40, 3, 3)
    assert np.all(full.losses[-1] < full.losses[0])
    small = gd(weights, loss, 0.1, steps=7, record_every=3,
               budget=network_trial_bytes((3, 4, 3)) * 8 + 2000)
    np.testing.assert_allclose(small.losses, full.losses, rtol=1e-13)
    manual = weights
    for _ in range(7):
        manual = gd_step(manual, loss, 0.1)
    for a, b in zip(full.weights, manual, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(full.final_loss, loss.value(end_to_end(manual)), rtol=1e-13)
    bare = gd(weights, loss, 0.1, steps=2)
    np.testing.assert_array_equal(bare.steps, [0, 2])
    assert bare.end_to_end is None


def test_chunk_helpers() -> None:
    assert chunk_size(100, budget=1000) == 10
    assert chunk_size(100, budget=1000, batch=4) == 4
    assert [s.stop for s in chunks(10, 4)] == [4, 8, 10]
    with pytest.raises(VerifyError):
        chunk_size(2000, budget=1000)


def test_loss_conventions() -> None:
    rng = np.random.default_rng(8)
    X, Y = rng.standard_normal((2, 4)), rng.standard_normal((3, 4))
    W = rng.standard_normal((1, 3, 2))
    base = np.sum((W[0] @ X - Y) ** 2)
    for conv, factor in [("half_mean", 1 / 8), ("half_sum", 0.5), ("mean", 0.25), ("sum", 1)]:
        np.testing.assert_allclose(SquaredLoss(X, Y, conv).value(W), factor * base)
    with pytest.raises(VerifyError):
        SquaredLoss(X, Y, "bogus")
