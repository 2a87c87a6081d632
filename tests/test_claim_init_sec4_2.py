"""INIT-Sec4.2 (seed 004): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import sec4_2
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Sec4.2")


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
        assert sec4_2.STATEMENT in fh.read()
    assert CLAIM is sec4_2.CLAIM


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
    assert all(sec4_2.derivation().values())


def test_c_is_constant_exactly_for_depth_four() -> None:
    from fractions import Fraction as F

    import numpy as np

    from verify import linalg_exact as lx
    from verify.core import deep_invariants as di

    def m(rows: list[list[int]]) -> np.ndarray:
        return np.array([[F(v, 4) for v in r] for r in rows], dtype=object)

    eye = [[4, 0, 0], [0, 4, 0], [0, 0, 4]]
    inst = {"h": 4, "A": m([[4, 8, 0], [0, 4, -4]]), "b": np.array([F(1), F(-1)], dtype=object),
            "P0": m([[1, 0, 2], [0, 1, 1]]), "C0": m([[1, 2, 3], [0, 1, 0], [2, 0, 1]]),
            "V2": m(eye), "V3": m([[2, 1, 0], [0, 3, 0], [1, 0, 4]]), "V4": m(eye),
            "x0": np.array([F(1, 2), F(0), F(-1, 4)], dtype=object), "alpha": F(1, 64)}
    Ws = sec4_2.exact_layers(inst)
    P = lx.null_space_projector(lx.matrix(inst["A"]))
    run = di.exact_trajectory(inst["A"], inst["b"], Ws, lx.column(inst["x0"]), inst["alpha"], 2)
    assert lx.squared_norm(P * Ws[0]) > 0
    assert all(P * W[0] == P * Ws[0] for W, _ in run)
