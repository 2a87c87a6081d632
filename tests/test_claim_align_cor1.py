"""ALIGN-Cor1: derivation helpers, the printed counterexample's values, eq. (5) by finite
differences.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from fractions import Fraction

import numpy as np

from theorems.alignment.cor1 import (
    EQ6_FIXED,
    EQ6_PRINTED,
    block_data,
    derive_corrected_eq6,
    derive_eq5,
    derive_printed_eq6,
    eq5_gradients,
    initial_layers,
    printed_eq6_counterexample,
    squared_loss,
)


def test_derivations():
    assert derive_eq5().holds
    assert derive_corrected_eq6().holds
    outcome = derive_printed_eq6()
    assert outcome.holds is False and outcome.counterexample is not None


def test_printed_counterexample_values():
    inst = printed_eq6_counterexample()
    excess, _ = EQ6_PRINTED.margin_hp(inst, 30)
    assert excess > 0
    assert EQ6_FIXED.margin_hp(inst, 30)[0] == 0


def test_eq5_matches_finite_differences():
    rng = np.random.default_rng(3)
    from theorems.alignment.cor1 import DOMAIN
    batch = DOMAIN.sample(rng, 4, {"d": 3, "k0": 3, "k1": 2, "k2": 3, "k3": 2, "n": 3})
    X, Y, F = block_data(batch, exact=False)
    W = initial_layers(batch, F, exact=False)
    loss = squared_loss(X, Y)
    pred = eq5_gradients(W, F, X, Y, batch["n"], Fraction(-1))

    def value(ws):
        out = ws[0]
        for w in ws[1:]:
            out = w @ out
        return loss.value(out)

    h = 1e-6
    for i, w in enumerate(W):
        E = np.zeros_like(w)
        E[:, 0, 1] = h
        plus = [x + E if j == i else x for j, x in enumerate(W)]
        minus = [x - E if j == i else x for j, x in enumerate(W)]
        fd = (value(plus) - value(minus)) / (2 * h)
        assert np.allclose(fd, pred[i][:, 0, 1], atol=1e-7)
