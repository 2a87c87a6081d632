"""BIAS-Asm1 (Assumption 1, §4.2; App D.2, D.3): verdicts, counterexamples, derivations."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.implicit_bias import asm1
from theorems.implicit_bias.asm1 import CLAIM
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_2b80ef1235f532de.txt"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_statement_is_quoted_from_the_paper():
    if not SEED.exists():
        pytest.skip("paper text not available")
    paper = "".join(SEED.read_text().split())
    for excerpt in asm1.EXCERPTS:
        assert "".join(excerpt.split()) in paper


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


def test_printed_decomposition_is_certified_exactly(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["sympy-cyclotomic"] == checks["exact-Q(psi)"] == "certified"


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutant_counterexamples_replay(runs, name):
    variant = CLAIM.variant(name)
    refuting = [c for c in runs[name]["checks"] if c["verdict"] == "refuted"]
    assert refuting
    for result in refuting:
        cex = Counterexample.from_json(result["counterexample"])
        check = variant.check(cex.check)
        assert evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50).violated


@pytest.mark.parametrize("kind", ["diagonal", "conv"])
def test_sympy_derivation_on_one_case(kind):
    assert asm1.derive_decomposition(kind, 3, 3, asm1.PRINTED) == []


def test_sympy_derivation_detects_each_mutant():
    assert asm1.derive_decomposition("conv", 3, 2, asm1.U_EQUALS_F)
    assert asm1.derive_decomposition("conv", 3, 2, asm1.UNNORMALIZED_F)
    assert asm1.derive_decomposition("conv", 2, 3, {"s_exponent": Fraction(3, 2)})


def test_printed_mod_is_the_papers():
    x = tuple(range(1, 5))
    # [M_conv]_{j_1 j_2} = x_{(j_1 + j_2 - 1) mod d}: (4, 4) -> 7 mod 4 = 3
    assert asm1.printed_m("conv", 4, x, (3, 3)) == 3
    assert asm1.printed_m("conv", 4, x, (0, 0)) == 1


def test_exact_margin_is_zero_for_the_printed_decomposition():
    inst = {"kind": 1, "L": 3, "d": 5,
            "x": np.array([Fraction(k, 3) for k in range(5)], dtype=object)}
    excess, _ = asm1.prop("printed").margin_hp(inst, 40)
    assert excess == 0
