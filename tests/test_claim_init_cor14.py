"""INIT-Cor14 (seed 004): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import cor14
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Cor14")


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
        assert cor14.STATEMENT in fh.read()
    assert CLAIM is cor14.CLAIM


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


def test_derivation_steps_hold() -> None:
    assert all(cor14.derivation().values())


def test_statement_three_fails_only_in_the_printed_reading() -> None:
    from fractions import Fraction as F

    import numpy as np

    from theorems.initialization import lem13

    inst = {"A": np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object),
            "b": np.array([F(1), F(-2)], dtype=object),
            "v": np.array([F(1), F(1, 2)], dtype=object), "c": F(3, 4)}
    p = lem13.exact_limit_point(inst)
    printed, _ = cor14.statements_exact(p["A"], p["b"], p["Ws"], p["x"], "printed")
    corrected, _ = cor14.statements_exact(p["A"], p["b"], p["Ws"], p["x"], "corrected")
    assert corrected == [0, 0, 0, 0]
    assert printed[2] > 0 and printed[0] == printed[1] == printed[3] == 0
    replay = cor14.exact_run_margin("printed")(cor14.counterexample_instance(), 30)
    assert replay is not None and replay[0] > 0
