"""INIT-Lem11 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import lem11
from verify.claims import registry

CLAIM = registry().get("INIT-Lem11")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem11.CLAIM


def test_tracking_exact_on_a_small_instance() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    inst = {"n": 2, "d": 3, "A": obj([[1, 0, 1], [0, 1, 1]]), "b": obj([1, -1]),
            "x0": obj([1, 2, 0]), "C": obj([[1, 5, 5], [2, 5, 5], [0, 5, 5]]),
            "Q": obj([[0] * 3] * 3), "alpha": F(1, 16), "step": 0.5}
    assert lem11.tracking_property().margin_hp(inst, 30)[0] == 0
    assert lem11.tracking_property(False).margin_hp(inst, 30)[0] > 0
