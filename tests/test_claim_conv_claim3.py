"""CONV-Claim3 (App. B, D.5): constants and the probability level.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.convergence import claim3 as MODULE


def test_constants_derivation():
    outcome = MODULE.derive_constants()
    assert outcome.holds is True and "FAILED" not in outcome.details


@pytest.mark.parametrize("N, hidden", [(1, ()), (2, (1,)), (4, (1, 1, 1)), (3, (4, 4))])
def test_hoeffding_lower_bound_exceeds_049_at_the_extreme(N, hidden):
    inst = {"N": N, "d0": 20, **{f"d{j}": 1 for j in range(1, 4)},
            **{f"d{j + 1}": w for j, w in enumerate(hidden)}, "C1": 1.0, "x": 1.0, "y": 1.0}
    lower, upper = MODULE.conditional_bounds(inst)
    assert 0.49 < lower and upper < 0.51


def test_count_matches_direct_layer_sampling():
    rng = np.random.default_rng(11)
    w, N = (20, 3, 2, 1), 3
    inst = {"N": N, "d0": 20, "d1": 3, "d2": 2, "d3": 1, "C1": 1.0, "x": 1.0, "y": 1.0}
    _, sigma_sq, c = MODULE._instance_values(inst, MODULE.PRINTED)
    layers = MODULE.probability.gaussian_layers(rng, w, 1.0, 100_000)
    W = layers[2] @ layers[1] @ layers[0]
    V = np.sqrt(sigma_sq / 6) * W[:, 0, :]  # Pi = 6, ||Phi|| = 1
    e = np.zeros(20)
    e[0] = 1
    p_direct = np.mean(np.linalg.norm(V - e, axis=1) <= 1 - c)
    assert abs(p_direct - MODULE._count(w, sigma_sq, c) / MODULE.MC_SAMPLES) < 0.01


def test_hoeffding_bounds_float_and_hp_agree():
    values = np.linspace(0.0, 0.5, 1001)
    lower, upper = MODULE.probability.hoeffding_bounds(float(np.mean(values)), 1001, 0.5)
    lo_hp, hi_hp = MODULE.probability.hoeffding_bounds_hp(values, 0.5, 40)
    assert abs(float(lo_hp) - lower) < 1e-12 and abs(float(hi_hp) - upper) < 1e-12
    assert abs((upper - lower) / 2 - 0.5 * np.sqrt(np.log(1e9) / 2002)) < 1e-12
