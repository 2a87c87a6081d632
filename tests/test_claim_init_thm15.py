"""INIT-Thm15 (seed 004): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import thm15
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Thm15")


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
        assert thm15.STATEMENT in fh.read()
    assert CLAIM is thm15.CLAIM


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
    assert all(thm15.derivation(2, 1).values())


def test_exact_distance_is_sqrt_d_minus_n_and_fails_for_n_above_d() -> None:
    from fractions import Fraction as F

    import numpy as np

    from verify import linalg_exact as lx

    R = np.array([[F(0), F(1, 2), F(-1)], [F(1, 4), F(0), F(3)], [F(2), F(-1), F(0)]],
                 dtype=object)
    W = thm15.orthogonal_exact(R, [F(1), F(-1), F(1)])
    assert W * W.transpose() == lx.identity(3)
    M = lx.matrix([[F(1), F(0)], [F(2), F(1)], [F(0), F(-1)]])
    assert thm15.distance_squared_exact(M, W) == 1
    inst = thm15.counterexample_instance()
    assert thm15.distance_property("printed").margin_hp(inst, 30) == (1, 2)
    assert thm15.distance_property("corrected").domain.contains(inst) is False
