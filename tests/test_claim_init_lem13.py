"""INIT-Lem13 (seed 004): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import lem13
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Lem13")


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
        assert lem13.STATEMENT in fh.read()
    assert CLAIM is lem13.CLAIM


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 10


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if v.expected is not None and v.expected.value == "refuted"])
def test_refuted_variant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_derivation_and_exact_limit_of_thm12_counterexample() -> None:
    assert all(lem13.derivation().values())
    assert lem13.counterexample_limit().holds is True


def test_limit_points_are_fixed_and_satisfy_the_conditions() -> None:
    from fractions import Fraction as F

    import numpy as np

    inst = {"A": np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object),
            "b": np.array([F(1), F(-2)], dtype=object),
            "v": np.array([F(1), F(1, 2)], dtype=object), "c": F(3, 4)}
    p = lem13.exact_limit_point(inst)
    assert lem13.is_fixed_point(inst, p["Ws"], p["x"])
    assert lem13.conditions_exact(p["A"], p["Ws"], p["x"])[0] == 0
    z = lem13.exact_limit_point(inst, "zero-x")
    assert lem13.is_fixed_point(inst, z["Ws"], z["x"])
    assert lem13.conditions_exact(z["A"], z["Ws"], z["x"])[0] > 0
