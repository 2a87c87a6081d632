"""BIAS-Cor6: derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import cor6
from verify.claims import registry

CLAIM = registry().get("BIAS-Cor6")


def test_even_dft_derivation() -> None:
    assert cor6.derive_even_dft().holds


def test_flow_matches_corrected_not_printed() -> None:
    rng = np.random.default_rng(1)
    batch = cor6._draw(rng, 1, 2, 4, 1, (1.0, 1.0))
    ((beta, loss, _, status),) = cor6.run_flows(batch)
    assert status == "loss" and loss <= cor6.LOSS_TARGET
    args = (2, 1.0, batch["X"][0], batch["y"][0], batch["w"][0])
    z_ok, z_printed = cor6.target_float("corrected", *args), cor6.target_float("printed", *args)
    assert np.linalg.norm(beta - z_ok) < 1e-7 * np.linalg.norm(z_ok)
    assert np.linalg.norm(beta - z_printed) > 1e-4 * np.linalg.norm(z_ok)


def test_even_helpers() -> None:
    x = np.array([3.0, 1.0, 2.0, 1.0])
    assert np.array_equal(cor6.reflect(x), x)
    assert np.allclose(np.imag(cor6.dft_matrix(4) @ x), 0)
    assert cor6.odd_constraints(4).shape == (1, 4)
