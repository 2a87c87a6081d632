"""INIT-Thm12 (seed 004, §4.1): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import thm12
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Thm12")


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
        assert thm12.STATEMENT in fh.read()
    assert CLAIM is thm12.CLAIM


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


def test_counterexample_is_exact_and_reaches_a_fixed_point() -> None:
    from verify import linalg_exact as lx
    from verify.core import deep_invariants as di

    inst = thm12.counterexample_instance()
    A, v = lx.matrix(inst["A"]), lx.column(inst["v"])
    Ws, x0, _ = thm12.exact_lemma9_start(A, v)
    run = di.exact_trajectory(inst["A"], inst["b"], Ws, x0, inst["alpha"], 4)
    assert lx.squared_norm(run[1][0][0]) == 0 and lx.squared_norm(run[1][0][1]) > 0
    assert run[1][1] == x0 * (-15)
    assert all(run[k][0] == run[2][0] and run[k][1] == run[2][1] for k in (3, 4))
    assert thm12.invariant_property("printed").margin_hp(inst, 30)[0] > 0
    assert thm12.invariant_property("corrected").margin_hp(inst, 30) is None


def test_conditions_hold_at_lemma9_start_exactly() -> None:
    from fractions import Fraction as F

    from verify import linalg_exact as lx

    A = lx.matrix([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]])
    Ws, x, _ = thm12.exact_lemma9_start(A, lx.column([F(1), F(3)]))
    assert thm12.conditions_exact(A, Ws, x, "printed")[0] == 0
    assert thm12.conditions_exact(A, Ws, x, "row-range")[0] > 0
