"""Separable classification with linear tensor networks (seed 003, §4, App C-E): the
arc-length gradient flow, measured directional convergence, and max-margin problems.

Arc-length flow. For the exponential loss ``L = sum_i exp(-y_i f(x_i))`` the gradient flow
``dTheta/dt = -grad L`` is, up to a change of time, the flow

    dTheta/ds = -grad L / ||grad L|| = -grad log L / ||grad log L||,

whose time ``s`` is the arc length of the trajectory: both have the same trajectory (the
speed is positive while ``grad L != 0``). ``grad log L`` is evaluated stably through the
softmax of the negative margins (:class:`LogExponentialLoss`), so the trajectory can be
followed to norms at which ``L`` underflows; the direction of ``Theta`` then converges like
an inverse power of the norm instead of ``1 / log t``. :func:`arc_length_flow` integrates it
with the shared integrator :func:`verify.core.flow.integrate` and records, at log-spaced arc
lengths, the parameters, ``beta``, the direction of ``X^T r`` and the log-loss, so directional
convergence is *measured* (:func:`direction_change`), never assumed.

Max-margin problems. ``minimize ||T z||_p subject to y_i x_i^T z >= 1`` for ``p = 2/L``
(``T`` real or complex, m x d): :func:`l2_max_margin` (SLSQP, convex), :func:`lp_max_margin`
(multi-start SLSQP on a smoothed objective with continuation, then polished on the active
set; ``p < 1`` is non-convex and only stationary points are claimed) and
:func:`kkt_residual`, the stationarity defect of a point in the paper's sense (App D.1, the
local subdifferential of ``||.||_{2/L}``): on the support, ``p |rho_j|^{p-1} e^{i arg rho_j}``
must equal ``[T^{-H}-side gradient of the constraints]_j`` for multipliers ``mu >= 0`` on the
active constraints (computed by NNLS); for ``p = 1`` also ``|.| <= 1`` off the support.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

import flint
import numpy as np
import scipy.optimize
from scipy.special import logsumexp, softmax

from verify.core import flow
from verify.core import tensor_networks as tn
from verify.core.losses import Loss

RATE_MAX = 0.6
"""Largest ratio of consecutive directional changes accepted as geometric decay."""


class LogExponentialLoss(Loss):
    """``log sum_i exp(-y_i W x_i)`` (numpy, batched like :class:`ExponentialLoss`): its
    gradient is the exponential loss's divided by the loss, ``-sum_i y_i p_i x_i^T`` with
    ``p = softmax(-margins)``, finite at any scale."""

    _core_ndim: ClassVar[dict[str, int]] = {"X": 2, "y": 1}

    def __init__(self, X: Any, y: Any) -> None:
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        super().__init__()

    def _prepare(self, xp: Any) -> dict[str, Any]:
        """Nothing to convert: the loss evaluates in numpy from ``X`` and ``y`` (so the
        layer engine of fully-connected networks, which prepares its loss, can use it)."""
        return {}

    def value_and_grad(self, W: Any, xp: Any = None) -> tuple[np.ndarray, np.ndarray]:
        margins = self.y * np.einsum("...d,...dn->...n", W[..., 0, :], self.X)
        weights = softmax(-margins, axis=-1)
        grad = -np.einsum("...n,...dn->...d", weights * self.y, self.X)
        return logsumexp(-margins, axis=-1), grad[..., None, :]


def log_loss(X: np.ndarray, y: np.ndarray) -> LogExponentialLoss:
    """The log of the paper's classification loss for X (n, d) or (B, n, d), y (n,) / (B, n)."""
    return LogExponentialLoss(np.swapaxes(np.asarray(X, dtype=float), -1, -2), y)


