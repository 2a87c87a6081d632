"""BIAS-Eq2 (tensor formulation (2)-(6), §3 / App B): verdicts, counterexamples, derivations."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from theorems.implicit_bias import eq2
from theorems.implicit_bias.eq2 import CLAIM
from verify.budget import BUDGETS
from verify.core import tensor_networks as tn
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_2b80ef1235f532de.txt"


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {v.name: run_variant(CLAIM, v, BUDGETS["quick"], seed=0) for v in CLAIM.variants}


def test_statement_is_quoted_from_the_paper():
    if not SEED.exists():
        pytest.skip("paper text not available")
    paper = "".join(SEED.read_text().split())
    for excerpt in eq2.EXCERPTS:
        assert "".join(excerpt.split()) in paper


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(runs, name):
    assert runs[name]["verdict"] == CLAIM.variant(name).expected.value


@pytest.mark.parametrize("name", ["as-printed", *[v.name for v in CLAIM.variants if v.is_mutant]])
def test_refuting_counterexamples_replay(runs, name):
    variant = CLAIM.variant(name)
    refuting = [c for c in runs[name]["checks"] if c["verdict"] == "refuted"]
    assert refuting
    for result in refuting:
        cex = Counterexample.from_json(result["counterexample"])
        check = variant.check(cex.check)
        assert evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50).violated


def test_documented_counterexample_values():
    inst = {k: (v[None] if isinstance(v, np.ndarray) else v)
            for k, v in eq2.COUNTEREXAMPLE.items()}
    f_direct, f_tensor = eq2._sides(inst, "printed", linear=False)
    assert (f_direct[0], f_tensor[0]) == (6, 8)


def test_conv_needs_no_vanishing_activation():
    bad = eq2._mismatches(vanishing=False)
    assert bad and all(case[0] != 1 for case in bad)
    assert all(case[1] == 3 for case in bad)
    assert eq2._mismatches(vanishing=True) == []


def test_printed_fc_tensor_for_l2_is_kron_of_identity_and_x():
    x = [Fraction(1), Fraction(2), Fraction(3)]
    T = eq2.printed_fc_tensor(x, (3, 2))
    assert np.array_equal(T.astype(float), np.kron(np.eye(2), np.array(x, float)[:, None]))


def test_float_sides_agree_with_engine_forward():
    rng = np.random.default_rng(1)
    for arch, L, d, a, b in eq2.SYMBOLIC_CASES:
        net = eq2.network(arch, L, d, a, b)
        theta = rng.standard_normal((4, sum(net.sizes)))
        x = rng.standard_normal((4, d))
        batch = {"arch": arch, "L": L, "d": d, "a": a, "b": b, "theta": theta, "x": x}
        sides = eq2._sides(batch, "printed", linear=True)
        forward = np.einsum("bz,bz->b", x, tn.beta(net, eq2.split(theta, net.sizes)))
        for s in sides:
            assert np.allclose(s, forward)
