"""ALIGN-Lem1: one explicit instance of
both witnesses (weak initialization that turns V_1; landing initialization that keeps all)."""

from fractions import Fraction

import numpy as np

from theorems.alignment.lem1 import weak_case
from theorems.alignment.thm1 import invariance_certificate
from verify.core.alignment import invariance_defect

F = Fraction


def test_weak_but_not_strong_same_data_strong_elsewhere():
    """k = 2, d = 3, identity frames, X = [[1, 1], [0, 1]], Y = diag(3/2, 0) X."""
    q = np.vectorize(F, otypes=[object])
    inst = {"k": 2, "d": 3, "n": 2, "g": F(3, 2), "lr": F(1, 8), "family": F(1),
            "snap": F(1), "Xr": q(np.array([[1, 1], [0, 1]])),
            "Sg": q(np.array([[1, 1], [1, 1 / 2], [1, 1], [1, 1]])),
            "w": q(np.array([1 / 2, 1 / 2]))}
    for i in range(5):
        inst[f"R{i}"] = q(np.zeros((2, 2)))
    case = weak_case(inst)
    assert case is not None
    assert invariance_defect(case["weak"], strong=True)[0] > 0
    assert invariance_certificate(case)
