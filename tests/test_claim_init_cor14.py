"""INIT-Cor14 (seed 004): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import cor14
from verify.claims import registry

CLAIM = registry().get("INIT-Cor14")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is cor14.CLAIM


def test_derivation_steps_hold() -> None:
    assert all(cor14.derivation().values())


def test_statement_three_fails_only_in_the_printed_reading() -> None:
    from fractions import Fraction as F

    import numpy as np

    from theorems.initialization import lem13

    inst = {"A": np.array([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]], dtype=object),
            "b": np.array([F(1), F(-2)], dtype=object),
            "v": np.array([F(1), F(1, 2)], dtype=object), "c": F(3, 4)}
    p = lem13.exact_limit_point(inst)
    printed, _ = cor14.statements_exact(p["A"], p["b"], p["Ws"], p["x"], "printed")
    corrected, _ = cor14.statements_exact(p["A"], p["b"], p["Ws"], p["x"], "corrected")
    assert corrected == [0, 0, 0, 0]
    assert printed[2] > 0 and printed[0] == printed[1] == printed[3] == 0
    replay = cor14.exact_run_margin("printed")(cor14.counterexample_instance(), 30)
    assert replay is not None and replay[0] > 0
