"""Gradient-descent runs of the alignment experiments (seed 001, §6 and App. L; 000 App. L).

* :func:`coefficient_step`: ALIGN Theorem 2 (§5.1, Definition 4): gradient descent on the
  coefficients ``c_j`` of ``W_i = sum_j c_j A_j`` for a layer with structure
  ``S = span{A_j}``. With ``G = dL/dW_i``, ``dL/dc_j = <A_j, G>`` and the step is
  ``W_i <- W_i - eta sum_j <A_j, G> A_j``: projected GD when the ``A_j`` are orthonormal,
  a per-direction scaled projection otherwise (footnote 3). A layer without structure
  (``None``) takes the plain step. Batched numpy and exact (``fmpq_mat``) forms.
* :func:`run`: a batched GD run keeping the weights at chosen checkpoints (and the losses),
  optionally stopping once every trial's loss is below a threshold.
* :func:`defect_curve`: the frame-free invariance defect of
  :func:`verify.core.alignment.invariance_defect` between ``W(0)`` and each checkpoint
  ``W(t)``, relative (excess / scale): zero for all t when the frames are frozen (Definition 3),
  so a positive value proves they moved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import flint
import numpy as np

from verify.core.alignment import invariance_defect
from verify.core.backend import NUMPY, Backend
from verify.core.hp import FMPQ
from verify.core.losses import Loss
from verify.core.networks import value_and_layer_gradients
from verify.errors import VerifyError

Bases = Sequence[np.ndarray | None]
"""Per layer: a basis stack ``(r, k_i, k_{i-1})`` of its structure, or None (fully connected)."""


def coefficient_step(weights: Sequence[Any], loss: Loss, eta: Any, bases: Bases | None = None,
                     xp: Backend = NUMPY) -> tuple[Any, list[Any]]:
    """Loss before the step and the weights after one GD step on the basis coefficients
    (Theorem 2); numpy stacks (B, k_i, k_{i-1}) or, with ``xp=FMPQ``, one exact instance."""
    value, grads = value_and_layer_gradients(weights, loss, xp)
    bases = bases if bases is not None else [None] * len(weights)
    out = []
    for W, G, A in zip(weights, grads, bases, strict=True):
        step = G if A is None else structured_direction(G, A)
        out.append(xp.sub(W, xp.scale(step, eta)))
    return value, out


def structured_direction(G: Any, A: np.ndarray) -> Any:
    """``sum_j <A_j, G> A_j`` for a gradient G (numpy stack or fmpq_mat) and a basis A."""
    if isinstance(G, np.ndarray):
        coeff = np.tensordot(G, A, axes=([-2, -1], [-2, -1]))  # (B, r)
        return np.tensordot(coeff, A, axes=([-1], [0]))
    rows, cols = G.nrows(), G.ncols()
    out = flint.fmpq_mat(rows, cols)
    g = G.entries()
    for basis in A:
        flat = [int(v) for v in np.asarray(basis).ravel()]
        c = sum((g[i] * flat[i] for i in range(len(flat)) if flat[i]), flint.fmpq(0))
        if c == 0:
            continue
        for i, v in enumerate(flat):
            if v:
                out[i // cols, i % cols] += c * v
    return out


def is_in_structure(W: np.ndarray, A: np.ndarray, rtol: float = 1e-12) -> np.ndarray:
    """Batched: is each W (B, m, n) in span(A) (orthogonal basis A)? Residual of the
    orthogonal projection relative to ||W||."""
    norms = np.tensordot(A, A, axes=([-2, -1], [-2, -1])).diagonal()
    coeff = np.tensordot(W, A, axes=([-2, -1], [-2, -1])) / norms
    resid = W - np.tensordot(coeff, A, axes=([-1], [0]))
    return np.linalg.norm(resid, axis=(-2, -1)) <= rtol * np.linalg.norm(W, axis=(-2, -1))


@dataclass
class Run:
    """A batched GD run: ``steps`` (T,) checkpoint steps (step 0 first), ``weights[t]`` the
    layers there, ``losses`` (T, B) the loss there, ``stopped`` the last step taken."""

    steps: list[int]
    weights: list[list[np.ndarray]]
    losses: np.ndarray
    stopped: int


def run(weights: Sequence[np.ndarray], loss: Loss, eta: float, max_steps: int,
        checkpoints: Sequence[int], bases: Bases | None = None,
        stop_below: float | None = None) -> Run:
    """GD (Theorem 2's coefficient step when ``bases`` is given) for at most ``max_steps``
    steps; weights kept at step 0 and at each checkpoint <= max_steps; with ``stop_below`` the
    run ends (and is recorded) at the first step where every trial's loss is below it."""
    ws = [np.array(w, dtype=float) for w in weights]
    marks = sorted({0, *(c for c in checkpoints if 0 < c <= max_steps)})
    steps, kept, losses = [], [], []
    t = 0
    while True:
        value, new = coefficient_step(ws, loss, eta, bases)
        done = t == max_steps or (stop_below is not None and bool(np.all(value < stop_below)))
        if t in marks or done:
            steps.append(t)
            kept.append([w.copy() for w in ws])
            losses.append(np.asarray(value, dtype=float))
        if done:
            return Run(steps, kept, np.array(losses), t)
        ws = new
        t += 1


def geometric_checkpoints(max_steps: int, count: int) -> list[int]:
    """About ``count`` checkpoints from 1 to ``max_steps``, spaced geometrically."""
    pts = np.unique(np.round(np.geomspace(1, max(max_steps, 1), count)).astype(int))
    return [int(p) for p in pts]


def defect_curve(traj: Run | Sequence[Sequence[Any]], strong: bool = False,
                 measure: Callable[..., tuple[Any, Any]] = invariance_defect) -> list[Any]:
    """Relative invariance defect of ``[W(0), W(t)]`` for each checkpoint t >= 1.

    numpy weights: a list of (B,) arrays, NaN where the run has left the floats (a diverged
    run has no defined defect; checks then treat the trial as inadmissible rather than read
    its non-finite weights as frozen frames); exact (fmpq_mat) weights: a list of ``fmpq``.
    """
    weights = traj.weights if isinstance(traj, Run) else traj
    out = []
    for w in weights[1:]:
        excess, scale = measure([weights[0], w], strong=strong)
        if isinstance(excess, np.ndarray):
            rel = np.divide(excess, scale, out=np.zeros_like(excess), where=scale > 0)
            out.append(np.where(np.isfinite(excess) & np.isfinite(scale), rel, np.nan))
        else:
            out.append(excess / scale if scale != 0 else flint.fmpq(0))
    return out


def exact_run(weights: Sequence[Any], loss: Loss, eta: Any, steps: int,
              bases: Bases | None = None) -> list[list[Any]]:
    """Exact rational GD (Theorem 2's coefficient step with ``bases``) of one instance:
    ``[W(0), ..., W(steps)]`` as fmpq_mat (weights: fmpq_mat; loss: exact data)."""
    lr = FMPQ.scalar(eta)
    out = [list(weights)]
    for _ in range(steps):
        out.append(coefficient_step(out[-1], loss, lr, bases, xp=FMPQ)[1])
    return out


# --------------------------------------------------------------------------- experiment properties


Build = Callable[[Any], tuple[list[Any], Loss, "Bases | None"]]
"""From a batch (numpy) or an exact instance: ``(initial layers, loss, bases)``."""


@dataclass(frozen=True)
class Experiment:
    """One experiment of App. L: how to build the network, data and layer structure from a
    batch (``build``) or an exact instance (``build_exact``, fmpq_mat layers and a loss on
    exact data), the learning rate, and which frames Definition 3 freezes (``strong``)."""

    build: Build
    build_exact: Build | None
    eta: Any
    strong: bool = False

    def first_steps_defect(self, batch: Any, steps: int) -> np.ndarray:
        """Relative invariance defect of [W(0), ..., W(steps)] (float64, batched)."""
        weights, loss, bases = self.build(batch)
        traj = run(weights, loss, float(self.eta), steps, range(1, steps + 1), bases)
        excess, scale = invariance_defect(traj.weights, strong=self.strong)
        return np.divide(excess, scale, out=np.zeros_like(excess), where=scale > 0)

    def first_steps_defect_exact(self, inst: Any, steps: int) -> flint.fmpq:
        """The same, exactly in rationals (one instance)."""
        if self.build_exact is None:
            raise VerifyError("this experiment has no exact twin")
        weights, loss, bases = self.build_exact(inst)
        traj = exact_run(weights, loss, self.eta, steps, bases)
        excess, scale = invariance_defect(traj, strong=self.strong)
        return excess / scale if scale != 0 else flint.fmpq(0)

    def long_run(self, batch: Any, max_steps: int, checkpoints: Sequence[int],
                 stop_below: float | None) -> tuple[Run, np.ndarray]:
        """The float64 run and its defect curve (T - 1, B) against W(0)."""
        weights, loss, bases = self.build(batch)
        traj = run(weights, loss, float(self.eta), max_steps, checkpoints, bases, stop_below)
        return traj, np.array(defect_curve(traj, strong=self.strong))
