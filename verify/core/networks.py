"""Batched deep linear networks: end-to-end products, exact layer gradients, GD.

``weights[j]`` has shape (B, k_{j+1}, k_j) and layer 1 acts first, so the network maps x to
``W_d ... W_1 x`` (Arora et al., seed 002, §2). Losses are functions of the end-to-end matrix
(:mod:`verify.core.losses`); layer gradients follow by the chain rule

    dL/dW_j = (W_d ... W_{j+1})^T  G  (W_{j-1} ... W_1)^T,    G = dL/dW,

computed with the prefix products ``P_j = W_j ... W_1`` of the forward pass and a backward
recursion for the suffix side (3(d-1) matrix products for all d layers). When the output is
narrower than the input the same recursion runs on the transposed network, so the cost scales
with ``min(k_0, k_d)``. Every formula takes a backend ``xp`` (:mod:`verify.core.backend`) and
is shared with the high-precision twin (:mod:`verify.core.hp`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from verify.core.backend import NUMPY, Backend, WorkspaceBackend
from verify.core.losses import (
    ExponentialLoss,
    LogisticLoss,
    Loss,
    SensingLoss,
    SquaredLoss,
    WhitenedLoss,
)
from verify.core.memory import DEFAULT_BUDGET, chunk_size, chunks, network_trial_bytes
from verify.errors import VerifyError

__all__ = [
    "ExponentialLoss",
    "LogisticLoss",
    "Loss",
    "SensingLoss",
    "SquaredLoss",
    "Trajectory",
    "WhitenedLoss",
    "end_to_end",
    "forward",
    "gd",
    "gd_step",
    "layer_gradients",
    "prefix_products",
    "value_and_gd_step",
    "value_and_layer_gradients",
    "widths",
]


def widths(weights: Sequence[Any]) -> tuple[int, ...]:
    """The widths (k_0, ..., k_d) of a network given as numpy stacks."""
    if not weights:
        raise VerifyError("a network needs at least one layer")
    dims = [int(weights[0].shape[-1])] + [int(w.shape[-2]) for w in weights]
    for j, w in enumerate(weights):
        if w.shape[-1] != dims[j]:
            raise VerifyError(f"layer {j + 1} has shape {w.shape[-2:]}, expected input {dims[j]}")
    return tuple(dims)


def prefix_products(weights: Sequence[Any], xp: Backend = NUMPY) -> list[Any]:
    """``[W_1, W_2 W_1, ..., W_d ... W_1]`` (each prefix computed once)."""
    out = [weights[0]]
    for w in weights[1:]:
        out.append(xp.matmul(w, out[-1]))
    return out


def end_to_end(weights: Sequence[Any], xp: Backend = NUMPY) -> Any:
    """The end-to-end matrix ``W_d ... W_1``, shape (B, k_d, k_0)."""
    out = weights[0]
    for w in weights[1:]:
        out = xp.matmul(w, out)
    return out


def forward(weights: Sequence[Any], X: Any, xp: Backend = NUMPY) -> Any:
    """Network outputs ``W_d ... W_1 X`` for inputs X (k_0, n) or (B, k_0, n)."""
    out = X
    for w in weights:
        out = xp.matmul(w, out)
    return out


GradFn = Callable[[Any], tuple[Any, Any]]


def _chain_gradients(weights: Sequence[Any], value_grad: GradFn, eta: Any,
                     xp: Backend) -> tuple[Any, Any, list[Any]]:
    """(value, end-to-end, eta * layer gradients) by prefix products and backward recursion.

    Works with ``At_j = G^T W_d ... W_{j+1}`` (transposed backward products) so that every
    product has contiguous or doubly transposed operands (fast stacked BLAS in numpy).
    """
    d = len(weights)
    prefixes = prefix_products(weights, xp)
    value, G = value_grad(prefixes[-1])
    At = xp.scale(xp.T(G), eta)
    grads: list[Any] = [None] * d
    for j in range(d - 1, 0, -1):
        grads[j] = xp.matmul(xp.T(At), xp.T(prefixes[j - 1]))
        if j > 1:
            At = xp.matmul(At, weights[j])
    grads[0] = xp.matmul(xp.T(weights[1]), xp.T(At)) if d > 1 else xp.T(At)
    return value, prefixes[-1], grads


def _scaled_gradients(weights: Sequence[Any], loss: Loss, eta: Any,
                      xp: Backend) -> tuple[Any, Any, list[Any]]:
    """(value, end-to-end, eta * layer gradients); recursion on the narrower side."""
    k_in = _dim(weights[0], -1)
    k_out = _dim(weights[-1], -2)
    if k_out >= k_in:
        return _chain_gradients(weights, lambda W: loss.value_and_grad(W, xp), eta, xp)

    def transposed(Wt: Any) -> tuple[Any, Any]:
        value, G = loss.value_and_grad(xp.T(Wt), xp)
        return value, xp.T(G)

    mirrored = [xp.T(w) for w in reversed(weights)]
    value, Wt, grads = _chain_gradients(mirrored, transposed, eta, xp)
    return value, xp.T(Wt), [xp.T(g) for g in reversed(grads)]


def _dim(mat: Any, axis: int) -> int:
    if hasattr(mat, "shape"):
        return int(mat.shape[axis])
    if hasattr(mat, "nrows"):
        return int(mat.nrows() if axis == -2 else mat.ncols())
    return int(mat.rows if axis == -2 else mat.cols)


CACHE_BLOCK_BYTES = 2**19
"""Batches are processed in blocks whose largest stacked array is about this size, so the
intermediate products of a step stay in cache (2-3x faster than one pass over a large batch)."""


def _block_trials(weights: Sequence[np.ndarray]) -> int:
    k0 = weights[0].shape[-1]
    largest = max(max(w.shape[-1] * w.shape[-2], w.shape[-2] * k0) for w in weights)
    return max(1, CACHE_BLOCK_BYTES // (8 * largest))


_LOCAL = threading.local()


def _workspace() -> WorkspaceBackend:
    """This thread's buffer pool for the cache-blocked numpy path."""
    ws = getattr(_LOCAL, "workspace", None)
    if ws is None:
        ws = _LOCAL.workspace = WorkspaceBackend()
    return ws


