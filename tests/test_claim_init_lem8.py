"""INIT-Lem8 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import lem8
from verify.claims import registry

CLAIM = registry().get("INIT-Lem8")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem8.CLAIM


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
