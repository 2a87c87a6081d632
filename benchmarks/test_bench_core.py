"""pytest-benchmark suite of the numeric core (run separately: ``pytest benchmarks/``).

The speed targets of issue 3 are asserted here, never in the timed unit tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from verify import bench
from verify.core import hp
from verify.core import tensor_networks as tn
from verify.core.losses import WhitenedLoss
from verify.core.networks import gd_step


def _network(depth: int, width: int, batch: int) -> tuple[list[np.ndarray], WhitenedLoss]:
    rng = np.random.default_rng(0)
    weights = [np.eye(width) + 0.1 * rng.standard_normal((batch, width, width)) / np.sqrt(width)
               for _ in range(depth)]
    return weights, WhitenedLoss(np.eye(width))


@pytest.mark.parametrize(("depth", "width", "batch"), bench.QUICK_SHAPES)
def test_batched_gd_step(benchmark, depth: int, width: int, batch: int) -> None:
    weights, loss = _network(depth, width, batch)
    benchmark(gd_step, weights, loss, 1e-4, out=weights)


@pytest.mark.parametrize(("depth", "width", "batch"), bench.QUICK_SHAPES)
def test_targets(depth: int, width: int, batch: int) -> None:
    record = bench.bench_step(depth, width, batch, 7, np.random.default_rng(0))
    assert record.meets, record


@pytest.mark.parametrize("name", ["arb", "mpmath", "fmpq"])
def test_high_precision_step(benchmark, name: str) -> None:
    xp = {"arb": hp.arb_backend(50), "mpmath": hp.mpmath_backend(50), "fmpq": hp.FMPQ}[name]
    weights, loss = _network(3, 8, 1)
    ws = hp.to_backend(weights, xp, trial=0)

    def step() -> None:
        with hp.precision(xp):
            gd_step(ws, loss, 0.01, xp=xp)

    benchmark(step)


def test_flint_target() -> None:
    assert bench.bench_hp(repeats=3)["mpmath_over_flint"] >= bench.FLINT_TARGET


def test_tensor_network_gradients(benchmark) -> None:
    net = tn.conv(16, [4, 8, 16])
    rng = np.random.default_rng(0)
    params = net.init(rng, 2_000)
    X = rng.standard_normal((8, 16))
    loss = tn.regression_loss(X, rng.standard_normal(8))
    benchmark(tn.gradients, net, params, loss)