@dataclass
class MarginRun:
    """A batched arc-length flow recorded at arc lengths ``s0 * 2^k``; each trial stops at the
    first record where its minimum margin ``min_i y_i x_i^T beta`` reaches ``margin_cap`` (the
    softmax is then stiff) or at the last record. Per trial (leading axis B): ``s`` (its final
    arc length), ``params`` (list of (B, k_l)), ``beta`` and ``beta_prev`` (at ``s`` and
    ``s / 2``), ``residual_dir`` and ``residual_dir_prev`` (``X^T r / ||X^T r||`` there),
    ``log_losses`` (B, R; NaN after the trial stopped), ``beta_changes`` (B, R: directional
    change of beta between consecutive records, NaN after the stop), ``min_margin`` and
    ``status``; ``param_changes`` (one (B, R) array per parameter vector ``v_l``: its
    directional change between consecutive records) and ``params_prev`` (the ``v_l`` at the
    previous record)."""

    s: np.ndarray
    params: list[np.ndarray]
    beta: np.ndarray
    beta_prev: np.ndarray
    residual_dir: np.ndarray
    residual_dir_prev: np.ndarray
    log_losses: np.ndarray
    beta_changes: np.ndarray
    min_margin: np.ndarray
    status: np.ndarray
    param_changes: list[np.ndarray] = field(default_factory=list)
    params_prev: list[np.ndarray] = field(default_factory=list)

    @property
    def beta_change(self) -> np.ndarray:
        """Measured directional change of beta over the last doubling (chord)."""
        return direction_change(self.beta, self.beta_prev)

    @property
    def remaining_bound(self) -> np.ndarray:
        """Extrapolated distance from beta's direction to its limit: with the last two changes
        ``c_prev, c_last`` and ratio ``r = c_last / c_prev < RATE_MAX``, the geometric tail
        ``c_last r / (1 - r)``; ``inf`` when the changes do not decay (e.g. the slow,
        polynomial-in-norm convergence of depth 2), so convergence is never assumed."""
        return tail_bound(self.beta_changes)

    def param_bounds(self, rate_max: float = RATE_MAX, ratios: int = 1) -> np.ndarray:
        """:func:`tail_bound` of every parameter vector's directional changes: (L, B)."""
        return np.array([tail_bound(c, rate_max, ratios) for c in self.param_changes])

    @property
    def residual_change(self) -> np.ndarray:
        """Measured directional change of ``X^T r`` over the last doubling (chord)."""
        return direction_change(self.residual_dir, self.residual_dir_prev)


def tail_bound(changes: np.ndarray, rate_max: float = RATE_MAX, ratios: int = 1) -> np.ndarray:
    """Geometric-tail extrapolation of directional changes per record (B, R; NaN = not
    recorded): with the last ``ratios`` ratios of consecutive changes all ``< rate_max`` and
    ``r`` their maximum, ``c_last r / (1 - r)`` (the remaining change if the decay stays
    geometric with ratio ``<= r``); 0 when the last changes are exactly 0; ``inf`` otherwise
    (fewer than ``ratios + 2`` finite records, or no measured geometric decay)."""
    out = np.full(changes.shape[0], np.inf)
    for i, row in enumerate(changes):
        c = row[np.isfinite(row)]
        if c.size < ratios + 2:
            continue
        tail = c[-ratios - 1:]
        if tail[-1] == 0:
            out[i] = 0.0
        elif np.all(tail[:-1] > 0):
            r = float(np.max(tail[1:] / tail[:-1]))
            if r < rate_max:
                out[i] = tail[-1] * r / (1 - r)
    return out


BetaFn = Callable[[Any, Sequence[np.ndarray]], np.ndarray]
"""``beta(net, params)``: the linear coefficients (B, d) of a network's predictor."""

GradientsFn = Callable[[Any, Sequence[np.ndarray], Loss], tuple[np.ndarray, list[np.ndarray]]]
"""``value_and_gradients(net, params, loss)``: loss (B,) and ``dL/dv_l`` (B, k_l)."""


