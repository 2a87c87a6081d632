"""ALIGN-Prop2: verdicts of every variant, counterexample replay, derivation helpers."""

import json

import numpy as np
import pytest

from theorems.alignment.prop2 import (
    CLAIM,
    NET_DOMAIN,
    NET_STEPS,
    derive_corrected,
    derive_printed,
    eq14_counterexample,
    eq14_property,
    network_run,
)
from verify.budget import BUDGETS
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant
from verify.verdicts import Tolerance, Verdict

QUICK = BUDGETS["quick"]


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


def test_derivations():
    assert derive_corrected().holds
    assert derive_printed().holds is False


def test_explicit_eq14_counterexample_replays():
    inst = eq14_counterexample()
    assert evaluate_hp(eq14_property(strict=True).margin_hp, inst, Tolerance(0, 0), 40).violated
    hp = evaluate_hp(eq14_property(strict=False).margin_hp, inst, Tolerance(1e-30, 1e-30), 40)
    assert not hp.violated


def test_network_contraction_below_printed_rate():
    rng = np.random.default_rng(3)
    dims = NET_DOMAIN.all_dims()[0]
    batch = NET_DOMAIN.repair(NET_DOMAIN.sample(rng, 8, dims))
    run = network_run(batch)
    gap = np.abs(run["c"] - run["S"])
    measured = (gap[-1] / gap[0]) ** (1 / NET_STEPS)
    assert np.all(measured <= run["rho"] + 1e-9)
    assert np.all(run["loss"][-1] <= run["loss"][0])
