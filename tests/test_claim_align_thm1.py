"""ALIGN-Thm1: the exact counterexample of the printed 'only if' direction and the landing
families.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from fractions import Fraction

import numpy as np
import pytest

from theorems.alignment.thm1 import (
    _obj,
    invariance_certificate,
    landing_instance,
)
from verify.core.alignment import aligned_layers_exact, trajectory_exact
from verify.core.alignment_condition import condition_defect_exact
from verify.core.hp_linalg import to_fmpq_mat

F = Fraction


def test_smallest_full_rank_counterexample():
    """d = k = 3, X = [[1,0,0],[0,1,1],[0,0,1]], Y = diag(8,1,2) X, W = (diag(1,1,2), I, I),
    gamma = 3/7: zero loss after one step, stationary, frames frozen; condition fails."""
    X = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 1]], dtype=object) * F(1)
    Y = np.diag([8, 1, 2]).astype(object) @ X
    eye = to_fmpq_mat(np.eye(3, dtype=object) * F(1))
    W0 = aligned_layers_exact([eye] * 4, [[1, 1, 2], [1, 1, 1], [1, 1, 1]])
    traj = trajectory_exact(W0, X, Y, F(3, 7), 2)
    assert traj[1] == traj[2] != traj[0]
    case = {"F": [eye] * 4, "W0": W0, "X": to_fmpq_mat(X), "Y": to_fmpq_mat(Y),
            "lr": F(3, 7)}
    assert invariance_certificate(case)
    assert condition_defect_exact(X, Y)[0] > 0


def _instance(family, k=3, d=3, n=3):
    rng = np.random.default_rng(5)
    inst = {"k": k, "d": d, "n": n, "g": F(1), "family": F(family), "snap": F(1)}
    for i in range(5):
        inst[f"R{i}"] = np.vectorize(F, otypes=[object])(
            np.round(4 * rng.standard_normal((k, k))) / 4)
    inst["Xr"] = np.vectorize(F, otypes=[object])(np.round(4 * rng.standard_normal((k, n))) / 4)
    inst["Xr"][0, 0] = F(1)
    inst["Sg"] = np.vectorize(F, otypes=[object])(np.array([[1, 2, 3, 1]] * 4)[:, :k] / 2)
    return inst


@pytest.mark.parametrize("family,k", [(0, 3), (1, 2), (1, 3)])
def test_landing_families_are_exactly_invariant(family, k):
    case = landing_instance(_instance(family, k=k))
    assert case is not None and invariance_certificate(case)


def test_full_rank_family_with_k2_meets_condition():
    """k = 2 full-rank: the frozen block is 1 x 1, so the condition holds (no counterexample)."""
    case = landing_instance(_instance(0, k=2))
    assert case is not None and invariance_certificate(case)
    assert condition_defect_exact(_obj(case["X"]), _obj(case["Y"]))[0] == 0
