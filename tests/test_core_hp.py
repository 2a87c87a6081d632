"""The high-precision twin runs the same formulas and agrees with float64."""

from __future__ import annotations

import flint
import numpy as np
import pytest

from verify.core import hp
from verify.core.networks import (
    ExponentialLoss,
    LogisticLoss,
    SensingLoss,
    SquaredLoss,
    WhitenedLoss,
    end_to_end,
    gd_step,
)
from verify.errors import VerifyError

BACKENDS = [hp.FMPQ, hp.arb_backend(40), hp.mpmath_backend(40)]


def _cases(rng: np.random.Generator) -> list:
    cases = []
    for dims in [(3, 4, 2), (2, 2, 3, 4), (4, 3, 1)]:
        k0, kd = dims[0], dims[-1]
        losses = [SquaredLoss(rng.standard_normal((k0, 5)), rng.standard_normal((kd, 5))),
                  WhitenedLoss(rng.standard_normal((kd, k0))),
                  SensingLoss(rng.standard_normal((3, kd, k0)), rng.standard_normal(3))]
        if kd == 1:
            y = np.where(rng.standard_normal(5) > 0, 1.0, -1.0)
            X = rng.standard_normal((k0, 5))
            losses += [ExponentialLoss(X, y), LogisticLoss(X, y)]
        cases += [(dims, loss) for loss in losses]
    return cases


@pytest.mark.parametrize("xp", BACKENDS, ids=lambda xp: xp.name)
def test_float_and_high_precision_steps_agree(xp) -> None:
    rng = np.random.default_rng(11)
    for dims, loss in _cases(rng):
        if xp is hp.FMPQ and isinstance(loss, (ExponentialLoss, LogisticLoss)):
            continue
        weights = [rng.standard_normal((4, dims[j + 1], dims[j])) for j in range(len(dims) - 1)]
        eta = 0.03
        float_step = gd_step(weights, loss, eta)
        float_value = loss.value(end_to_end(weights))
        for trial in (0, 3):
            ws = hp.to_backend(weights, xp, trial=trial)
            with hp.precision(xp):
                step = gd_step(ws, loss, eta, xp=xp)
                value = loss.value(end_to_end(ws, xp), xp)
            for a, b in zip(step, float_step, strict=True):
                np.testing.assert_allclose(hp.to_numpy(a), b[trial], rtol=1e-12, atol=1e-13)
            assert hp.to_float(value) == pytest.approx(float_value[trial], rel=1e-12, abs=1e-13)


def test_ball_encloses_exact_value() -> None:
    rng = np.random.default_rng(12)
    weights = [rng.standard_normal((1, 3, 2)), rng.standard_normal((1, 2, 3))]
    loss = SquaredLoss(rng.standard_normal((2, 4)), rng.standard_normal((2, 4)))
    exact = loss.value(end_to_end(hp.to_backend(weights, hp.FMPQ, 0), hp.FMPQ), hp.FMPQ)
    arb = hp.arb_backend(30)
    with hp.precision(arb):
        ball = loss.value(end_to_end(hp.to_backend(weights, arb, 0), arb), arb)
        assert ball.contains(flint.arb(exact))
        assert ball.rad() < 1e-25


def test_exact_backend_refuses_transcendentals() -> None:
    loss = ExponentialLoss(np.ones((2, 3)), np.ones(3))
    with pytest.raises(VerifyError):
        loss.value(hp.FMPQ.asmat(np.ones((1, 2))), hp.FMPQ)


def test_batched_data_must_be_split_per_instance() -> None:
    loss = WhitenedLoss(np.stack([np.ones((3, 3)), np.eye(3)]))
    W = hp.FMPQ.asmat(np.eye(3))
    with pytest.raises(VerifyError):
        loss.value(W, hp.FMPQ)
    assert loss.instance(1).value(W, hp.FMPQ) == 0
