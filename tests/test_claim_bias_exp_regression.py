"""BIAS-ExpRegression: verdicts at the quick budget, counterexample replay, helpers, figures."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import exp_regression as exp
from verify.budget import BUDGETS
from verify.claims import registry
from verify.core import tensor_networks as tn
from verify.counterexample import Counterexample, evaluate_hp
from verify.report.plots import inline_svg
from verify.runner import run_variant

CLAIM = registry().get("BIAS-ExpRegression")
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
    assert CLAIM.statement in " ".join(SEED.read_text().split("\n"))


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
    assert results["_elapsed"]["seconds"] < 30


def test_figures_are_attached_and_inline(results: dict) -> None:
    check = next(c for c in results["as-printed"]["checks"]
                 if c["name"] == "printed-runs-vs-theorem-6")
    assert len(check["figures"]) == 3
    for fig in check["figures"]:
        assert inline_svg(fig["svg"], "t") is not None
    assert exp.figures()[0].svg == exp.figures()[0].svg


def test_setup_derivation() -> None:
    assert exp.derive_setup().holds


@pytest.mark.parametrize("kind", exp.KINDS)
def test_initialisation_and_frames(kind: str) -> None:
    net = exp.network(kind)
    v1, v2 = exp.initial_directions(kind, 0.7)
    beta = tn.beta(net, [0.5 * v1[None], 0.5 * v2[None]])[0]
    assert np.allclose(beta, 0.25 * np.array([np.cos(0.7), np.sin(0.7)]))
    U1, U2, s = exp.frames(kind)
    m = len(s)
    M = tn.data_tensor(net, exp.X_DATA[0])
    assert np.allclose(U1[:, :m] @ np.diag(s) @ U2[:, :m].T, M)
    assert exp.gap(kind, 0.7) >= exp.LAMBDA


def test_small_alpha_prediction_is_the_min_norm_solution() -> None:
    for kind in exp.KINDS:
        pred = [float(v) for v in exp.predicted_beta(kind, 1e-6, 1.0)]
        goal = [float(v) for v in exp.min_norm_point(kind)]
        assert np.allclose(pred, goal, atol=1e-5)
