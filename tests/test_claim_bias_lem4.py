"""BIAS-Lem4 (Lemma 4: h_L odd, strictly increasing, unbounded): verdicts at the quick budget."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from theorems.implicit_bias import lem4
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

CLAIM = registry().get("BIAS-Lem4")


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    start = time.perf_counter()
    out = {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}
    out["_elapsed"] = {"seconds": time.perf_counter() - start}
    return out


def test_statement_is_quoted_verbatim_from_the_seed() -> None:
    seed = Path("/work/shared/seeds/003_2b80ef1235f532de.txt")
    if not seed.exists():
        pytest.skip("the paper's text is not available here")
    lines = seed.read_text().split("\n")
    start = lines.index(next(x for x in lines if x.startswith("**Lemma 4.**")))
    assert "\n".join(lines[start : start + 7]) == CLAIM.statement


def test_claim_is_registered_with_the_printed_statement() -> None:
    assert CLAIM is lem4.CLAIM
    assert CLAIM.asymptotic
    for phrase in (r"\dot{p} = p^{L-2} q", r"\dot{q} = p^{L-1}", "p(0) = 1", "q(0) = 0",
                   r"c \in (0, \infty]", "odd and strictly increasing",
                   r"\lim_{t \downarrow -c} h_L(t) = -\infty"):
        assert phrase in CLAIM.statement
    names = {v.name for v in CLAIM.variants}
    assert "as-printed" in names and "corrected" not in names
    assert sum(v.is_mutant for v in CLAIM.variants) >= 3


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value


def test_printed_lemma_checks(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    for name in ("first-integral", "reflection-symmetry", "derivative-positive",
                 "time-change-blowup", "closed-forms", "taylor-series", "increasing",
                 "growth-to-blowup"):
        assert checks[name] == Verdict.CERTIFIED.value, name
    for name in ("odd", "engine-is-ode", "series-at-0", "search-monotone-odd"):
        assert checks[name] == Verdict.SUPPORTED.value, name


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    check = CLAIM.variant(name).check(parsed.check)
    hp = evaluate_hp(check.replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_quick_budget_is_fast(results: dict) -> None:
    assert results["_elapsed"]["seconds"] < 20


def test_blowup_times_in_the_notes_are_right() -> None:
    outcome = lem4.derive_blowup()
    assert outcome.holds
    assert "3: pi/2, 4: 1, 5: pi/4, 6: 2/3" in outcome.details


def test_growth_bound_is_below_h_and_unbounded() -> None:
    u = 1 - np.logspace(-1, -13, 13)
    for L in range(lem4.L_MIN, lem4.L_MAX + 1):
        bound = lem4._growth_bound(L, u)
        assert np.all(bound <= lem4.hf.h(L, lem4.t_of_u(L, u)))
        assert bound[-1] > 1e5 and np.all(np.diff(bound) > 0)
