"""BIAS-Thm3: derivation helpers, the exact counterexample and the proof's rate slip.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import mpmath
import numpy as np

from theorems.implicit_bias import thm3
from verify.core import flow
from verify.core import max_margin as mm
from verify.core import tensor_networks as tn
from verify.domain import take, to_exact


def test_derivation_holds() -> None:
    assert thm3.derive_theorem3().holds


def test_counterexample_trajectory_is_exact() -> None:
    """Diagonal net, x = (1, 1), y = 1, v̄_1 = (2, 1), v̄_2 = 0: v_1 = cosh(nu) (2, 1),
    v_2 = sinh(nu) (2, 1) solves the flow (the engine's gradients point along (2, 1) with the
    closed-form speeds), so the direction is (2, 1)/sqrt 5 at all times."""
    net, x = tn.diagonal(2, 2), np.array([[1.0, 1.0]])
    loss = tn.classification_loss(x, np.array([1.0]))
    u = np.array([2.0, 1.0])
    for nu in (0.0, 0.4, 1.7):
        v1, v2 = np.cosh(nu) * u[None], np.sinh(nu) * u[None]
        g1, g2 = tn.gradients(net, [v1, v2], loss)
        rate = np.exp(-5 * np.cosh(nu) * np.sinh(nu))  # e^{-y f}: nu' = L
        assert np.allclose(-g1[0], rate * np.sinh(nu) * u)
        assert np.allclose(-g2[0], rate * np.cosh(nu) * u)
    run = mm.arc_length_flow(net, [u[None], np.zeros((1, 2))], x[None], np.ones((1, 1)),
                             doublings=12, margin_cap=1e4)
    assert np.allclose(run.params[0][0] / np.linalg.norm(run.params[0][0]), u / np.sqrt(5))


def test_counterexample_value() -> None:
    """For rho^oo = (0, 1) (a solution) the printed limit is ±e_2: chord sqrt(2 - 2/sqrt 5)."""
    inst = to_exact(take(thm3.repeated_top()[0], 0))
    value, _ = thm3.PRINTED.margin_hp(inst, 40)
    with mpmath.workdps(40):
        assert abs(value - mpmath.sqrt(2 - 2 / mpmath.sqrt(5))) < mpmath.mpf(10) ** -30
        corrected, _ = thm3.WITNESS.margin_hp(inst, 40)
        assert abs(corrected) < mpmath.mpf(10) ** -30


def test_fully_connected_top_value_is_repeated() -> None:
    """M_fc(x) = I_2 ⊗ x: for x = (1, 0) it is U_1 I U_2^T with U_1 = [e_1 e_3], U_2 = I."""
    M = tn.data_tensor(tn.fully_connected((2, 2)), np.array([1.0, 0.0]))
    assert np.array_equal(M, thm3.FC_FRAME[:, :2])
    assert np.allclose(np.linalg.svd(M)[1], [1.0, 1.0])


def test_printed_rate_fails_but_corrected_rate_holds() -> None:
    """App E.1.1: L(t) <= L0 / (1 + alpha^2 lambda ||s||^2 t) fails for M = 1, v̄ = (2, 1),
    y = alpha = 1 (lambda = 3, L0 = e^-2) at t = 0.05; L0 / (1 + ... L0 t) holds."""
    net = tn.diagonal(1, 2)
    loss = tn.classification_loss(np.array([[1.0]]), np.array([1.0]))
    res = flow.tensor_gradient_flow(net, [np.array([[2.0]]), np.array([[1.0]])], loss,
                                    t_end=0.05)
    L0, lam, t = np.exp(-2.0), 3.0, 0.05
    assert res.loss[0] > L0 / (1 + lam * t) + 1e-3
    assert res.loss[0] <= L0 / (1 + lam * L0 * t)


def test_degenerate_cases_are_admissible() -> None:
    rng = np.random.default_rng(0)
    for batch in thm3.degenerate_sampler(rng, 16):
        assert thm3.GENERIC.admissible(batch).all()
