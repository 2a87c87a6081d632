"""CONV-Proc1: variant verdicts at the quick budget; refuted variants replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.proc1 import CLAIM
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants if v.is_mutant])
def test_mutants_are_refuted_and_replay(runs, name):
    assert runs[name]["verdict"] == "refuted"
    cex = Counterexample.from_json(json.loads(json.dumps(runs[name]["counterexample"])))
    check = CLAIM.variant(name).check(cex.check)
    hp = evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50)
    assert hp is not None and hp.violated


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
