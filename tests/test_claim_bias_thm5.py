"""BIAS-Thm5: verdicts at the quick budget, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import thm5
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Thm5")
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
    first = CLAIM.statement.split("\n")[0]
    assert first.startswith("**Theorem 5.**") and first in text
    for block in CLAIM.statement.split("\n\n"):
        assert block in text


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    check = CLAIM.variant(name).check(parsed.check)
    hp = evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_quick_budget_time(results: dict) -> None:
    assert results["_elapsed"]["seconds"] < 45


def test_derivations() -> None:
    for derive in (thm5.derive_gradient, thm5.derive_kkt_chain, thm5.derive_solution_form):
        assert derive().holds, derive.__name__
    assert thm5.derive_wrong_gradient().holds is False


def test_domain_repair_gives_orthonormal_u() -> None:
    rng = np.random.default_rng(0)
    batch = thm5._draw(rng, 3, 1, 2, 3, 4, 2, (0.5, 2.0))
    for name in thm5.U_NAMES:
        U = batch[name]
        assert np.allclose(np.swapaxes(U, -1, -2) @ U, np.eye(3))
    assert thm5._hypothesis(batch).all()
