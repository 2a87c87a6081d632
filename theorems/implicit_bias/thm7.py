r"""BIAS-Thm7: Theorem 7 of "A Unifying View on Implicit Bias in Training Linear Neural Networks"
(§5.3; proof App H, eqs. (79)-(93)), as printed::

    **Theorem 7.** Consider an L-layer linear fully-connected network.
    - (convergence) If (1) W̄_l^T W̄_l ⪰ W̄_{l+1} W̄_{l+1}^T for l in [L-2], and (2) there exists
      lambda > 0 such that W̄_{L-1}^T W̄_{L-1} - w̄_L w̄_L^T ⪰ lambda I_d, then the training loss
      L(Theta_fc(t)) -> 0.
    - (bias) If L(Theta_fc(t)) -> 0 for some fixed initial directions W̄_1, ..., W̄_{L-1}, w̄_L,
      then lim_{alpha -> 0} lim_{t -> oo} beta_fc(Theta_fc(t)) = X^T (X X^T)^{-1} y.

Reading. §5.3: ``f_fc(x) = x^T W_1 ... W_{L-1} w_L`` with ``d_1 = ... = d_L = d``,
``W_l(0) = alpha W̄_l``, ``w_L(0) = alpha w̄_L``; squared loss ``sum_i (f(x_i) - y_i)^2 / 2``
(§2.1), gradient flow; the data ``X`` (n x d) has full row rank ``n <= d`` (App H, step (d):
"X^T is a full column rank matrix"; needed for ``(X X^T)^{-1}``). On the shared core the network
is the chain ``A_l = W_l^T`` (l < L), ``A_L = w_L^T`` of :mod:`verify.core.networks`, whose
end-to-end matrix is ``beta_fc^T``; the flow is :func:`verify.core.flow.gradient_flow`.

What the checks establish (``as-printed``: supported; ``t -> oo`` and ``alpha -> 0`` are limits,
never certified):

* symbolic (sympy, entrywise with explicit symbols, ``d = n = 2``): the gradients of the loss
  are those of (79) (L = 2, 3); along (79) the time derivatives of ``W_l^T W_l - W_{l+1}
  W_{l+1}^T`` and ``W_{L-1}^T W_{L-1} - w_L w_L^T`` vanish identically for any residual ``r``
  (L = 2, 3, 4), so the conservation laws (80)-(81) hold; the gradients (79) are cross-checked
  by central finite differences (L = 2, 3, 4, d = 3, n = 2);
* 7.1 on the shared core: instances satisfying (1) and (2) (``lambda >= 0.05``, by a repair that
  raises the small eigenvalues; equality in (1) included) are integrated until the loss is
  ``<= 1e-20`` (measured), and at every log-spaced time ``t_k`` the loss is below the rate of
  the proof, ``L(0) exp(-alpha^{2L-2} lambda^{L-1} sigma_min(X)^2 t)``; the conservation laws
  are measured along the same runs;
* 7.2: for initial directions (satisfying the conditions or not) whose flow drives the loss to
  ``<= 1e-20`` (measured, the hypothesis of 7.2), the end point ``beta(alpha)`` is computed for
  ``alpha = 0.2, 0.05, 0.0125``: the distance to ``X^T (X X^T)^{-1} y`` shrinks along this
  sequence, and at ``alpha = 0.0125`` it is ``<= 10%`` of ``max(||beta*||, dist(0.2))``. This
  is evidence for the limit, not a proof (the measured decrease is about linear in ``alpha``:
  the component of ``W_1`` outside ``row(X)`` stays ``alpha (I - P) W̄_1``);
* degenerate admissible cases: ``n = d`` (unique solution), equality in (1) (``W̄_l =
  W̄_{l+1}^T``), ``w̄_L = 0`` with ``W̄_l = I`` (Wu et al.'s zero-asymmetric start), ``y = 0``,
  ``L = 2`` (condition (1) void), ``L = 4``; and a search over the domain of 7.1.

A remark on the proof (not on the statement): step (b) of the chain proving (84) uses
``A ⪰ B ⪰ 0 => A^2 ⪰ B^2``, which is false in general; (84) itself holds, since for square
layers ``sigma_min(W_l)^2 = lambda_min(W_l^T W_l) >= lambda_min(W_{l+1} W_{l+1}^T)`` by (80)
and (1), so ``sigma_min(W_1 ... W_{L-1}) >= prod_l sigma_min(W_l) >= (alpha^2 lambda)^{(L-1)/2}``
by (81) and (2). The rate check above tests the consequence numerically.

Planted mutants (refuted): condition (2) dropped (the all-zero start satisfies (1) and is a
stationary point: the loss stays ``||y||^2 / 2``); "min-l2 at fixed alpha" (the limit at
``alpha = 1`` is claimed to be ``X^T (X X^T)^{-1} y``).

Precision: flows are float64 (LSODA, rtol 1e-9, atol 1e-12; convergence measured); losses,
distances and the conditions are re-evaluated in mpmath at the budget's digits on the float end
points.
"""

