"""BIAS-Rem4: verdicts at the quick budget, counterexample replay, derivation helpers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import mpmath
import pytest

from theorems.implicit_bias import rem4
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-Rem4")
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


def test_H2_closed_form_matches_engine() -> None:
    y, H2 = rem4.H2_closed_form()
    for value in (0.3, 2.0, 1e4):
        assert abs(float(H2.subs(y, value)) - float(rem4.hf.H_mp(2, value, 30))) < 1e-9 * value**2


def test_growth_at_L2_fails_and_holds_for_L3() -> None:
    assert rem4.slope_growth(2, 10**6, 30) > 0.49
    assert rem4.slope_growth(3, 10**6, 30) < 0.01
    assert rem4.derive_growth_corrected().holds
    assert not rem4.derive_growth_as_printed().holds


def test_normalised_limits() -> None:
    eta, rho = [mpmath.mpf("0.5"), mpmath.mpf("-1.3")], [mpmath.mpf("0.7"), mpmath.mpf("-0.2")]
    for regime in ("small", "large"):
        for L in (2, 3, 5):
            alpha = rem4.alpha_of(regime, L)
            kappa, const = rem4.normalisation(regime, L, alpha)
            q = rem4.lp.q_value_mp(L, alpha, eta, rho, 30)
            target = const * rem4.weighted_norm(regime, L, eta, rho)
            assert abs(kappa * q / target - 1) < 1e-5
