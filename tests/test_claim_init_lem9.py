"""INIT-Lem9 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import lem9
from verify.claims import registry

CLAIM = registry().get("INIT-Lem9")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem9.CLAIM


def test_proof_witness_holds_only_for_unit_AT_v() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    unit = {"n": 1, "d": 2, "A": obj([[F(3, 5), F(4, 5)]]), "v": obj([1])}
    assert lem9.construction_property(True).margin_hp(unit, 30)[0] == 0
    unit["v"] = obj([2])
    assert lem9.construction_property(True).margin_hp(unit, 30)[0] > 0
    assert lem9.construction_property().margin_hp(unit, 30)[0] == 0