from __future__ import annotations

import itertools
from typing import Any

import mpmath
import numpy as np
import sympy

from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import flow, networks
from verify.core.losses import SquaredLoss
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Theorem 7.** Consider an  $L$ -layer linear fully-connected network." "\n\n"
    r"- (convergence) If (1)  $\bar{\mathbf{W}}_l^T \bar{\mathbf{W}}_l \succeq "
    r"\bar{\mathbf{W}}_{l+1} \bar{\mathbf{W}}_{l+1}^T$  for  $l \in [L-2]$ , and (2) there "
    r"exists  $\lambda > 0$  such that  $\bar{\mathbf{W}}_{L-1}^T \bar{\mathbf{W}}_{L-1} - "
    r"\bar{\mathbf{w}}_L \bar{\mathbf{w}}_L^T \succeq \lambda \mathbf{I}_d$ , then the training "
    r"loss  $\mathcal{L}(\Theta_{\text{fc}}(t)) \rightarrow 0$ ." "\n"
    r"- (bias) If  $\mathcal{L}(\Theta_{\text{fc}}(t)) \rightarrow 0$  for some fixed initial "
    r"directions  $\bar{\mathbf{W}}_1, \dots, \bar{\mathbf{W}}_{L-1}, \bar{\mathbf{w}}_L$ , then"
    "\n\n"
    r"$$\lim_{\alpha \rightarrow 0} \lim_{t \rightarrow \infty} \beta_{\text{fc}}"
    r"(\Theta_{\text{fc}}(t)) = \mathbf{X}^T (\mathbf{X} \mathbf{X}^T)^{-1} \mathbf{y}.$$"
)

LAMBDA = 0.05
"""The repair enforces condition (2) with ``lambda >= LAMBDA``."""
LOSS_TARGET = 1e-20
BIAS_TARGET = 1e-20
MAX_TIME = 1e5
FLOW_RTOL, FLOW_ATOL = 1e-9, 1e-12
ALPHAS = (0.2, 0.05, 0.0125)
LIMIT_RTOL = 0.1
RATE_TOLERANCE = Tolerance(rtol=1e-7, atol=1e-18)


# --------------------------------------------------------------------------- instances


def layers(V: np.ndarray, L: int) -> list[np.ndarray]:
    """``W̄_1, ..., W̄_{L-1}`` from their vertical stack ``V`` ((L-1) d x d, batched)."""
    d = V.shape[-1]
    return [V[..., l * d:(l + 1) * d, :] for l in range(L - 1)]


def _sym_min_eig(M: np.ndarray) -> np.ndarray:
    return np.linalg.eigvalsh((M + np.swapaxes(M, -1, -2)) / 2)[..., 0]


def _gram(W: np.ndarray) -> np.ndarray:
    return np.swapaxes(W, -1, -2) @ W


def _cogram(W: np.ndarray) -> np.ndarray:
    return W @ np.swapaxes(W, -1, -2)


def _raise_floor(R: np.ndarray, lower: np.ndarray, floor: float) -> np.ndarray:
    """``Q G^{1/2}`` with ``R = Q P`` (polar) and ``G = R^T R + s I``, ``s`` the least shift
    making ``G - lower ⪰ floor I``: then ``(Q G^{1/2})^T (Q G^{1/2}) = G``."""
    d = R.shape[-1]
    shift = np.maximum(0.0, floor - _sym_min_eig(_gram(R) - lower))
    G = _gram(R) + shift[:, None, None] * np.eye(d)
    u, _, vt = np.linalg.svd(R)
    evals, evecs = np.linalg.eigh(G)
    root = evecs @ (np.sqrt(np.maximum(evals, 0.0))[..., None] * np.swapaxes(evecs, -1, -2))
    return (u @ vt) @ root


def _repair(batch: Batch) -> Batch:
    """Enforce (2) with ``lambda >= LAMBDA`` and then (1) from ``l = L-2`` down to 1 (a tiny
    floor ``1e-9`` keeps (1) strict after rounding unless the instance is already balanced)."""
    L = batch["L"]
    Ws = [w.copy() for w in layers(batch["V"], L)]
    w = batch["w"]
    Ws[-1] = _raise_floor(Ws[-1], w[:, :, None] * w[:, None, :], 1.02 * LAMBDA)
    for l in range(L - 3, -1, -1):
        gap = _sym_min_eig(_gram(Ws[l]) - _cogram(Ws[l + 1]))
        fix = gap < -1e-12
        if fix.any():
            Ws[l][fix] = _raise_floor(Ws[l][fix], _cogram(Ws[l + 1][fix]), 1e-9)
    return {**batch, "V": np.concatenate(Ws, axis=1)}


