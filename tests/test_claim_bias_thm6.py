"""BIAS-Thm6: derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import thm6
from verify.claims import registry

CLAIM = registry().get("BIAS-Thm6")


def test_derivation_holds() -> None:
    assert thm6.derive_theorem6().holds


def test_flow_reaches_the_printed_limit() -> None:
    rng = np.random.default_rng(5)
    batch = thm6._draw(rng, 2, 3, 2, 2, (0.2, 2.0))
    runs = thm6.run_flows(batch)
    for i, (w1, w2, loss, _, status) in enumerate(runs):
        assert status == "loss" and loss <= thm6.LOSS_TARGET
        inst = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
        t1, t2 = thm6.limit_points(inst, 30)
        assert np.allclose(w1, np.array(t1, dtype=float), atol=1e-7)
        assert np.allclose(w2, np.array(t2, dtype=float), atol=1e-7)
