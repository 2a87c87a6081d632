"""ALIGN-Eq4: the symbolic derivation and the
smallest exact counterexample of the 'only if' direction."""

from fractions import Fraction

import numpy as np

from theorems.alignment.eq4 import depth_two_state, derive_update, step_verdicts
from verify.core.alignment import aligned_layers_exact, frame_residual, matrix4, trajectory_exact
from verify.core.hp_linalg import identity

F = Fraction


def _obj(rows):
    return np.array(rows, dtype=object) * F(1)


def test_derivation_from_the_loss():
    assert derive_update() == (True, True)


def test_rank_one_counterexample():
    """d = 3, k = n = 2, identity frames, Sigma_i = diag(1, 0): alignment kept for every step
    (checked for 4), yet (4) = [[14, 7], [0, 0]] is not diagonal."""
    X, Y = _obj([[1, 1], [0, 1]]), _obj([[8, 8], [0, 0]])
    frames = [identity(2)] * 4
    W0 = aligned_layers_exact(frames, [[F(1), F(0)]] * 3)
    assert step_verdicts(frames, W0, X, Y, F(1, 20)) == (True, False)
    traj = trajectory_exact(W0, X, Y, F(1, 20), 4)
    assert frame_residual(traj, frames, strong=False)[0] == 0
    M = matrix4(W0, frames, X, Y)
    assert [[M[i, j] for j in range(2)] for i in range(2)] == [[14, 7], [0, 0]]


def test_depth_two_mutant_construction():
    inst = {f"R{i}": _obj([[0, 1], [0, 0]]) * F(i, 2) for i in range(3)}
    inst.update(a=F(1, 2), b=F(1, 4))
    frames, W0, X, Y, lr = depth_two_state(inst)
    assert step_verdicts(frames, W0, X, Y, lr) == (True, False)
    inst["b"] = F(0)
    frames, W0, X, Y, lr = depth_two_state(inst)
    assert step_verdicts(frames, W0, X, Y, lr) == (True, True)