def condition_gaps(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``min_l lambda_min(W̄_l^T W̄_l - W̄_{l+1} W̄_{l+1}^T)`` (``+inf`` for L = 2) and
    ``lambda = lambda_min(W̄_{L-1}^T W̄_{L-1} - w̄_L w̄_L^T)``."""
    Ws, w = layers(batch["V"], batch["L"]), batch["w"]
    one = np.full(len(w), np.inf)
    for l in range(len(Ws) - 1):
        one = np.minimum(one, _sym_min_eig(_gram(Ws[l]) - _cogram(Ws[l + 1])))
    return one, _sym_min_eig(_gram(Ws[-1]) - w[:, :, None] * w[:, None, :])


def _rank_ok(batch: Batch) -> np.ndarray:
    X = batch["X"]
    return np.linalg.svd(X, compute_uv=False)[..., -1] >= 0.05 * np.maximum(
        1.0, np.linalg.norm(X, axis=(1, 2)))


def _both_conditions(batch: Batch) -> np.ndarray:
    one, lam = condition_gaps(batch)
    return _rank_ok(batch) & (one >= -1e-10) & (lam >= LAMBDA) & (batch["alpha"] > 0)


def _condition_one(batch: Batch) -> np.ndarray:
    one, _ = condition_gaps(batch)
    return _rank_ok(batch) & (one >= -1e-10) & (batch["alpha"] > 0)


def _variables(alpha: tuple[float, float]) -> tuple:
    return (Integer("L", 2, 4), Integer("d", 2, 3), Integer("n", 1, 3), Integer("Ld", 2, 9),
            Matrix("X", "n", "d", -2.0, 2.0), Vector("y", "n", -2.0, 2.0),
            Matrix("V", "Ld", "d", -1.5, 1.5), Vector("w", "d", -1.0, 1.0),
            Real("alpha", *alpha, log=True))


def _dims_ok(dims: dict) -> bool:
    return dims["n"] <= dims["d"] and dims["Ld"] == (dims["L"] - 1) * dims["d"]


DOMAIN = Domain(variables=_variables((0.5, 2.0)), hypothesis=_both_conditions, repair=_repair,
                dims_ok=_dims_ok)
"""Theorem 7.1: conditions (1) and (2), ``alpha`` log-uniform in ``[0.5, 2]``."""
CONDITION_ONE = Domain(variables=_variables((0.5, 2.0)), hypothesis=_condition_one,
                       dims_ok=_dims_ok)
"""Planted: condition (2) dropped."""
ANY_START = Domain(variables=_variables((0.0125, 1.0)), hypothesis=_rank_ok, dims_ok=_dims_ok)
"""Theorem 7.2: any initial directions (the hypothesis loss -> 0 is measured per run)."""


# --------------------------------------------------------------------------- gradient flow


def chain(batch: Batch, alpha: np.ndarray) -> list[np.ndarray]:
    """Initial chain ``[alpha W̄_1^T, ..., alpha W̄_{L-1}^T, alpha w̄_L^T]`` (networks order)."""
    a = np.asarray(alpha, float)[:, None, None]
    Ws = layers(np.asarray(batch["V"], float), batch["L"])
    w = np.asarray(batch["w"], float)
    return [a * np.swapaxes(W, -1, -2) for W in Ws] + [a * w[:, None, :]]


def squared_loss(batch: Batch) -> SquaredLoss:
    """``sum_i (x_i^T beta - y_i)^2 / 2`` on the end-to-end ``beta^T`` (1 x d)."""
    X = np.asarray(batch["X"], float)
    return SquaredLoss(np.swapaxes(X, -1, -2), np.asarray(batch["y"], float)[:, None, :],
                       convention="half_sum")


def beta(weights: list[np.ndarray]) -> np.ndarray:
    """``beta_fc = W_1 ... W_{L-1} w_L`` from the chain (batched, shape (B, d))."""
    return networks.end_to_end(weights)[:, 0, :]


def min_norm_solution(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``X^T (X X^T)^{-1} y`` (batched)."""
    coef = np.linalg.solve(X @ np.swapaxes(X, -1, -2), y[..., None])[..., 0]
    return np.einsum("bnd,bn->bd", X, coef)


def conservation_defect(weights: list[np.ndarray], init: list[np.ndarray]) -> np.ndarray:
    """``max_l ||(W_l^T W_l - W_{l+1} W_{l+1}^T)(t) - (...)(0)||_F`` over (80) and (81), in the
    chain's notation ``W_l = A_l^T``, ``w_L = A_L^T``."""

    def laws(ws: list[np.ndarray]) -> list[np.ndarray]:
        mats = [np.swapaxes(A, -1, -2) for A in ws]
        return [_gram(mats[l]) - _cogram(mats[l + 1]) for l in range(len(mats) - 1)]

    return np.max([np.linalg.norm(a - b, axis=(1, 2))
                   for a, b in zip(laws(weights), laws(init), strict=True)], axis=0)


_KEY_FIELDS = ("X", "y", "V", "w")
_RUNS: dict[tuple, dict[str, Any]] = {}


def _key(batch: Batch, i: int, alpha: float, mode: str) -> tuple:
    return (mode, batch["L"], alpha,
            b"".join(np.asarray(batch[k][i], float).tobytes() for k in _KEY_FIELDS))


def rate_runs(batch: Batch) -> list[dict[str, Any]]:
    """Theorem 7.1 runs: flow over log-spaced times ``t_k = 2^k / 8`` until every loss is
    ``<= LOSS_TARGET`` or ``t = MAX_TIME``; per instance the times, losses, the rate
    ``c = alpha^{2L-2} lambda^{L-1} sigma_min(X)^2``, the conservation defect and the status."""
    alpha = np.asarray(batch["alpha"], float)
    keys = [_key(batch, i, float(alpha[i]), "rate") for i in range(len(alpha))]
    todo = np.array([i for i, k in enumerate(keys) if k not in _RUNS], dtype=int)
    if todo.size:
        sub = {k: (v[todo] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
        L = sub["L"]
        loss = squared_loss(sub)
        init = chain(sub, alpha[todo])
        weights = init
        _, lam = condition_gaps(sub)
        sig = np.linalg.svd(np.asarray(sub["X"], float), compute_uv=False)[..., -1]
        rate = alpha[todo] ** (2 * L - 2) * np.maximum(lam, 0.0) ** (L - 1) * sig**2
        times, losses = [0.0], [loss.value(networks.end_to_end(weights))]
        t, dt = 0.0, 0.125
        while losses[-1].max() > LOSS_TARGET and t < MAX_TIME:
            res = flow.gradient_flow(weights, loss, t_end=dt, rtol=FLOW_RTOL, atol=FLOW_ATOL)
            weights, t = res.weights, t + dt
            times.append(t)
            losses.append(res.loss)
            dt = t
        hist = np.array(losses).T
        defect = conservation_defect(weights, init)
        for j, i in enumerate(todo):
            _RUNS[keys[i]] = {"t": np.array(times), "loss": hist[j], "rate": float(rate[j]),
                              "defect": float(defect[j]),
                              "weights": [W[j] for W in weights],
                              "status": "loss" if hist[j, -1] <= LOSS_TARGET else "time"}
    return [_RUNS[k] for k in keys]


def limit_runs(batch: Batch, alphas: tuple[float, ...]) -> list[list[dict[str, Any]]]:
    """Theorem 7.2 runs: for each ``alpha`` the flow from ``alpha (W̄, w̄)`` until the loss is
    ``<= BIAS_TARGET`` (log-time segments of :func:`verify.core.flow.gradient_flow`); per
    instance and ``alpha``: ``beta(T)``, the loss and the status."""
    B = len(batch["w"])
    out: list[list[dict[str, Any]]] = [[] for _ in range(B)]
    for a in alphas:
        keys = [_key(batch, i, a, "limit") for i in range(B)]
        todo = np.array([i for i, k in enumerate(keys) if k not in _RUNS], dtype=int)
        if todo.size:
            sub = {k: (v[todo] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
            res = flow.gradient_flow(chain(sub, np.full(todo.size, a)), squared_loss(sub),
                                     until_loss=BIAS_TARGET, max_time=MAX_TIME,
                                     rtol=FLOW_RTOL, atol=FLOW_ATOL)
            b = beta(res.weights)
            for j, i in enumerate(todo):
                _RUNS[keys[i]] = {"beta": b[j], "loss": float(res.loss[j]),
                                  "status": str(res.status[j])}
        for i, k in enumerate(keys):
            out[i].append(_RUNS[k])
    return out


# --------------------------------------------------------------------------- high precision


def _float_batch(inst: Instance) -> Batch:
    return {k: (np.asarray(v, dtype=float)[None] if isinstance(v, np.ndarray) else
                (v if isinstance(v, int) else np.array([float(v)]))) for k, v in inst.items()}


def _mp(M: Any) -> mpmath.matrix:
    arr = np.asarray(M, dtype=object)
    if arr.ndim == 1:
        return mpmath.matrix([mpmath.mpf(v) if not hasattr(v, "numerator") else
                              mpmath.mpf(v.numerator) / v.denominator for v in arr])
    return mpmath.matrix([[mpmath.mpf(v) if not hasattr(v, "numerator") else
                           mpmath.mpf(v.numerator) / v.denominator for v in row] for row in arr])


def _mp_min_eig(M: mpmath.matrix) -> Any:
    return min(mpmath.eigsy((M + M.T) / 2)[0])


def exact_conditions(inst: Instance, digits: int) -> tuple[Any, Any, Any]:
    """At ``digits`` digits: the least eigenvalue over condition (1), ``lambda`` of (2) and
    ``sigma_min(X)``."""
    with mpmath.workdps(digits + 10):
        V, w, X = _mp(inst["V"]), _mp(inst["w"]), _mp(inst["X"])
        d, L = X.cols, inst["L"]
        Ws = [V[l * d:(l + 1) * d, :] for l in range(L - 1)]
        one = min((_mp_min_eig(Ws[l].T * Ws[l] - Ws[l + 1] * Ws[l + 1].T)
                   for l in range(L - 2)), default=mpmath.inf)
        lam = _mp_min_eig(Ws[-1].T * Ws[-1] - w * w.T)
        sig = mpmath.sqrt(max(min(mpmath.eigsy(X * X.T)[0]), 0))
        return one, lam, sig


def _hp_loss(inst: Instance, b: np.ndarray, digits: int) -> Any:
    with mpmath.workdps(digits + 10):
        r = _mp(inst["X"]) * mpmath.matrix([float(v) for v in b]) - _mp(inst["y"])
        return mpmath.fsum(v**2 for v in r) / 2


def _hp_distance(inst: Instance, b: np.ndarray, digits: int) -> tuple[Any, Any]:
    """``||b - X^T (X X^T)^{-1} y||`` and ``||X^T (X X^T)^{-1} y||`` at ``digits`` digits."""
    with mpmath.workdps(digits + 10):
        X, y = _mp(inst["X"]), _mp(inst["y"])
        star = X.T * mpmath.lu_solve(X * X.T, y)
        return (mpmath.norm(mpmath.matrix([float(v) for v in b]) - star), mpmath.norm(star))


# --------------------------------------------------------------------------- properties


def _rate_excess(run: dict[str, Any]) -> tuple[float, float]:
    bound = run["loss"][0] * np.exp(-run["rate"] * run["t"][1:])
    return float(np.max(run["loss"][1:] - bound)), float(run["loss"][0])


def _rate_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    runs = rate_runs(batch)
    pairs = np.array([_rate_excess(r) for r in runs])
    return pairs[:, 0], pairs[:, 1]


def _rate_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """The bound re-evaluated at ``digits`` digits with ``lambda`` and ``sigma_min(X)`` from
    the exact instance (measured losses as integrated)."""
    one, lam, sig = exact_conditions(inst, digits)
    if one < -mpmath.mpf(10) ** (-digits // 2) or lam <= 0 or sig <= 0:
        return None
    (run,) = rate_runs(_float_batch(inst))
    with mpmath.workdps(digits + 10):
        alpha, L = mpmath.mpf(float(inst["alpha"])), inst["L"]
        c = alpha ** (2 * L - 2) * lam ** (L - 1) * sig**2
        l0 = mpmath.mpf(float(run["loss"][0]))
        excess = max(mpmath.mpf(float(v)) - l0 * mpmath.exp(-c * mpmath.mpf(float(t)))
                     for t, v in zip(run["t"][1:], run["loss"][1:], strict=True))
        return excess, l0


RATE = Property(DOMAIN, _rate_margin, _rate_margin_hp, RATE_TOLERANCE,
                description="L(t_k) <= L(0) exp(-alpha^(2L-2) lambda^(L-1) sigma_min(X)^2 t_k) "
                            "at log-spaced t_k (rate of App H.1)")


def _loss_property(domain: Domain, description: str) -> Property:
    """Measured: the loss at the end of the rate run (t <= MAX_TIME) is ``<= LOSS_TARGET``;
    excess ``loss(T) - LOSS_TARGET`` against ``L(0)``."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        runs = rate_runs(batch)
        return (np.array([r["loss"][-1] - LOSS_TARGET for r in runs]),
                np.array([r["loss"][0] for r in runs]))

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        if not domain.hypothesis(_float_batch(inst))[0]:
            return None
        (run,) = rate_runs(_float_batch(inst))
        value = _hp_loss(inst, beta([W[None] for W in run["weights"]])[0], digits)
        return value - LOSS_TARGET, mpmath.mpf(float(run["loss"][0]))

    return Property(domain, margin, margin_hp, Tolerance(0.0, 0.0), description=description)


LOSS_TO_ZERO = _loss_property(DOMAIN, f"measured: loss(T) <= {LOSS_TARGET:g} under (1) and (2)")
LOSS_WITHOUT_2 = _loss_property(CONDITION_ONE,
                                "planted: condition (1) only; measured loss(T) <= "
                                f"{LOSS_TARGET:g}")


def _conservation_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    runs = rate_runs(batch)
    scale = np.linalg.norm(np.asarray(batch["V"], float), axis=(1, 2)) ** 2 + 1.0
    return np.array([r["defect"] for r in runs]), scale


def _conservation_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """The defect of (80)-(81) at the float end point, evaluated at ``digits`` digits against
    the exact initial value ``alpha^2 (W̄_l^T W̄_l - W̄_{l+1} W̄_{l+1}^T)``."""
    if not _both_conditions(_float_batch(inst))[0]:
        return None
    (run,) = rate_runs(_float_batch(inst))
    with mpmath.workdps(digits + 10):
        alpha = mpmath.mpf(float(inst["alpha"]))
        V, w = _mp(inst["V"]), _mp(inst["w"])
        d = V.cols
        start = [alpha * V[l * d:(l + 1) * d, :] for l in range(inst["L"] - 1)] + [alpha * w]
        end = [_mp(A).T for A in run["weights"]]

        def law(ms: list, l: int) -> mpmath.matrix:
            return ms[l].T * ms[l] - ms[l + 1] * ms[l + 1].T

        defect = max(mpmath.mnorm(law(end, l) - law(start, l), "F") for l in range(len(end) - 1))
        return defect, mpmath.mnorm(V, "F") ** 2 + 1


CONSERVATION = Property(DOMAIN, _conservation_margin, _conservation_margin_hp,
                        Tolerance(rtol=1e-6, atol=1e-8),
                        description="(80)-(81) measured along the flow: defect of W_l^T W_l - "
                                    "W_{l+1} W_{l+1}^T relative to its initial value")


def _converged(runs: list[dict[str, Any]]) -> bool:
    return all(r["status"] == "loss" for r in runs)


def _limit_excess(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``dist(beta(alpha_min), beta*) - 0`` against ``max(||beta*||, dist(beta(alpha_0)))``."""
    X, y = np.asarray(batch["X"], float), np.asarray(batch["y"], float)
    star = min_norm_solution(X, y)
    excess, scale = np.full(len(y), np.nan), np.full(len(y), np.nan)
    for i, runs in enumerate(limit_runs(batch, ALPHAS)):
        if _converged(runs):
            dist = [np.linalg.norm(r["beta"] - star[i]) for r in runs]
            excess[i] = dist[-1]
            scale[i] = max(np.linalg.norm(star[i]), dist[0])
    return excess, scale


def _limit_excess_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    if not _rank_ok(_float_batch(inst))[0]:
        return None
    (runs,) = limit_runs(_float_batch(inst), ALPHAS)
    if not _converged(runs):
        return None
    last, norm = _hp_distance(inst, runs[-1]["beta"], digits)
    first, _ = _hp_distance(inst, runs[0]["beta"], digits)
    return last, max(norm, first)


LIMIT = Property(ANY_START, _limit_excess, _limit_excess_hp, Tolerance(rtol=LIMIT_RTOL, atol=0.0),
                 description=f"||beta(alpha={ALPHAS[-1]}) - X^T(XX^T)^-1 y|| <= {LIMIT_RTOL} "
                             f"max(||beta*||, dist at alpha={ALPHAS[0]}) (loss <= "
                             f"{BIAS_TARGET:g} measured)")


def _shrink_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``max_k dist(alpha_{k+1}) - dist(alpha_k)`` (<= 0: the distance shrinks)."""
    X, y = np.asarray(batch["X"], float), np.asarray(batch["y"], float)
    star = min_norm_solution(X, y)
    excess, scale = np.full(len(y), np.nan), np.full(len(y), np.nan)
    for i, runs in enumerate(limit_runs(batch, ALPHAS)):
        if _converged(runs):
            dist = np.array([np.linalg.norm(r["beta"] - star[i]) for r in runs])
            excess[i], scale[i] = np.max(np.diff(dist)), dist[0]
    return excess, scale


def _shrink_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    if not _rank_ok(_float_batch(inst))[0]:
        return None
    (runs,) = limit_runs(_float_batch(inst), ALPHAS)
    if not _converged(runs):
        return None
    dist = [_hp_distance(inst, r["beta"], digits)[0] for r in runs]
    return max(b - a for a, b in itertools.pairwise(dist)), dist[0]


SHRINK = Property(ANY_START, _shrink_margin, _shrink_margin_hp, Tolerance(rtol=1e-6, atol=1e-12),
                  description=f"dist(beta(alpha), X^T(XX^T)^-1 y) decreases along alpha in "
                              f"{ALPHAS}")


def _fixed_alpha_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(batch["X"], float), np.asarray(batch["y"], float)
    star = min_norm_solution(X, y)
    excess, scale = np.full(len(y), np.nan), np.full(len(y), np.nan)
    for i, (run,) in enumerate(limit_runs(batch, (1.0,))):
        if run["status"] == "loss":
            excess[i], scale[i] = np.linalg.norm(run["beta"] - star[i]), np.linalg.norm(star[i])
    return excess, scale


def _fixed_alpha_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    if not _rank_ok(_float_batch(inst))[0]:
        return None
    ((run,),) = limit_runs(_float_batch(inst), (1.0,))
    if run["status"] != "loss":
        return None
    return _hp_distance(inst, run["beta"], digits)


FIXED_ALPHA = Property(ANY_START, _fixed_alpha_margin, _fixed_alpha_margin_hp,
                       Tolerance(rtol=1e-6, atol=1e-9),
                       description="planted: lim_t beta at alpha = 1 equals X^T(XX^T)^-1 y")


# --------------------------------------------------------------------------- samplers


def _draw(rng: np.random.Generator, domain: Domain, n: int, L: int, d: int, k: int) -> Batch:
    return domain.sample(rng, n, {"L": L, "d": d, "n": k, "Ld": (L - 1) * d})


_SHAPES = ((2, 2, 1), (3, 2, 1), (3, 3, 2), (4, 2, 1), (2, 3, 3), (3, 3, 1))


def _split(n: int, parts: int) -> list[int]:
    return [n // parts + (1 if j < n % parts else 0) for j in range(parts)]


def _sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """(L, d, n) in ``_SHAPES`` (L = 2..4, n = d included), uniform raw entries, repaired."""
    return [_draw(rng, DOMAIN, m, *shape) for m, shape in zip(_split(n, len(_SHAPES)), _SHAPES,
                                                              strict=True) if m]


def _degenerate_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Equality in (1) (``W̄_l = W̄_{l+1}^T``); Wu et al.'s ``W̄_l = I``, ``w̄_L = 0``; ``y = 0``;
    ``n = d``; ``alpha`` at both ends."""
    k = max(1, n // 4)
    bal = _draw(rng, DOMAIN, k, 3, 2, 1)
    Ws = layers(bal["V"], 3)
    bal["V"] = np.concatenate([np.swapaxes(Ws[1], -1, -2), Ws[1]], axis=1)
    bal["alpha"][:] = 0.5
    wu = _draw(rng, DOMAIN, k, 4, 2, 2)
    wu["V"] = np.tile(np.eye(2), (k, 3, 1))
    wu["w"][:] = 0.0
    wu["alpha"][:] = 2.0
    zero = _draw(rng, DOMAIN, k, 3, 3, 2)
    zero["y"][:] = 0.0
    full = _draw(rng, DOMAIN, k, 2, 2, 2)
    return [bal, wu, zero, full]


def _zero_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """The all-zero start ``W̄_l = 0``, ``w̄_L = 0``: (1) holds with equality, (2) fails."""
    out = []
    for m, shape in zip(_split(n, 2), ((3, 2, 1), (2, 3, 2)), strict=True):
        if not m:
            continue
        b = _draw(rng, CONDITION_ONE, m, *shape)
        b["V"][:] = 0.0
        b["w"][:] = 0.0
        out.append(b)
    return out


def _any_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Theorem 7.2: generic directions (no conditions) and repaired ones, L = 2, 3."""
    shapes = ((2, 2, 1), (3, 2, 1), (2, 3, 2), (3, 3, 1))
    out = []
    for j, (m, shape) in enumerate(zip(_split(n, len(shapes)), shapes, strict=True)):
        if m:
            b = _draw(rng, DOMAIN if j % 2 else ANY_START, m, *shape)
            out.append({**b, "alpha": np.ones(m)})
    return out


# --------------------------------------------------------------------------- symbolic


def _symbols(L: int, d: int) -> tuple[list[sympy.Matrix], sympy.Matrix]:
    Ws = [sympy.Matrix(d, d, lambda i, j, l=l: sympy.Symbol(f"W{l + 1}_{i}{j}"))
          for l in range(L - 1)]
    return Ws, sympy.Matrix(d, 1, lambda i, _: sympy.Symbol(f"w{L}_{i}"))


def printed_gradients(Ws: list, w: Any, X: Any, r: Any) -> list:
    """The gradients of (79): ``W_{l-1}^T ... W_1^T X^T r w_L^T W_{L-1}^T ... W_{l+1}^T`` and
    ``W_{L-1}^T ... W_1^T X^T r``."""
    eye = sympy.eye(w.shape[0])
    out = []
    for l in range(len(Ws)):
        left = eye
        for k in range(l):
            left = Ws[k].T * left
        right = w.T
        for k in range(len(Ws) - 1, l, -1):
            right = right * Ws[k].T
        out.append(left * X.T * r * right)
    tail = eye
    for k in range(len(Ws)):
        tail = Ws[k].T * tail
    return [*out, tail * X.T * r]


def derive_conservation(L: int, d: int = 2, n: int = 2,
                        gradients: bool = True) -> list[sympy.Expr]:
    """Nonzero residues of: entrywise gradient of the loss = (79) (if ``gradients``); ``d/dt``
    of (80) and (81) along (79) with the residual ``r`` a free symbol vector (so the laws hold
    for any ``r``, in particular ``r = X beta - y``). Empty list: all identities hold."""
    Ws, w = _symbols(L, d)
    X = sympy.Matrix(n, d, lambda i, j: sympy.Symbol(f"x{i}{j}"))
    params = [*Ws, w]
    bad = []
    if gradients:
        y = sympy.Matrix(n, 1, lambda i, _: sympy.Symbol(f"y{i}"))
        prod = sympy.eye(d)
        for W in Ws:
            prod = prod * W
        r = X * prod * w - y
        loss = sum(v**2 for v in r) / 2
        for P, G in zip(params, printed_gradients(Ws, w, X, r), strict=True):
            for i in range(P.shape[0]):
                for j in range(P.shape[1]):
                    diff = sympy.expand(sympy.diff(loss, P[i, j]) - G[i, j])
                    if diff != 0:
                        bad.append(diff)
    free = sympy.Matrix(n, 1, lambda i, _: sympy.Symbol(f"r{i}"))
    dots = [-G for G in printed_gradients(Ws, w, X, free)]
    for l in range(L - 1):
        A, Ad = params[l], dots[l]
        B, Bd = params[l + 1], dots[l + 1]
        rate = (Ad.T * A + A.T * Ad) - (Bd * B.T + B * Bd.T)
        bad.extend(e for e in (sympy.expand(v) for v in rate) if e != 0)
    return bad


def finite_difference_gap(L: int, d: int, n: int, seed: int = 0) -> float:
    """Max gap between the (79) gradients (numerically) and central differences of the loss."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((d, d)) for _ in range(L - 1)]
    w, X, y = rng.standard_normal((d, 1)), rng.standard_normal((n, d)), rng.standard_normal(n)

    def loss(ws: list[np.ndarray], v: np.ndarray) -> float:
        p = np.linalg.multi_dot([*ws, v]) if len(ws) > 1 else ws[0] @ v
        return float(np.sum((X @ p[:, 0] - y) ** 2) / 2)

    p = np.linalg.multi_dot([*Ws, w]) if L > 2 else Ws[0] @ w
    r = sympy.Matrix(X @ p[:, 0] - y)
    printed = printed_gradients([sympy.Matrix(W) for W in Ws], sympy.Matrix(w), sympy.Matrix(X),
                                r)
    h, gap = 1e-6, 0.0
    params = [*Ws, w]
    for k, P in enumerate(params):
        for idx in np.ndindex(P.shape):
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[k][idx] += h
            minus[k][idx] -= h
            fd = (loss(plus[:-1], plus[-1]) - loss(minus[:-1], minus[-1])) / (2 * h)
            gap = max(gap, abs(fd - float(printed[k][idx])))
    return gap


def derive_theorem7() -> SymbolicOutcome:
    """(79) and (80)-(81) for L = 2, 3, 4 (d = n = 2), plus finite differences."""
    bad = [e for L in (2, 3) for e in derive_conservation(L)] + derive_conservation(
        4, gradients=False)
    fd = max(finite_difference_gap(L, 3, 2, seed=L) for L in (2, 3, 4))
    ok = not bad and fd < 1e-6
    return SymbolicOutcome(ok, f"entrywise gradient = (79) for L = 2, 3 (d = n = 2); d/dt "
                               f"(80), (81) = 0 along (79) for any residual r, L = 2, 3, 4; "
                               f"finite differences (d = 3, n = 2) within {fd:.1e}; "
                               f"{len(bad)} nonzero residues")


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Thm7",
    paper=BIAS,
    location="§5.3 Theorem 7; proof App H eqs. (79)-(93)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Squared loss sum (f - y)^2/2, W_l(0) = alpha W̄_l, w_L(0) = alpha w̄_L, "
           "d_1 = ... = d_L = d, X full row rank. 7.1: lambda >= 0.05 by a repair, alpha in "
           "[0.5, 2]; loss -> 0 read as loss <= 1e-20 by t <= 1e5. 7.2: alpha -> 0 read along "
           f"alpha = {ALPHAS}; the hypothesis loss -> 0 is measured (loss <= 1e-20)."),
    variants=(
        Variant(
            "as-printed",
            "Theorem 7 as printed: (1) + (2) => loss -> 0 (with the proof's rate); loss -> 0 => "
            "the alpha -> 0 limit of lim_t beta_fc is X^T (X X^T)^{-1} y (limits measured, "
            "not certified)",
            (
                symbolic("derivation-79-81", derive_theorem7),
                trials("loss-to-zero", LOSS_TO_ZERO, sampler=_sampler, count=24),
                trials("rate-of-H1", RATE, sampler=_sampler, count=24),
                trials("conservation-80-81", CONSERVATION, sampler=_sampler, count=24),
                trials("degenerate-cases", LOSS_TO_ZERO, sampler=_degenerate_sampler, count=16),
                trials("limit-min-l2", LIMIT, sampler=_any_sampler, count=16),
                trials("distance-shrinks", SHRINK, sampler=_any_sampler, count=16),
                search("search-rate", RATE, evaluations=48,
                       dims=[{"L": 3, "d": 2, "n": 1, "Ld": 4}, {"L": 2, "d": 2, "n": 2,
                                                                  "Ld": 2}]),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:condition-2-dropped",
            "planted: condition (2) dropped; the all-zero start satisfies (1) and stays at "
            "loss ||y||^2/2",
            (trials("loss-to-zero", LOSS_WITHOUT_2, sampler=_zero_sampler, count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:min-l2-at-fixed-alpha",
            "planted: lim_t beta_fc equals X^T (X X^T)^{-1} y already at alpha = 1",
            (trials("fixed-alpha-limit", FIXED_ALPHA, sampler=_any_sampler, count=8),),
            expected=Verdict.REFUTED,
        ),
    ),
)
