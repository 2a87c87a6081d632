"""INIT-Sec4.2 (seed 004): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import sec4_2
from verify.claims import registry

CLAIM = registry().get("INIT-Sec4.2")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is sec4_2.CLAIM


def test_derivation_steps_hold() -> None:
    assert all(sec4_2.derivation().values())


def test_c_is_constant_exactly_for_depth_four() -> None:
    from fractions import Fraction as F

    import numpy as np

    from verify import linalg_exact as lx
    from verify.core import deep_invariants as di

    def m(rows: list[list[int]]) -> np.ndarray:
        return np.array([[F(v, 4) for v in r] for r in rows], dtype=object)

    eye = [[4, 0, 0], [0, 4, 0], [0, 0, 4]]
    inst = {"h": 4, "A": m([[4, 8, 0], [0, 4, -4]]), "b": np.array([F(1), F(-1)], dtype=object),
            "P0": m([[1, 0, 2], [0, 1, 1]]), "C0": m([[1, 2, 3], [0, 1, 0], [2, 0, 1]]),
            "V2": m(eye), "V3": m([[2, 1, 0], [0, 3, 0], [1, 0, 4]]), "V4": m(eye),
            "x0": np.array([F(1, 2), F(0), F(-1, 4)], dtype=object), "alpha": F(1, 64)}
    Ws = sec4_2.exact_layers(inst)
    P = lx.null_space_projector(lx.matrix(inst["A"]))
    run = di.exact_trajectory(inst["A"], inst["b"], Ws, lx.column(inst["x0"]), inst["alpha"], 2)
    assert lx.squared_norm(P * Ws[0]) > 0
    assert all(P * W[0] == P * Ws[0] for W, _ in run)
