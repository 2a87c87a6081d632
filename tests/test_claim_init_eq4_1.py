"""INIT-Eq4.1 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import eq4_1
from verify.claims import registry

CLAIM = registry().get("INIT-Eq4.1")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is eq4_1.CLAIM


def test_printed_cases_have_the_wrong_shape_and_corrected_ones_hold() -> None:
    bad = eq4_1.compare_formulas(1, 2, 3, "printed")
    assert any(m.startswith("grad_W1: shape 1x2") for m in bad)
    assert any(m.startswith("grad_W3: shape 2x1") for m in bad)
    assert not any(m.startswith("grad_W2") or m.startswith("grad_x") for m in bad)
    assert eq4_1.compare_formulas(1, 2, 4, "corrected") == []
    assert eq4_1.compare_formulas(2, 3, 2, "reversed") == ["grad_x: differs"]


def test_derivation_matches_core_and_finite_differences() -> None:
    assert eq4_1.core_agreement(1, 2, 3, seed=5)
    assert eq4_1.finite_difference_error(1, 2, 3, seed=1) < 1e-6


def test_example_instance_replays() -> None:
    inst = eq4_1.example_instance()
    assert eq4_1.gradient_property("printed").margin_hp(inst, 30)[0] > 0
    assert eq4_1.gradient_property("corrected").margin_hp(inst, 30)[0] == 0
