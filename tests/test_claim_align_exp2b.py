"""ALIGN-Exp2b: figures and helpers (verdicts and replay: tests/test_claim_verdicts.py)."""


import numpy as np
import pytest

from theorems.alignment.app_i_conv_matrix import conv_matrix
from theorems.alignment.exp2b import (
    CLAIM,
    EXPERIMENT,
    SIDE,
    digit_image,
    sampler,
    symmetric_filter,
    taps,
)
from verify.core.alignment_runs import is_in_structure
from verify.testing import assert_expected_verdict


@pytest.mark.parametrize("variant", [v.name for v in CLAIM.variants if not v.is_mutant])
def test_supported_variants_carry_defect_figures(variant):
    entry = assert_expected_verdict(CLAIM, variant)
    figures = [f for c in entry["checks"] for f in c["figures"]]
    assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_synthetic_digits_are_distinct_nonzero_and_deterministic():
    images = [digit_image(label, 0.0, 0.0, 0.12, SIDE) for label in range(10)]
    assert all(any(v != 0 for v in img) for img in images)
    assert len({tuple(img) for img in images}) == 10
    assert all(sum(v * v for v in img) <= 1 for img in images)
    assert tuple(digit_image(3, 0.05, -0.02, 0.1, SIDE)) == \
        tuple(digit_image(3, 0.05, -0.02, 0.1, SIDE))


def test_init_is_aligned_and_layers_stay_convolutions():
    C = conv_matrix(symmetric_filter([1, 2, 3, 4, 5]), SIDE).astype(float)
    assert np.array_equal(C, C.T)
    batch = sampler(np.random.default_rng(1), 2)
    assert np.all(EXPERIMENT.first_steps_defect(batch, 0) == 0)
    traj, _ = EXPERIMENT.long_run(batch, 20, [20], None)
    assert all(is_in_structure(w, taps(SIDE)).all() for w in traj.weights[-1])


def test_trivial_filter_stays_frozen_one_step():
    batch = sampler(np.random.default_rng(2), 1)
    batch["f"][:] = 0.0
    assert EXPERIMENT.first_steps_defect(batch, 1)[0] < 1e-24