def _blocked(weights: Sequence[np.ndarray], loss: Loss, eta: Any, update: bool,
             out: Sequence[np.ndarray] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Cache-blocked numpy evaluation of values and either eta * gradients or GD updates,
    written into ``out`` (fresh arrays when None; ``out`` may be ``weights`` itself)."""
    B = weights[0].shape[0]
    values = np.empty(B)
    out = [np.empty(w.shape) for w in weights] if out is None else list(out)
    per_trial = np.ndim(eta) > 0
    loss.data(NUMPY)
    xp = _workspace()
    for sl in chunks(B, _block_trials(weights)):
        xp.reset()
        part = [w[sl] for w in weights]
        v, _, grads = _scaled_gradients(part, loss.take(sl), eta[sl] if per_trial else eta, xp)
        values[sl] = v
        for o, w, g in zip(out, part, grads, strict=True):
            if update:
                np.subtract(w, g, out=o[sl])
            else:
                o[sl] = g
    return values, out


def _is_numpy_batch(weights: Sequence[Any], xp: Backend) -> bool:
    return xp is NUMPY and all(isinstance(w, np.ndarray) and w.ndim == 3 for w in weights)


def value_and_layer_gradients(weights: Sequence[Any], loss: Loss,
                              xp: Backend = NUMPY) -> tuple[Any, list[Any]]:
    """Loss value per trial (B,) and the exact gradient of every layer."""
    if _is_numpy_batch(weights, xp):
        return _blocked(weights, loss, 1.0, update=False)
    value, _, grads = _scaled_gradients(weights, loss, 1, xp)
    return value, grads


def layer_gradients(weights: Sequence[Any], loss: Loss, xp: Backend = NUMPY) -> list[Any]:
    """Exact gradients ``dL/dW_j`` of every layer, each of the layer's shape (B, k_j, k_{j-1})."""
    return value_and_layer_gradients(weights, loss, xp)[1]


def value_and_gd_step(weights: Sequence[Any], loss: Loss, eta: Any, xp: Backend = NUMPY,
                      out: Sequence[np.ndarray] | None = None) -> tuple[Any, list[Any]]:
    """Loss value before the step (B,) and the weights after one GD step.

    With numpy stacks, ``out`` (arrays of the layers' shapes, possibly ``weights`` itself for
    an in-place update) receives the new weights.
    """
    if _is_numpy_batch(weights, xp):
        return _blocked(weights, loss, np.asarray(eta, dtype=float) if np.ndim(eta) else eta,
                        update=True, out=out)
    if out is not None:
        raise VerifyError("out= needs numpy stacks of shape (B, k_j, k_{j-1})")
    value, _, grads = _scaled_gradients(weights, loss, eta, xp)
    return value, [xp.sub(w, g) for w, g in zip(weights, grads, strict=True)]


def gd_step(weights: Sequence[Any], loss: Loss, eta: Any, xp: Backend = NUMPY,
            out: Sequence[np.ndarray] | None = None) -> list[Any]:
    """One gradient-descent step ``W_j <- W_j - eta dL/dW_j`` for the whole batch.

    ``eta`` is a number or (numpy) an array of shape (B,) with one step size per trial;
    ``out`` as in :func:`value_and_gd_step` (e.g. ``out=weights`` steps in place).
    """
    return value_and_gd_step(weights, loss, eta, xp, out)[1]


@dataclass
class Trajectory:
    """A batched GD run: ``weights`` after the last step; ``steps`` (R,) the recorded step
    indices; ``losses`` (R, B) the loss at those steps; ``end_to_end`` (R, B, k_d, k_0) the
    end-to-end matrices there (None unless ``record_every`` was given)."""

    weights: list[np.ndarray]
    steps: np.ndarray
    losses: np.ndarray
    end_to_end: np.ndarray | None = None

    @property
    def final_loss(self) -> np.ndarray:
        """Loss after the last step, shape (B,)."""
        return self.losses[-1]


def _record_steps(steps: int, record_every: int | None) -> np.ndarray:
    if record_every is None:
        return np.array(sorted({0, steps}), dtype=int)
    if record_every < 1:
        raise VerifyError("record_every must be a positive integer")
    return np.array(sorted(set(range(0, steps + 1, record_every)) | {steps}), dtype=int)


def gd(weights: Sequence[np.ndarray], loss: Loss, eta: float | np.ndarray, steps: int,
       record_every: int | None = None, *, budget: int = DEFAULT_BUDGET) -> Trajectory:
    """Run ``steps`` GD steps on a batch of networks.

    Losses are recorded at step 0, every ``record_every`` steps and at the end (only the first
    and last when ``record_every`` is None); with ``record_every`` the end-to-end matrices are
    recorded too. The batch is processed in chunks whose working set fits ``budget`` bytes.
    """
    if steps < 0:
        raise VerifyError("steps must be >= 0")
    weights = [np.asarray(w, dtype=float) for w in weights]
    dims = widths(weights)
    B = int(weights[0].shape[0])
    record = _record_steps(steps, record_every)
    eta_arr = np.broadcast_to(np.asarray(eta, dtype=float), (B,))
    n_rec = len(record)
    per_trial = network_trial_bytes(dims) + 8 * n_rec * (1 + (dims[-1] * dims[0]
                                                             if record_every else 0))
    size = chunk_size(per_trial, budget, B)
    final = [np.empty_like(w) for w in weights]
    losses = np.empty((n_rec, B))
    ends = np.empty((n_rec, B, dims[-1], dims[0])) if record_every else None
    for sl in chunks(B, size):
        part_loss = loss.take(sl)
        ws = [w[sl].copy() for w in weights]
        lr = eta_arr[sl] if np.ndim(eta) else float(eta)
        r = 0
        for t in range(steps + 1):
            recording = t == record[r]
            if recording and ends is not None:
                ends[r, sl] = end_to_end(ws)
            if t < steps:
                value, ws = value_and_gd_step(ws, part_loss, lr, out=ws)
            else:
                value = part_loss.value(end_to_end(ws))
            if recording:
                losses[r, sl] = value
                r += 1
        for out, w in zip(final, ws, strict=True):
            out[sl] = w
    return Trajectory(final, record, losses, ends)
