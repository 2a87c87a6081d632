"""ALIGN-Prop2: derivation helpers."""


import numpy as np

from theorems.alignment.prop2 import (
    NET_DOMAIN,
    NET_STEPS,
    derive_corrected,
    derive_printed,
    eq14_counterexample,
    eq14_property,
    network_run,
)
from verify.counterexample import evaluate_hp
from verify.verdicts import Tolerance


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
