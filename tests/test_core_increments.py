"""Engine: accurate end-to-end and loss increments under tiny steps."""

from __future__ import annotations

import numpy as np
import pytest

from verify.core.hp import FMPQ, to_backend, to_numpy
from verify.core.increments import product_increment, whitened_loss_increment
from verify.core.networks import WhitenedLoss, end_to_end
from verify.errors import VerifyError


def test_increment_matches_exact_difference():
    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=(1, 2, 3)), rng.normal(size=(1, 3, 2)), rng.normal(size=(1, 1, 3))]
    Ds = [1e-12 * rng.normal(size=W.shape) for W in Ws]
    inc = product_increment(Ws, Ds)
    We = to_backend(Ws, FMPQ, trial=0)
    De = to_backend(Ds, FMPQ, trial=0)
    new = [w + d for w, d in zip(We, De, strict=True)]
    exact = (new[2] * new[1] * new[0]) - (We[2] * We[1] * We[0])
    np.testing.assert_allclose(inc[0], to_numpy(exact), rtol=1e-12, atol=0)

def test_loss_increment_is_exact_formula():
    rng = np.random.default_rng(1)
    W, dW, Phi = rng.normal(size=(3, 2, 2)), 1e-3 * rng.normal(size=(3, 2, 2)), \
        rng.normal(size=(3, 2, 2))
    loss = WhitenedLoss(Phi)
    np.testing.assert_allclose(whitened_loss_increment(W, dW, Phi),
                               loss.value(W + dW) - loss.value(W), rtol=1e-9)

def test_single_layer_and_errors():
    W = np.array([[[2.0]]])
    assert product_increment([W], [W])[0, 0, 0] == 2.0
    assert end_to_end([W])[0, 0, 0] == 2.0
    with pytest.raises(VerifyError):
        product_increment([W], [])
