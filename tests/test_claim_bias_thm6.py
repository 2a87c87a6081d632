"""BIAS-Thm6: verdicts at the quick budget, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import thm6
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Thm6")
SEED = Path("/work/shared/seeds/003_2b80ef1235f532de.txt")


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    start = time.perf_counter()
    out = {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}
    out["_elapsed"] = {"seconds": time.perf_counter() - start}
    return out


def test_statement_is_quoted_from_the_seed() -> None:
    if not SEED.exists():
        pytest.skip("the paper's text is not available here")
    text = SEED.read_text()
    for block in CLAIM.statement.split("\n\n"):
        assert block in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if v.expected.value == "refuted"])
def test_refutations_replay(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    check = CLAIM.variant(name).check(parsed.check)
    hp = evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_quick_budget_time(results: dict) -> None:
    assert results["_elapsed"]["seconds"] < 30


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
