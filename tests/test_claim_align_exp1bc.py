"""ALIGN-Exp1bc: figures and helpers (verdicts and replay: tests/test_claim_verdicts.py)."""


import numpy as np
import pytest

from theorems.alignment.exp1bc import (
    CLAIM,
    MUTANT_DATA,
    SQUARED,
    TINY_N,
    TINY_SIDE,
    TINY_WIDTHS,
    ce_first_step_defect_ball,
    condition_network,
    digits,
    sampler,
    tiny_data,
    tiny_network_exact,
    violates_condition,
)
from verify.core.alignment import invariance_defect
from verify.core.alignment_condition import condition_holds_exact
from verify.core.synthetic_digits import one_vs_rest_separable
from verify.testing import assert_expected_verdict


@pytest.mark.parametrize("variant", [v.name for v in CLAIM.variants if not v.is_mutant])
def test_supported_variants_carry_defect_figures(variant):
    entry = assert_expected_verdict(CLAIM, variant)
    figures = [f for c in entry["checks"] for f in c["figures"]]
    assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def _inst(batch, i=0):
    return {k: v[i] for k, v in batch.items()}


def test_tiny_data_separable_and_violate_condition():
    batch = sampler(np.random.default_rng(3), 2)
    assert violates_condition(batch).all()
    data = tiny_data(_inst(batch))
    assert data.M.shape == (TINY_SIDE**2, TINY_N) and one_vs_rest_separable(data)
    assert np.linalg.norm(data.X, axis=0).max() <= 1


def test_init_is_aligned_rectangular_and_first_step_moves():
    batch = sampler(np.random.default_rng(4), 1)
    inst = _inst(batch)
    W0 = tiny_network_exact(0, False)
    assert [(w.nrows(), w.ncols()) for w in W0] == list(zip(TINY_WIDTHS[1:], TINY_WIDTHS[:-1],
                                                           strict=True))
    assert invariance_defect([W0])[0] == 0
    assert SQUARED.first_steps_defect_exact(inst, 1) > 0
    assert ce_first_step_defect_ball(inst, 30) > 0


def test_condition_data_keep_frames_frozen_exactly():
    batch = sampler(np.random.default_rng(5), 1)
    inst = _inst(batch)
    _, X, Y = condition_network(inst)
    assert condition_holds_exact(X, Y)
    assert MUTANT_DATA.first_steps_defect_exact(inst, 2) == 0


def test_digit_sets_are_cached_and_deterministic():
    assert digits(7, TINY_SIDE, TINY_N) is digits(7, TINY_SIDE, TINY_N)
    assert np.array_equal(digits.__wrapped__(7, TINY_SIDE, TINY_N).M,
                          digits(7, TINY_SIDE, TINY_N).M)
