"""INIT-Cor3 (seed 004, §2.2, Corollary 3): verdicts, counterexample replay, proof steps."""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from theorems.initialization import cor3
from verify import linalg_exact as lx
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Cor3")
F = Fraction


def _obj(rows: list) -> np.ndarray:
    return np.array(rows, dtype=object)


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
        assert cor3.STATEMENT in fh.read()
    assert CLAIM is cor3.CLAIM and CLAIM.asymptotic


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 10


def test_printed_checks(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks == {"derivation": "certified", "fixed-point": "certified",
                      "gd-limit": "supported", "search": "supported"}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_is_refuted_and_its_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert results[name]["verdict"] == "refuted" and cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


def test_range_fixed_point_is_theta_star() -> None:
    A, b = lx.matrix([[F(1), F(2), F(0)], [F(0), F(1), F(3)]]), lx.column([F(1), F(-2)])
    point = cor3.range_fixed_point(A, b)
    assert point == lx.min_norm_least_squares(A, b)
    assert A.transpose() * (A * point - b) == lx.matrix([[0], [0], [0]])


def test_fixed_point_check_covers_step_sizes_beyond_the_bound() -> None:
    # alpha ||A||^2 = 3: GD from y0 = A^T v diverges in general, but the only possible
    # limit in range(A^T) is still theta*; at y0 = theta* (v = 1/4 here) it stays there.
    inst = {"A": _obj([[F(2), F(0)]]), "b": _obj([F(1)]), "v": _obj([F(1, 4)]),
            "z": _obj([F(0), F(0)]), "alpha": F(3, 4)}
    excess, _ = cor3._fixed_point_hp(inst, 40)
    assert excess == 0
    assert cor3.limit_margin_hp("theta*")(inst, 40) is None  # outside alpha ||A||^2 < 2


def test_zero_initialisation_reaches_theta_star() -> None:
    rng = np.random.default_rng(5)
    domain = cor3.make_domain(2.0)
    for batch in cor3._sampler(domain)(rng, 48):
        batch = {**batch, "v": np.zeros_like(batch["v"])}
        excess, scale = cor3.limit_margin("theta*", cor3.TRIAL_STEPS)(batch)
        assert np.all(np.isfinite(excess)) and np.max(excess / scale) < 1e-9


def test_symbolic_helpers() -> None:
    assert cor3.stationary_in_range(2, 3)
    assert cor3.range_start_has_no_v2_part(2, 3)
