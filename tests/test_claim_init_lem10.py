"""INIT-Lem10 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import lem10
from verify.claims import registry

CLAIM = registry().get("INIT-Lem10")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem10.CLAIM


def test_pattern_exact_with_zero_first_column_and_zero_x() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    inst = {"n": 1, "d": 3, "A": obj([[1, 2, 3]]), "b": obj([1]), "x0": obj([0, 0, 0]),
            "C": obj([[0, 1, 1]] * 3), "Q": obj([[1, 2, 3]] * 3), "alpha": F(1, 8),
            "step": 0.5}
    assert lem10.pattern_property().margin_hp(inst, 30)[0] == 0
    inst["x0"] = obj([1, 0, -1])
    assert lem10.pattern_property().margin_hp(inst, 30)[0] == 0
    assert lem10.pattern_property(False).margin_hp(inst, 30)[0] > 0
