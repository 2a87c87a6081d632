"""ALIGN-Exp1a: figures and helpers (verdicts and replay: tests/test_claim_verdicts.py)."""


import pytest

from theorems.alignment.exp1a import CLAIM
from verify.testing import assert_expected_verdict


@pytest.mark.parametrize("variant", [v.name for v in CLAIM.variants if not v.is_mutant])
def test_supported_variants_carry_defect_figures(variant):
    entry = assert_expected_verdict(CLAIM, variant)
    figures = [f for c in entry["checks"] for f in c["figures"]]
    assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_random_data_violate_condition_and_frames_move():
    import numpy as np

    from theorems.alignment.exp1a import EXPERIMENT, sampler, violates_condition
    from verify.domain import take, to_exact

    batch = sampler(np.random.default_rng(1), 2)
    assert violates_condition(batch).all()
    assert (EXPERIMENT.first_steps_defect(batch, 1) > 1e-12).all()
    assert EXPERIMENT.first_steps_defect_exact(to_exact(take(batch, 0)), 1) > 0
