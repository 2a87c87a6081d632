"""INIT-Thm12 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import thm12
from verify.claims import registry

CLAIM = registry().get("INIT-Thm12")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is thm12.CLAIM


def test_counterexample_is_exact_and_reaches_a_fixed_point() -> None:
    from verify import linalg_exact as lx
    from verify.core import deep_invariants as di

    inst = thm12.counterexample_instance()
    A, v = lx.matrix(inst["A"]), lx.column(inst["v"])
    Ws, x0, _ = thm12.exact_lemma9_start(A, v)
    run = di.exact_trajectory(inst["A"], inst["b"], Ws, x0, inst["alpha"], 4)
    assert lx.squared_norm(run[1][0][0]) == 0 and lx.squared_norm(run[1][0][1]) > 0
    assert run[1][1] == x0 * (-15)
    assert all(run[k][0] == run[2][0] and run[k][1] == run[2][1] for k in (3, 4))
    assert thm12.invariant_property("printed").margin_hp(inst, 30)[0] > 0
    assert thm12.invariant_property("corrected").margin_hp(inst, 30) is None


def test_conditions_hold_at_lemma9_start_exactly() -> None:
    from fractions import Fraction as F

    from verify import linalg_exact as lx

    A = lx.matrix([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]])
    Ws, x, _ = thm12.exact_lemma9_start(A, lx.column([F(1), F(3)]))
    assert thm12.conditions_exact(A, Ws, x, "printed")[0] == 0
    assert thm12.conditions_exact(A, Ws, x, "row-range")[0] > 0
