"""INIT-Lem8 (seed 004, §4.1): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import lem8
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Lem8")


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
        assert lem8.STATEMENT in fh.read()
    assert CLAIM is lem8.CLAIM


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


def test_invariant_exact_in_degenerate_cases() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    prop = lem8.range_property(0)
    # rank-deficient A (zero row), h = 3, b = 0, Z0 = 0 (W_1 = 0)
    inst = {"n": 2, "d": 3, "h": 3, "A": obj([[1, 2, 0], [0, 0, 0]]), "b": obj([0, 0]),
            "x0": obj([1, -1, 2]), "Z0": obj([[0, 0, 0], [0, 0, 0]]),
            "V1": obj([[1, 0, 1], [0, 1, 0], [2, 0, 1]]), "V2": obj([[0, 1, 0]] * 3),
            "alpha": F(1, 4), "step": 0.5}
    assert prop.margin_hp(inst, 30)[0] == 0
    inst["b"], inst["Z0"] = obj([1, 3]), obj([[1, 0, 2], [1, 1, 1]])
    assert prop.margin_hp(inst, 30)[0] == 0
    assert lem8.range_property(1).margin_hp(inst, 30)[0] > 0
