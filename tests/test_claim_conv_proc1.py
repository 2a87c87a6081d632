"""CONV-Proc1: the symbolic layers and the exact property.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_symbolic_layers_reproduce_a_for_a_bottleneck_free_pattern():
    import sympy as sp

    from theorems.convergence.proc1 import symbolic_layers, symbolic_widths

    assert (2, 1, 2) not in symbolic_widths() and (1, 2, 1, 2) in symbolic_widths()
    A, Ws = symbolic_layers((2, 2, 1))
    assert sp.simplify(Ws[1] * Ws[0] - A) == sp.zeros(1, 2)


def test_exact_property_is_zero_and_narrow_is_not():
    from fractions import Fraction

    import numpy as np

    from theorems.convergence.proc1 import EXACT, NARROW

    def inst(widths):
        d = {"N": len(widths) - 1, "dN": widths[-1], "k": min(widths[0], widths[-1])}
        d.update({f"d{j}": (widths[j] if j < len(widths) else 1) for j in range(5)})
        d["U"] = np.full((widths[-1], widths[-1]), Fraction(1, 3), dtype=object)
        d["V"] = np.full((widths[0], widths[0]), Fraction(-1, 2), dtype=object)
        d["r"] = np.array([Fraction(3, 2), Fraction(1, 2)], dtype=object)
        d["scale"] = Fraction(1)
        return d

    excess, _ = EXACT.margin_hp(inst((2, 2, 3, 2)), 30)
    assert excess == 0
    excess, _ = NARROW.margin_hp(inst((2, 1, 2)), 30)
    assert excess > 0.1
