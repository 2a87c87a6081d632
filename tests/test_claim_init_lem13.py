"""INIT-Lem13 (seed 004): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import lem13
from verify.claims import registry

CLAIM = registry().get("INIT-Lem13")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem13.CLAIM


def test_derivation_and_exact_limit_of_thm12_counterexample() -> None:
    assert all(lem13.derivation().values())
    assert lem13.counterexample_limit().holds is True


def test_limit_points_are_fixed_and_satisfy_the_conditions() -> None:
    from fractions import Fraction as F

    import numpy as np

    inst = {"A": np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object),
            "b": np.array([F(1), F(-2)], dtype=object),
            "v": np.array([F(1), F(1, 2)], dtype=object), "c": F(3, 4)}
    p = lem13.exact_limit_point(inst)
    assert lem13.is_fixed_point(inst, p["Ws"], p["x"])
    assert lem13.conditions_exact(p["A"], p["Ws"], p["x"])[0] == 0
    z = lem13.exact_limit_point(inst, "zero-x")
    assert lem13.is_fixed_point(inst, z["Ws"], z["x"])
    assert lem13.conditions_exact(z["A"], z["Ws"], z["x"])[0] > 0
