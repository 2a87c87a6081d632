"""INIT-Thm15 (seed 004): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import thm15
from verify.claims import registry

CLAIM = registry().get("INIT-Thm15")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is thm15.CLAIM


def test_derivation_steps_hold() -> None:
    assert all(thm15.derivation(2, 1).values())


def test_exact_distance_is_sqrt_d_minus_n_and_fails_for_n_above_d() -> None:
    from fractions import Fraction as F

    import numpy as np

    from verify import linalg_exact as lx

    R = np.array([[F(0), F(1, 2), F(-1)], [F(1, 4), F(0), F(3)], [F(2), F(-1), F(0)]],
                 dtype=object)
    W = thm15.orthogonal_exact(R, [F(1), F(-1), F(1)])
    assert W * W.transpose() == lx.identity(3)
    M = lx.matrix([[F(1), F(0)], [F(2), F(1)], [F(0), F(-1)]])
    assert thm15.distance_squared_exact(M, W) == 1
    inst = thm15.counterexample_instance()
    assert thm15.distance_property("printed").margin_hp(inst, 30) == (1, 2)
    assert thm15.distance_property("corrected").domain.contains(inst) is False
