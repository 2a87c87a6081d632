"""BIAS-Cor5: derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import cor5
from verify.claims import registry

CLAIM = registry().get("BIAS-Cor5")


def test_reduction_to_theorem_5() -> None:
    assert cor5.derive_diagonal_dynamics().holds


def test_flow_reports_measured_convergence() -> None:
    rng = np.random.default_rng(3)
    (batch,) = [b for b in cor5._sampler((0.5, 2.0))(rng, 3) if b["L"] == 3]
    (beta, loss, grad, status) = cor5.run_flows(batch)[0]
    assert status == "loss" and loss <= cor5.LOSS_TARGET and grad < cor5.GRAD_OK
    z = cor5._target_float("printed", 3, float(batch["alpha"][0]), batch["w"][0],
                           batch["X"][0], batch["y"][0])
    assert np.linalg.norm(beta - z) < 1e-6 * np.linalg.norm(z)
