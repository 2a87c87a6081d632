"""Tests of verify.core.alignment: aligned layers, frozen-frame residuals (given frames) and the
frame-free invariance defect, in float64 and exactly; robustness to sign flips, permutations,
repeated and zero singular values; exactly frozen frames are never reported as updated."""

from fractions import Fraction

import numpy as np

from verify.core.alignment import (
    aligned_layers,
    aligned_layers_exact,
    frame_residual,
    invariance_defect,
    matrix4,
    trajectory,
    trajectory_exact,
)
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.measures import alignment_defect

F = Fraction


def _obj(rows):
    return np.array(rows, dtype=object) * F(1)


def _exact_frames(rng, k, count):
    return [cayley_exact(_obj(np.round(4 * rng.standard_normal((k, k))) / 4))
            for _ in range(count)]


def _condition_data(frames, sx, sy):
    """X = V diag(sx), Y = U diag(sy) (k = n): Theorem 1's condition holds with U, V."""
    k = len(sx)
    Sx, Sy = np.zeros((k, k), dtype=object), np.zeros((k, k), dtype=object)
    for j in range(k):
        Sx[j, j], Sy[j, j] = F(sx[j]), F(sy[j])
    V, U = frames[0], frames[-1]
    X = np.array((V * _fmpq(Sx)).entries(), dtype=object).reshape(k, k)
    Y = np.array((U * _fmpq(Sy)).entries(), dtype=object).reshape(k, k)
    return _frac(X), _frac(Y)


def _fmpq(a):
    from verify.core.hp_linalg import to_fmpq_mat

    return to_fmpq_mat(a)


def _frac(a):
    return np.vectorize(lambda q: F(int(q.p), int(q.q)), otypes=[object])(a)


def test_aligned_layers_float_and_exact_agree():
    rng = np.random.default_rng(0)
    R = [np.round(4 * rng.standard_normal((1, 3, 3))) / 4 for _ in range(4)]
    s = [np.array([[1.0, -0.5, 0.0]]), np.array([[2.0, 2.0, 1.0]]), np.array([[1.0, 0.0, 3.0]])]
    Wf = aligned_layers([cayley(r) for r in R], s)
    We = aligned_layers_exact([cayley_exact(_obj(r[0])) for r in R], [x[0] for x in s])
    for a, b in zip(Wf, We, strict=True):
        exact = np.array([[int(v.p) / int(v.q) for v in row] for row in
                          np.array(b.entries()).reshape(3, 3)])
        assert np.allclose(a[0], exact, atol=1e-12)
    assert alignment_defect(Wf).max() < 1e-12


def test_frozen_frames_exact_with_repeated_and_zero_singular_values():
    """Witness frames on condition data: frames stay frozen exactly, even with tied, zero and
    negative singular values, and the frame-free defect is exactly zero too."""
    rng = np.random.default_rng(1)
    frames = _exact_frames(rng, 3, 4)
    X, Y = _condition_data(frames, [1, 1, 0], [2, -1, 0])
    sig = [[F(1), F(1), F(0)], [F(1, 2), F(1, 2), F(2)], [F(-1), F(1), F(1)]]
    traj = trajectory_exact(aligned_layers_exact(frames, sig), X, Y, F(1, 8), 3)
    assert traj[1] != traj[0]
    assert frame_residual(traj, frames, strong=True)[0] == 0
    assert invariance_defect(traj, strong=True)[0] == 0
    assert invariance_defect(traj, strong=False)[0] == 0


def test_defect_is_basis_free():
    """Permuting and sign-flipping the frames (another usSVD of the same layers) changes
    nothing in the frame-free defect; the given-frame residual stays zero for the new frames."""
    rng = np.random.default_rng(2)
    frames = _exact_frames(rng, 3, 4)
    X, Y = _condition_data(frames, [2, 1, 1], [1, 1, 3])
    sig = [[F(1), F(2), F(3)]] * 3
    traj = trajectory_exact(aligned_layers_exact(frames, sig), X, Y, F(1, 16), 2)
    Pm = _fmpq(_obj([[0, -1, 0], [0, 0, 1], [1, 0, 0]]))
    moved = [f * Pm for f in frames]
    assert frame_residual(traj, moved, strong=True)[0] == 0
    assert invariance_defect(traj)[0] == 0


def test_breaking_is_detected_exactly_and_in_float():
    """Random data (condition fails): one exact step breaks every choice of frames."""
    rng = np.random.default_rng(3)
    frames = _exact_frames(rng, 3, 4)
    X = _obj(np.round(4 * rng.standard_normal((3, 3))) / 4)
    Y = _obj(np.round(4 * rng.standard_normal((3, 3))) / 4)
    sig = [[F(1), F(2), F(3)]] * 3
    W0 = aligned_layers_exact(frames, sig)
    traj = trajectory_exact(W0, X, Y, F(1, 16), 1)
    assert frame_residual(traj, frames)[0] > 0
    assert invariance_defect(traj)[0] > 0
    Wf = [np.array([[int(v.p) / int(v.q) for v in w.entries()]]).reshape(1, 3, 3) for w in W0]
    tf = trajectory(Wf, np.array(X, dtype=float), np.array(Y, dtype=float), 1 / 16, 1)
    e, s = invariance_defect(tf)
    assert e[0] > 1e-6 * s[0]


def test_weak_invariant_allows_outer_frames_to_move():
    """A rank-one first layer whose right singular vector turns: alignment (weak) holds, strong
    alignment does not; matrix (4) is not diagonal."""
    X = _obj([[1, 1], [0, 1]])
    Y = _obj([[8, 8], [0, 0]])
    eye = _fmpq(_obj([[1, 0], [0, 1]]))
    frames = [eye] * 4
    W0 = aligned_layers_exact(frames, [[F(1), F(0)], [F(1), F(0)], [F(1), F(0)]])
    traj = trajectory_exact(W0, X, Y, F(1, 20), 3)
    assert frame_residual(traj, frames, strong=False)[0] == 0
    assert invariance_defect(traj, strong=False)[0] == 0
    assert frame_residual(traj, frames, strong=True)[0] > 0
    M = matrix4(W0, frames, X, Y)
    assert M[0, 1] != 0
