"""BIAS-Asm1 (Assumption 1, §4.2; App D.2, D.3): check details, derivations, exact margins.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.implicit_bias import asm1
from theorems.implicit_bias.asm1 import CLAIM
from verify.testing import assert_expected_verdict


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_decomposition_is_certified_exactly(runs):
    checks = {c["name"]: c["verdict"] for c in runs["as-printed"]["checks"]}
    assert checks["sympy-cyclotomic"] == checks["exact-Q(psi)"] == "certified"


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
