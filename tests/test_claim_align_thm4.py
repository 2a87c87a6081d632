"""ALIGN-Thm4: verdicts of every variant, counterexample replay, and the bottleneck example."""

import json
from fractions import Fraction

import numpy as np
import pytest

from theorems.alignment.thm4 import CLAIM, bottleneck_property
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Verdict

QUICK = BUDGETS["quick"]
F = Fraction


@pytest.mark.parametrize("variant", CLAIM.variants, ids=lambda v: v.name)
def test_variant_verdict(variant):
    result = run_variant(CLAIM, variant, QUICK, seed=0)
    assert result["verdict"] == variant.expected.value, result["checks"]
    if variant.expected is Verdict.REFUTED:
        cex = result["counterexample"]
        assert cex is not None
        saved = Counterexample.from_json(json.loads(json.dumps(cex)))
        replay = variant.check(cex["check"]).replay
        hp = evaluate_hp(replay, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated


def test_smallest_bottleneck_counterexample():
    """Widths (2, 1, 2), X = Y = I_2: U = V = I meet the condition (Lambda = Lambda' = A_1 =
    A_2 = 1), but rank Y = 2 > r = 1, so no network of these widths has zero loss."""
    q = np.vectorize(F, otypes=[object])
    inst = {"d": 2, "k0": 2, "k1": 1, "k2": 2, "k3": 1, "n": 2,
            "sx": q(np.array([1.0, 0.0])), "sy": q(np.array([1.0, 0.0])),
            "Zx": q(np.array([[0, 0], [0, 1]])), "Zy": q(np.array([[0, 0], [0, 1], [0, 0]]))}
    excess, _ = bottleneck_property().margin_hp(inst, 30)
    assert excess == 1
