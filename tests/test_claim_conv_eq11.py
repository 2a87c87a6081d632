"""CONV-Eq11: variant verdicts at the quick budget; refuted variants replay."""

from __future__ import annotations

import json

import pytest

from theorems.convergence.eq11 import CLAIM
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


def test_p_matrix_of_identity_layers_is_n_times_identity():
    import numpy as np

    from theorems.convergence.eq11 import DOMAIN, p_matrix

    dims = {"N": 3, "k": 2, "d0": 2, "d1": 2, "d2": 2, "d3": 2, "d4": 1, "dN": 2}
    batch = DOMAIN.sample(np.random.default_rng(0), 2, dims)
    for j in range(5):
        batch[f"U{j}"] = np.zeros_like(batch[f"U{j}"])
    batch["s"] = np.ones((2, 2))
    batch["scale"] = np.ones(2)
    np.testing.assert_allclose(p_matrix(batch), np.broadcast_to(3 * np.eye(4), (2, 4, 4)),
                               atol=1e-14)


def test_exact_p_is_certified():
    import numpy as np

    from theorems.convergence.eq11 import DOMAIN, _exact_setup, exact_p, exact_sigma_rate
    from verify.domain import take, to_exact

    dims = {"N": 2, "k": 1, "d0": 1, "d1": 2, "d2": 2, "d3": 1, "d4": 1, "dN": 2}
    inst = to_exact(take(DOMAIN.sample(np.random.default_rng(1), 1, dims), 0))
    e = _exact_setup(inst)
    assert exact_p(e) is not None and exact_sigma_rate(e) is not None
