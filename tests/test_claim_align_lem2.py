"""ALIGN-Lem2: the one-pair family."""

from fractions import Fraction

import numpy as np

from theorems.alignment.lem2 import (
    block_data,
    block_defect,
    one_pair_case,
    one_pair_certificate,
)
from verify.core.alignment_condition import condition_defect_exact

F = Fraction


def _square_instance():
    q = np.vectorize(F, otypes=[object])
    return {"d": 3, "k0": 3, "k1": 3, "k2": 3, "k3": 3, "n": 3,
            "sx": q(np.array([1.0, 2.0, 1.5])), "sy": q(np.array([2.0, 1.0, -1.0])),
            "Zx": q(np.array([[0, 0, 0], [0, 1, 1], [0, 0, 1]])),
            "Zy": q(np.array([[0, 0, 0], [0, 2, 0], [0, 1, 1]])),
            "Sg": q(np.array([[1, 1, 1], [1, 0.5, 2], [1, 1, 1]])), "lr": F(1, 8)}


def test_one_pair_family_is_frozen_but_violates_condition():
    case = one_pair_case(_square_instance())
    assert one_pair_certificate(case)
    assert condition_defect_exact(case["X"], case["Y"])[0] > 0


def test_block_data_meets_condition_in_its_frames():
    inst = _square_instance()
    for r in (1, 3):
        frames, X, Y = block_data(inst, r)
        assert block_defect(frames, X, Y, r) == 0
    frames, X, Y = block_data(inst, 1)
    assert block_defect(frames, X, Y, 3) > 0
