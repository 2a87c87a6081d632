"""BIAS-Cor6: verdicts at the quick budget, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import cor6
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Cor6")
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
