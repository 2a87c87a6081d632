"""INIT-Lem9 (seed 004, §4.1): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import lem9
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Lem9")


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
        assert lem9.STATEMENT in fh.read()
    assert CLAIM is lem9.CLAIM


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


def test_proof_witness_holds_only_for_unit_AT_v() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    unit = {"n": 1, "d": 2, "A": obj([[F(3, 5), F(4, 5)]]), "v": obj([1])}
    assert lem9.construction_property(True).margin_hp(unit, 30)[0] == 0
    unit["v"] = obj([2])
    assert lem9.construction_property(True).margin_hp(unit, 30)[0] > 0
    assert lem9.construction_property().margin_hp(unit, 30)[0] == 0