def normalized_gradients(net: Any, X: np.ndarray, y: np.ndarray,
                         value_and_gradients: GradientsFn = tn.value_and_gradients
                         ) -> flow.GradFn:
    """``(log L, grad log L / ||grad log L||)`` for trials ``idx`` (the arc-length flow)."""
    loss = log_loss(X, y)

    def value_and_grads(ps: list[np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, list]:
        value, grads = value_and_gradients(net, ps, loss.take(idx))
        norm = np.sqrt(sum(np.sum(g**2, axis=1) for g in grads))
        return value, [g / np.maximum(norm, 1e-300)[:, None] for g in grads]

    return value_and_grads


def residual_direction(net: Any, params: Sequence[np.ndarray], X: np.ndarray, y: np.ndarray,
                       beta: BetaFn = tn.beta) -> np.ndarray:
    """``X^T r / ||X^T r||`` (B, d) with ``r_i = -y_i exp(-y_i f(x_i))`` (eq. (7)), computed
    through the softmax (the positive factor ``L`` cancels)."""
    b = beta(net, params)
    margins = y * np.einsum("...nd,...d->...n", X, b)
    xr = -np.einsum("...n,...nd->...d", softmax(-margins, axis=-1) * y, X)
    return xr / np.linalg.norm(xr, axis=-1, keepdims=True)


def arc_length_flow(net: Any, params: Sequence[np.ndarray], X: np.ndarray,
                    y: np.ndarray, *, s0: float = 1.0, doublings: int = 10,
                    margin_cap: float = 1e3, rtol: float = 1e-10,
                    atol: float = 1e-12, beta: BetaFn = tn.beta,
                    value_and_gradients: GradientsFn = tn.value_and_gradients) -> MarginRun:
    """Integrate the arc-length flow of ``sum_i exp(-y_i f(x_i))`` from ``params`` (B, k_l),
    with X (B, n, d) and y (B, n), recording at ``s0, 2 s0, ..., 2^doublings s0`` (see
    :class:`MarginRun` for the per-trial stopping rule).

    ``net`` is a :class:`verify.core.tensor_networks.TensorNetwork` by default; any other
    network shared by the batch passes its ``beta`` and ``value_and_gradients`` (e.g. the
    Assumption-1 networks of :mod:`verify.core.decomposable_networks`)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    B = X.shape[0]
    grad_fn = normalized_gradients(net, X, y, value_and_gradients)
    state = [np.asarray(p, dtype=float).copy() for p in params]
    d = X.shape[-1]
    beta_now, beta_prev = np.zeros((B, d)), np.full((B, d), np.nan)
    rdir, rdir_prev = np.zeros((B, d)), np.full((B, d), np.nan)
    s_end, min_margin = np.zeros(B), np.full(B, -np.inf)
    losses = np.full((B, doublings + 1), np.nan)
    changes = np.full((B, doublings + 1), np.nan)
    p_changes = [np.full((B, doublings + 1), np.nan) for _ in state]
    p_prev = [np.full_like(p, np.nan) for p in state]
    status = np.full(B, "time", dtype=object)
    active = np.arange(B)
    now = 0.0
    for k in range(doublings + 1):
        target = s0 * 2.0**k
        sub = [p[active] for p in state]
        res = flow.integrate(sub, normalized_gradients(net, X[active], y[active],
                                                       value_and_gradients),
                             target - now, rtol=rtol, atol=atol)
        now = target
        for p, prev, pc, new in zip(state, p_prev, p_changes, res.weights, strict=True):
            prev[active] = p[active]
            pc[active, k] = direction_change(new, p[active])
            p[active] = new
        failed = res.status != "time"
        status[active[failed]] = res.status[failed]
        cur = [p[active] for p in state]
        b = beta(net, cur)
        beta_prev[active], rdir_prev[active] = beta_now[active], rdir[active]
        beta_now[active] = b
        changes[active, k] = direction_change(b, beta_prev[active])
        rdir[active] = residual_direction(net, cur, X[active], y[active], beta)
        losses[active, k] = grad_fn(cur, active)[0]
        min_margin[active] = np.min(y[active] * np.einsum("bnd,bd->bn", X[active], b), axis=1)
        s_end[active] = target
        keep = ~failed & (min_margin[active] < margin_cap)
        active = active[keep]
        if active.size == 0:
            break
    return MarginRun(s_end, state, beta_now, beta_prev, rdir, rdir_prev, losses, changes,
                     min_margin, status.astype(str), p_changes, p_prev)


def unit(v: np.ndarray) -> np.ndarray:
    """``v / ||v||`` along the last axis."""
    v = np.asarray(v)
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-300)


def direction_change(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|| a/||a|| - b/||b|| ||`` along the last axis (a chord; 2 sin(angle / 2))."""
    return np.linalg.norm(unit(a) - unit(b), axis=-1)


# --------------------------------------------------------------------------- max margin


def _constraints(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows ``y_i x_i^T`` of the margin constraints."""
    return np.asarray(y, dtype=float)[:, None] * np.asarray(X, dtype=float)


def normalize_margin(z: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``z / min_i y_i x_i^T z`` (the feasible point with minimum margin 1 on z's ray)."""
    return z / np.min(_constraints(X, y) @ z)


def l2_max_margin(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``argmin ||z||_2^2 s.t. y_i x_i^T z >= 1`` (SLSQP, tolerance 1e-14, polished by solving
    the KKT system on the active set)."""
    A = _constraints(X, y)
    start = np.linalg.lstsq(A, np.ones(A.shape[0]), rcond=None)[0]
    res = scipy.optimize.minimize(lambda z: z @ z, start, jac=lambda z: 2 * z,
                                  constraints=[{"type": "ineq", "fun": lambda z: A @ z - 1,
                                                "jac": lambda z: A}],
                                  method="SLSQP", options={"ftol": 1e-15, "maxiter": 500})
    z = res.x
    active = A @ z < 1 + 1e-7
    Aa = A[active]
    polished = Aa.T @ np.linalg.lstsq(Aa @ Aa.T, np.ones(Aa.shape[0]), rcond=None)[0]
    if np.all(A @ polished >= 1 - 1e-12):
        z = polished
    return z


@dataclass(frozen=True)
class Stationarity:
    """KKT defect of a point for ``min ||T z||_p s.t. y_i x_i^T z >= 1`` (normalised to
    minimum margin 1): ``residual`` (relative, on the support), ``excess_off`` (for
    ``p = 1``: ``max |.|`` off the support minus 1, else 0), ``mu`` (multipliers), ``support``."""

    residual: float
    excess_off: float
    mu: np.ndarray
    support: np.ndarray

    @property
    def defect(self) -> float:
        return max(self.residual, self.excess_off)


def kkt_residual(z: np.ndarray, X: np.ndarray, y: np.ndarray, p: float,
                 T: np.ndarray | None = None, *, support_tol: float = 1e-3,
                 active_tol: float = 1e-3) -> Stationarity:
    """Stationarity of ``z`` for ``min ||T z||_p s.t. y_i x_i^T z >= 1`` (App D.1).

    In ``rho = T z`` (T invertible, m = d) the constraints read ``y_i x_i^T T^{-1} rho >= 1``;
    the KKT condition is ``g_j = p |rho_j|^{p-1} e^{i arg rho_j} = [G mu]_j`` on the support
    (``|rho_j| > support_tol max |rho|``) with ``G = T^{-H} X^T diag(y)`` and ``mu >= 0`` on the
    active constraints (margin within ``active_tol`` of 1); for ``p = 1`` also
    ``|[G mu]_j| <= 1`` off the support. ``mu`` is fitted by NNLS."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    T = np.eye(X.shape[1]) if T is None else np.asarray(T)
    z = normalize_margin(np.asarray(z, dtype=float), X, y)
    rho = T @ z
    A = _constraints(X, y)
    G = np.linalg.inv(T).conj().T @ A.T
    active = A @ z <= 1 + active_tol
    support = np.abs(rho) > support_tol * np.max(np.abs(rho))
    g = p * np.abs(rho[support]) ** (p - 1) * np.exp(1j * np.angle(rho[support]))
    Gs = G[np.ix_(support, active)]
    M = np.vstack([Gs.real, Gs.imag])
    rhs = np.concatenate([g.real, g.imag])
    mu_a, _ = scipy.optimize.nnls(M, rhs)
    mu = np.zeros(X.shape[0])
    mu[active] = mu_a
    residual = float(np.linalg.norm(M @ mu_a - rhs) / np.linalg.norm(rhs))
    off = 0.0
    if p == 1 and not support.all():
        off = float(np.max(np.abs(G[~support] @ mu)) - 1.0)
    return Stationarity(residual, max(off, 0.0), mu, support)


def _smoothed(T: np.ndarray, p: float, eps: float):
    """``sum_j (|T z|_j^2 + eps^2)^{p/2}`` and its gradient (real z)."""

    def fun(z: np.ndarray) -> tuple[float, np.ndarray]:
        w = T @ z
        q = np.abs(w) ** 2 + eps**2
        val = float(np.sum(q ** (p / 2)))
        grad = np.real(T.conj().T @ (p * q ** (p / 2 - 1) * w))
        return val, grad

    return fun


@dataclass(frozen=True)
class MarginSolution:
    """A polished candidate ``z`` (minimum margin 1), its objective ``||T z||_p^p`` and
    KKT defect."""

    z: np.ndarray
    objective: float
    stationarity: Stationarity


def lp_max_margin(X: np.ndarray, y: np.ndarray, p: float, T: np.ndarray | None = None, *,
                  starts: int = 12, rng: np.random.Generator | None = None,
                  kkt_tol: float = 1e-6,
                  enumerate_vertices: bool = True) -> list[MarginSolution]:
    """Stationary points of ``min ||T z||_p s.t. y_i x_i^T z >= 1`` found by multi-start
    SLSQP (``p <= 2``; for ``p < 1`` non-convex).

    Each start (the l2 max-margin solution and random feasible points) is minimised on the
    smoothed objective ``sum (|Tz|^2 + eps^2)^{p/2}`` with ``eps`` decreasing 1e-1 .. 1e-9
    (ftol 1e-15), then polished: small components of ``T z`` are set to 0 and ``z`` is
    re-solved on the active constraints. For real ``T`` (and ``enumerate_vertices``) the
    vertices of the feasible set within the orthants of ``T z`` are added (:func:`_vertices`:
    for ``p < 1`` every local minimiser is one). Distinct candidates with KKT defect
    ``<= kkt_tol`` are returned, best objective first."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    d = X.shape[1]
    T = np.eye(d) if T is None else np.asarray(T)
    rng = np.random.default_rng(0) if rng is None else rng
    A = _constraints(X, y)
    base = l2_max_margin(X, y)
    inits = [base] + [normalize_margin(base + rng.standard_normal(d) * np.linalg.norm(base)
                                       * rng.uniform(0.2, 2.0), X, y) for _ in range(starts)]
    inits = [z if np.all(A @ z >= 1 - 1e-9) and np.isfinite(z).all() else base for z in inits]
    cons = [{"type": "ineq", "fun": lambda z: A @ z - 1, "jac": lambda z: A}]
    found: list[MarginSolution] = []
    if enumerate_vertices and np.isrealobj(T):
        for z in _vertices(A, T):
            _add(found, z, X, y, p, T, kkt_tol)
    for z0 in inits:
        z = z0
        for eps in (1e-1, 1e-3, 1e-5, 1e-7, 1e-9):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = scipy.optimize.minimize(_smoothed(T, p, eps), z, jac=True,
                                              constraints=cons, method="SLSQP",
                                              options={"ftol": 1e-15, "maxiter": 1000})
            if np.isfinite(res.x).all():
                z = res.x
        z = _polish(z, A, T)
        if z is not None:
            _add(found, z, X, y, p, T, kkt_tol)
    return sorted(found, key=lambda f: f.objective)


def _add(found: list[MarginSolution], z: np.ndarray, X: np.ndarray, y: np.ndarray, p: float,
         T: np.ndarray, kkt_tol: float) -> None:
    """Append ``z`` to ``found`` if it is a new KKT point (defect ``<= kkt_tol``)."""
    stat = kkt_residual(z, X, y, p, T)
    if stat.defect > kkt_tol:
        return
    if any(np.linalg.norm(z - f.z) <= 1e-6 * np.linalg.norm(z) for f in found):
        return
    found.append(MarginSolution(z, float(np.sum(np.abs(T @ z) ** p)), stat))


def _vertices(A: np.ndarray, T: np.ndarray) -> list[np.ndarray]:
    """Feasible vertices of ``{z : A z >= 1}`` intersected with the closed orthants of
    ``rho = T z`` (T real invertible): for every support J and set of |J| constraints, solve
    ``A T^{-1}`` restricted to J. For ``p < 1`` the objective is concave on every orthant, so
    its local minima are among these points."""
    n, d = A.shape
    B = A @ np.linalg.inv(T)
    out = []
    for size in range(1, min(n, d) + 1):
        for J in itertools.combinations(range(d), size):
            for rows in itertools.combinations(range(n), size):
                sub = B[np.ix_(rows, J)]
                if abs(np.linalg.det(sub)) < 1e-12:
                    continue
                rho = np.zeros(d)
                rho[list(J)] = np.linalg.solve(sub, np.ones(size))
                z = np.linalg.solve(T, rho)
                if np.all(A @ z >= 1 - 1e-10):
                    out.append(z)
    return out


def _polish(z: np.ndarray, A: np.ndarray, T: np.ndarray) -> np.ndarray | None:
    """Set components of ``rho = T z`` below 1e-5 max to zero and re-solve the active
    constraints (least squares in the remaining free directions); None if infeasible."""
    rho = T @ z
    zero = np.abs(rho) <= 1e-5 * np.max(np.abs(rho))
    active = A @ z <= 1 + 1e-6
    rows = [A[active]] + ([np.vstack([T[zero].real, T[zero].imag])] if zero.any() else [])
    rhs = [np.ones(int(active.sum()))] + ([np.zeros(2 * int(zero.sum()))] if zero.any() else [])
    M, b = np.vstack(rows), np.concatenate(rhs)
    # minimal correction of z satisfying the identified equalities
    correction = np.linalg.lstsq(M, b - M @ z, rcond=None)[0]
    out = z + correction
    if not np.all(A @ out >= 1 - 1e-9) or np.linalg.norm(M @ out - b) > 1e-9 * max(
            1.0, np.linalg.norm(out)):
        return None
    return out / np.min(A @ out)


def separable(X: np.ndarray, y: np.ndarray) -> bool:
    """Is there z with ``y_i x_i^T z >= 1`` for all i (linear program, HiGHS)?"""
    A = _constraints(X, y)
    res = scipy.optimize.linprog(np.zeros(A.shape[1]), A_ub=-A, b_ub=-np.ones(A.shape[0]),
                                 bounds=[(None, None)] * A.shape[1], method="highs")
    return bool(res.status == 0)


def exact_vertex(z: np.ndarray, X: Sequence[Sequence[Fraction]],
                 y: Sequence[Fraction]) -> list[Fraction] | None:
    """The exact rational point with the support and active constraints of the float vertex
    ``z`` (support ``|z_j| > 1e-6 max``, constraints with margin within 1e-6 of the minimum):
    ``z_J`` solves ``y_i x_{i,J}^T z_J = 1`` on a maximal independent set of active rows
    (python-flint, exact). None when those equations do not determine ``z_J``."""
    zf = normalize_margin(np.asarray(z, dtype=float), np.asarray(X, dtype=float),
                          np.asarray(y, dtype=float))
    A = _constraints(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
    J = [j for j in range(zf.size) if abs(zf[j]) > 1e-6 * np.max(np.abs(zf))]
    active = [i for i in range(A.shape[0]) if A[i] @ zf <= 1 + 1e-6]
    rows: list[list[flint.fmpq]] = []
    for i in active:
        entries = [Fraction(y[i]) * Fraction(X[i][j]) for j in J]
        row = [flint.fmpq(e.numerator, e.denominator) for e in entries]
        if flint.fmpq_mat([*rows, row]).rank() == len(rows) + 1:
            rows.append(row)
    if len(rows) != len(J):
        return None
    sol = flint.fmpq_mat(rows).solve(flint.fmpq_mat([[1]] * len(J)))
    out = [Fraction(0)] * zf.size
    for k, j in enumerate(J):
        out[j] = Fraction(int(sol[k, 0].p), int(sol[k, 0].q))
    return out
