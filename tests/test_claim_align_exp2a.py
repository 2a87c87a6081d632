"""ALIGN-Exp2a: figures and helpers (verdicts and replay: tests/test_claim_verdicts.py)."""


import pytest

from theorems.alignment.exp2a import CLAIM
from verify.testing import assert_expected_verdict


@pytest.mark.parametrize("variant", [v.name for v in CLAIM.variants if not v.is_mutant])
def test_supported_variants_carry_defect_figures(variant):
    entry = assert_expected_verdict(CLAIM, variant)
    figures = [f for c in entry["checks"] for f in c["figures"]]
    assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_layers_stay_toeplitz_and_degenerate_start_is_frozen():
    import numpy as np

    from theorems.alignment.exp2a import EXPERIMENT, TOEPLITZ, sampler
    from verify.core.alignment_runs import is_in_structure

    batch = sampler(np.random.default_rng(3), 2)
    traj, _ = EXPERIMENT.long_run(batch, 20, [20], None)
    assert all(is_in_structure(w, TOEPLITZ).all() for w in traj.weights[-1])
    Y = np.diag([1.0, 0.0, 0.0, 1.0])[None]
    degenerate = {"Y": Y, "t": np.array([[0.0, 0.0, 0.0, -1.0]]), "s": np.ones((1, 3)),
                  "snap": np.ones(1)}
    assert EXPERIMENT.first_steps_defect(degenerate, 3)[0] < 1e-24
