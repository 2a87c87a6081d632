"""ALIGN-Exp3: figures and helpers (verdicts and replay: tests/test_claim_verdicts.py)."""


import pytest

from theorems.alignment.exp3 import CLAIM
from verify.testing import assert_expected_verdict


@pytest.mark.parametrize("variant", [v.name for v in CLAIM.variants if not v.is_mutant])
def test_supported_variants_carry_defect_figures(variant):
    entry = assert_expected_verdict(CLAIM, variant)
    figures = [f for c in entry["checks"] for f in c["figures"]]
    assert figures and all(f["svg"].lstrip().startswith("<?xml") for f in figures)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_condition_holds_exactly_and_frames_frozen_exactly():
    import numpy as np

    from theorems.alignment.exp3 import EXPERIMENT, _obj, data_exact, draw
    from verify.core.alignment_condition import condition_holds_exact
    from verify.domain import take, to_exact

    inst = to_exact(take(draw(False)(np.random.default_rng(2), 1), 0))
    X, Y, _ = data_exact(inst)
    assert condition_holds_exact(_obj(X), _obj(Y))
    assert EXPERIMENT.first_steps_defect_exact(inst, 2) == 0
