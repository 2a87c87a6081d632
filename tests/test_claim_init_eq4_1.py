"""INIT-Eq4.1 (seed 004, §4.1): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import eq4_1
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Eq4.1")


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    out = {}
    for variant in CLAIM.variants:
        start = time.perf_counter()
        out[variant.name] = run_variant(CLAIM, variant, BUDGETS["quick"], seed=0)
        out[variant.name]["_seconds"] = time.perf_counter() - start
    return out


def test_statement_is_quoted_verbatim() -> None:
    with open("/work/shared/seeds/004_bae8d3aeafe845f9.txt") as fh:
        assert eq4_1.STATEMENT in fh.read()
    assert CLAIM is eq4_1.CLAIM


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 15


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if v.expected is not None and v.expected.value == "refuted"])
def test_refuted_variant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_printed_cases_have_the_wrong_shape_and_corrected_ones_hold() -> None:
    bad = eq4_1.compare_formulas(1, 2, 3, "printed")
    assert any(m.startswith("grad_W1: shape 1x2") for m in bad)
    assert any(m.startswith("grad_W3: shape 2x1") for m in bad)
    assert not any(m.startswith("grad_W2") or m.startswith("grad_x") for m in bad)
    assert eq4_1.compare_formulas(1, 2, 4, "corrected") == []
    assert eq4_1.compare_formulas(2, 3, 2, "reversed") == ["grad_x: differs"]


def test_derivation_matches_core_and_finite_differences() -> None:
    assert eq4_1.core_agreement(1, 2, 3, seed=5)
    assert eq4_1.finite_difference_error(1, 2, 3, seed=1) < 1e-6


def test_example_instance_replays() -> None:
    inst = eq4_1.example_instance()
    assert eq4_1.gradient_property("printed").margin_hp(inst, 30)[0] > 0
    assert eq4_1.gradient_property("corrected").margin_hp(inst, 30)[0] == 0
