"""Batched gradient flow ``dTheta/dt = -grad L(Theta)`` with error control and convergence reports.

All trials are integrated together by one scipy ``solve_ivp`` call per segment on the
flattened batch (trial-major, so the Jacobian is block diagonal: banded for LSODA, a sparsity
pattern for Radau/BDF). The default LSODA switches to BDF when the flow becomes stiff near a
minimum, which keeps t up to 1e6 and beyond cheap, and measures errors in the max norm, so the
tolerances hold for every trial. (DOP853 and the other Runge-Kutta methods use an RMS norm over
the whole state; their tolerances are divided by sqrt(B) so they still hold per trial.)

With a stopping rule (``until_loss`` / ``until_grad``) time advances in doubling segments
(1, 2, 4, ...: log-time); after each segment the trials that meet the rule are frozen at that
time and dropped from the integration. Nothing is assumed: :class:`FlowResult` reports each
trial's time, loss, gradient norm, why it stopped and how much it still moved in its last
segment. A ``until_grad`` below the integrator's noise floor (about ``rtol`` times the
gradient's scale) may never be met; ``max_time`` and ``max_nfev`` bound such runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.integrate import solve_ivp

from verify.core import networks
from verify.core import tensor_networks as tn
from verify.core.losses import Loss
from verify.errors import VerifyError

DEFAULT_RTOL = 1e-11
DEFAULT_ATOL = 1e-13
DEFAULT_MAX_TIME = 1e7
DEFAULT_MAX_NFEV = 10**6


@dataclass
class FlowResult:
    """Outcome of a batched gradient-flow run (arrays have a leading axis B).

    ``weights``: parameters at time ``t``; ``loss`` and ``grad_norm`` (Frobenius norm of the
    full gradient) there; ``status``: ``"loss"`` / ``"grad"`` (stopping rule met),
    ``"time"`` (reached ``t_end``), ``"max_time"`` (gave up at ``max_time``), ``"budget"``
    (gave up after ``max_nfev`` gradient evaluations) or ``"failed"``
    (integrator failure or non-finite state); ``converged``: stopping rule met (or, without
    one, ``t_end`` reached); ``last_change``: norm of the parameter change over the trial's
    last segment (small = nearly stationary).
    """

    weights: list[np.ndarray]
    t: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    converged: np.ndarray
    status: np.ndarray
    last_change: np.ndarray
    nfev: int
    segments: int
    message: str


GradFn = Callable[[list[np.ndarray], np.ndarray], tuple[np.ndarray, list[np.ndarray]]]


def _pack(arrays: Sequence[np.ndarray]) -> np.ndarray:
    B = arrays[0].shape[0]
    return np.concatenate([a.reshape(B, -1) for a in arrays], axis=1)


def _unpack(state: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    out, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(state[:, start: start + size].reshape((state.shape[0], *tuple(shape))))
        start += size
    return out


def _solver_options(method: str, n_trials: int, p: int, rtol: float,
                    atol: float) -> dict[str, object]:
    if method == "LSODA":
        return {"rtol": rtol, "atol": atol, "lband": p - 1, "uband": p - 1}
    if method in ("Radau", "BDF"):
        pattern = sparse.block_diag([np.ones((p, p))] * n_trials, format="csc")
        return {"rtol": rtol, "atol": atol, "jac_sparsity": pattern}
    if method in ("DOP853", "RK45", "RK23"):
        shrink = np.sqrt(n_trials)
        return {"rtol": rtol / shrink, "atol": atol / shrink}
    raise VerifyError(f"unknown integration method {method!r}")


def integrate(params: Sequence[np.ndarray], value_and_grads: GradFn, t_end: float | None = None,
              *, until_loss: float | None = None, until_grad: float | None = None,
              rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
              max_time: float = DEFAULT_MAX_TIME, method: str = "LSODA",
              max_nfev: int = DEFAULT_MAX_NFEV) -> FlowResult:
    """Gradient flow of any batched parametrisation.

    ``value_and_grads(params, idx)`` returns the loss (n,) and the gradients of the parameters
    ``params`` (each (n, ...)) of trials ``idx`` (indices into the batch).
    """
    if t_end is None and until_loss is None and until_grad is None:
        raise VerifyError("gradient flow needs t_end or a stopping rule (until_loss/until_grad)")
    params = [np.asarray(p, dtype=float) for p in params]
    shapes = [p.shape[1:] for p in params]
    state = _pack(params)
    B, p = state.shape
    horizon = float(max_time if t_end is None else t_end)
    has_rule = until_loss is not None or until_grad is not None

    def measure(y: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        value, grads = value_and_grads(_unpack(y, shapes), idx)
        return np.asarray(value, dtype=float), np.linalg.norm(_pack(grads), axis=1)

    t = np.zeros(B)
    status = np.full(B, "running", dtype=object)
    last_change = np.full(B, np.nan)
    loss, gnorm = measure(state, np.arange(B))
    active = np.arange(B)
    nfev, segments, message = 0, 0, "ok"
    t_now, seg = 0.0, (min(1.0, horizon) if has_rule else horizon)
    while True:
        met = np.zeros(active.size, dtype=bool)
        if until_loss is not None:
            hit = loss[active] <= until_loss
            status[active[hit]] = "loss"
            met |= hit
        if until_grad is not None:
            hit = ~met & (gnorm[active] <= until_grad)
            status[active[hit]] = "grad"
            met |= hit
        bad = ~np.isfinite(state[active]).all(axis=1) | ~np.isfinite(loss[active])
        status[active[bad & ~met]] = "failed"
        active = active[~(met | bad)]
        if active.size == 0 or t_now >= horizon or nfev >= max_nfev:
            break
        t_next = min(horizon, t_now + seg)
        idx = active

        def rhs(_: float, y: np.ndarray, idx: np.ndarray = idx) -> np.ndarray:
            _, grads = value_and_grads(_unpack(y.reshape(idx.size, p), shapes), idx)
            return -_pack(grads).ravel()

        sol = solve_ivp(rhs, (t_now, t_next), state[idx].ravel(), method=method,
                        t_eval=[t_next], **_solver_options(method, idx.size, p, rtol, atol))
        nfev += int(sol.nfev)
        segments += 1
        if not sol.success:
            status[idx] = "failed"
            message = str(sol.message)
            active = active[:0]
            break
        new = sol.y[:, -1].reshape(idx.size, p)
        last_change[idx] = np.linalg.norm(new - state[idx], axis=1)
        state[idx] = new
        t[idx] = t_next
        loss[idx], gnorm[idx] = measure(new, idx)
        t_now, seg = t_next, t_next
    if t_end is not None and t_now >= t_end:
        status[active] = "time"
    else:
        status[active] = "max_time" if t_now >= horizon else "budget"
    converged = np.isin(status, ["loss", "grad"]) | ((status == "time") & (not has_rule))
    return FlowResult(_unpack(state, shapes), t, loss, gnorm, converged,
                      status.astype(str), last_change, nfev, segments, message)


def gradient_flow(weights: Sequence[np.ndarray], loss: Loss, t_end: float | None = None, *,
                  until_loss: float | None = None, until_grad: float | None = None,
                  rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
                  max_time: float = DEFAULT_MAX_TIME, method: str = "LSODA",
                  max_nfev: int = DEFAULT_MAX_NFEV) -> FlowResult:
    """Gradient flow of a batch of deep linear networks (weights (B, k_j, k_{j-1})).

    Integrates to ``t_end``, or until every trial has loss <= ``until_loss`` or gradient
    norm <= ``until_grad`` (each trial is stopped when it qualifies), or ``max_time``.
    """

    def value_and_grads(ws: list[np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, list]:
        return networks.value_and_layer_gradients(ws, loss.take(idx))

    return integrate(weights, value_and_grads, t_end, until_loss=until_loss,
                     until_grad=until_grad, rtol=rtol, atol=atol, max_time=max_time,
                     method=method, max_nfev=max_nfev)


def tensor_gradient_flow(net: tn.TensorNetwork, params: Sequence[np.ndarray], loss: Loss,
                         t_end: float | None = None, *, until_loss: float | None = None,
                         until_grad: float | None = None, rtol: float = DEFAULT_RTOL,
                         atol: float = DEFAULT_ATOL, max_time: float = DEFAULT_MAX_TIME,
                         method: str = "LSODA", max_nfev: int = DEFAULT_MAX_NFEV) -> FlowResult:
    """Gradient flow of a batch of linear tensor networks (params (B, k_l)); as
    :func:`gradient_flow`, with ``FlowResult.weights`` holding the parameter vectors."""

    def value_and_grads(ps: list[np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, list]:
        return tn.value_and_gradients(net, ps, loss.take(idx))

    return integrate(params, value_and_grads, t_end, until_loss=until_loss,
                     until_grad=until_grad, rtol=rtol, atol=atol, max_time=max_time,
                     method=method, max_nfev=max_nfev)
