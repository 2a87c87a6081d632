"""BIAS-Cor7: derivation helpers. Verdicts, replay and the statement quote are checked for
every claim by tests/test_claim_verdicts.py and tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import cor7
from verify.claims import registry

CLAIM = registry().get("BIAS-Cor7")


def test_reduction_derivation() -> None:
    assert cor7.derive_reduction().holds


def test_unstructured_minimiser_is_the_reduced_one() -> None:
    rng = np.random.default_rng(5)
    b = cor7._draw(rng, 1, 3, 2, 3)
    A = cor7.sensors(b["U"], b["X"])[0]
    M = cor7.generic_minimizer(3, float(b["alpha"][0]), A, b["y"][0])
    R = cor7._reduced_float("q", 3, float(b["alpha"][0]), b["U"][0], b["X"][0], b["y"][0])
    assert np.linalg.norm(M - R) < 1e-6 * np.linalg.norm(R)
    assert np.allclose(np.einsum("nij,ij->n", A, M), b["y"][0])
