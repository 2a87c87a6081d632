r"""BIAS-Thm2: Theorem 2 of "A Unifying View on Implicit Bias in Training Linear Neural Networks"
(§4.2; proof App D.1, stationarity in the sense of App D.1), as printed::

    **Theorem 2.** Suppose a linear tensor network (6) satisfies Assumption 1. If there exists
    lambda > 0 such that the initial directions v̄_1, ..., v̄_L ... satisfy
    |U_l^T v̄_l|_j|^2 - |U_L^T v̄_L|_j|^2 >= lambda for all l in [L-1] and j in [m], then the
    training loss L(Theta(t)) -> 0. If we additionally assume that X^T r(t) converges in
    direction, then beta(Theta(t)) converges in a direction that aligns with S^T rho^inf, where
    rho^inf in C^m denotes a stationary point of
        minimize_{rho in C^m} ||rho||_{2/L}  subject to  y_i x_i^T S^T rho >= 1.
    In case of invertible S, beta(Theta(t)) converges in a direction that aligns with a
    stationary point z^inf of
        minimize_{z in R^d} ||S^{-T} z||_{2/L}  subject to  y_i x_i^T z >= 1.

Reading. The printed hypothesis ``|U_l^T v̄_l|_j|^2`` has an unmatched bar; it is read as
``|[U_l^T v̄_l]_j|^2`` (the form of eq. (21) in App D.1). It uses ``U_l^T``, not ``U_l^H``;
for real ``v̄`` both have the same modulus (derived below). "Stationary point" is App D.1's
KKT sense (local subdifferential of ``||.||_{2/L}``, no condition off the support for
``L > 2``; global for ``L = 2``). The statement's setting (§2.1, §3): exponential loss, labels
``±1``, linearly separable data, gradient flow from ``v_l(0) = alpha v̄_l``. The §4.2 remark
that for ``L = 2`` the parameters converge to the *top* singular vectors is not part of the
theorem and is not checked here.

How it is checked (``as-printed``: supported; asymptotic, never certified):

* symbolic (sympy, from eq. (9) and the gradient-flow equation, entrywise):
  (i) ``M(x) ∘ (v_1..v_L) = sum_j [Sx]_j prod_l [U_l^T v_l]_j = x^T S^T rho`` for generic
  complex ``S, U_l`` (a diagonal network in ``rho``); (ii) ``|[U^T v]_j|^2 = |[U^H v]_j|^2``
  for real ``v`` and generic complex ``U``; (iii) the gap quantities
  ``|[U_l^T v_l]_j|^2 - |[U_L^T v_L]_j|^2`` are conserved: ``d/dt |[U_l^T v_l]_j|^2`` is the
  same for every layer, for exactly orthonormal real ``U_l`` (Cayley transforms, k_l > m) and
  for the DFT decomposition of the full-length convolution (``d = 3``, exact in
  ``Q(sqrt(-3))``), with ``v̇_l = -∂(g^T beta)/∂v_l`` for a generic ``g = dL/dbeta``;
* the invariant numerically: plain gradient flow on the three architectures, the gaps'
  drift against the change of ``|[U_l^T v_l]_j|^2`` (the gradients themselves are
  cross-checked against :mod:`verify.core.tensor_networks` and finite differences in the
  tests of :mod:`verify.core.decomposable_networks`);
* both conclusions on three architectures: the diagonal network (``S = U_l = I``), the
  full-length convolution (complex ``S = d^{(L-1)/2} F``, ``U_l = F^*``; z-form with
  ``S^{-T}``) and a synthetic real network built from eq. (9) with random orthonormal
  ``U_l`` (k_l = m + 1) and a full-column-rank ``S`` with ``m = d`` or ``m = d + 1`` (ρ-form),
  :mod:`verify.core.decomposable_networks`. The flow is followed by the arc-length flow
  (records at arc length ``2^k``, until the minimum margin reaches 1e3). Loss -> 0: ``log L``
  decreasing along the record and ``L <= 1e-6`` at the end. Limit: an instance is admissible
  only if beta's directional convergence is measured (geometric tail of the changes per
  doubling <= ``CONV_TOL``) and the direction of ``X^T r`` -- an *assumption* of the theorem,
  not a consequence -- moved by <= ``RESIDUAL_TOL`` over the last doubling; other instances
  are counted as inadmissible (undecided, never support). The distance to "a stationary
  point" is the smaller of (a) the KKT defect of the measured point (App D.1 conditions,
  :func:`verify.core.max_margin.kkt_residual`, support thresholds 1e-3 and 1e-2 of the
  largest coordinate, active-constraint thresholds 1e-3 and 1e-2 on the margin; a standard
  run found conv instances whose second constraint sat at margin 1.001, just outside the
  tighter one)) and (b) for
  real problems the chord distance to the nearest KKT point found independently
  (:func:`verify.core.max_margin.lp_max_margin`, vertex enumeration + multi-start);
  tolerance ``DIR_TOL``. The high-precision replay recomputes the final loss and chord
  distances in mpmath from the float64 end point (the flow itself is float64). The limit
  direction is checked at ``L = 3`` only: at ``L = 2`` the coordinates off the support decay
  only polynomially in the norm, so within the budget the measured direction still violates
  the off-support KKT condition (e.g. excess 0.42 on a d = 3 convolution) while its changes
  already look small; such instances can neither support nor refute, and the ``L = 2`` limit
  is not checked in this theorem's variants (loss -> 0 is checked at ``L = 2``). For the
  diagonal network, BIAS-Cor2 checks the ``L = 2`` limit with :func:`depth2_check`: a trial
  sampler restricted to data with a nondegenerate l1 solution and dual slack (off-support
  ``|[A^T mu]_j| <= SLACK_MAX``, a restriction of the sampler, not a hypothesis of the
  theorem), flows followed to minimum margin ``L2_MARGIN_CAP``, measured power-law decay,
  and the distance to z* extrapolated by the predicted power of ``||beta||``.
* search: structured + uniform sampling over L in {2, 3}, n <= 3, d <= 3, initial directions
  repaired onto the gap (gap floor ``GAP_FLOOR``, i.e. also tiny lambda), plus explicit
  corner cases: ``v̄_L = 0``, the gap exactly ``GAP_FLOOR``, one data point, n > d, m = d.

Planted mutants (refuted): the limit is the l2 max-margin direction; for ``L = 3`` the l1
max-margin direction; the initialisation gap dropped (``v̄_1 = v̄_2``, ``L = 2``, diagonal,
``y x <= 0``: the layers stay equal by symmetry of the flow, ``beta = w ⊙ w >= 0``, so
``L >= 1`` for all t).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy

from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Check, Claim, Variant
from verify.core import decomposable_networks as dn
from verify.core import decompositions as dc
from verify.core import flow
from verify.core import max_margin as mm
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Theorem 2.** Suppose a linear tensor network (6) satisfies Assumption 1. If there "
    r"exists  $\lambda > 0$  such that the initial directions  $\bar{v}_1, \dots, \bar{v}_L$  "
    r"of the network parameters satisfy  $|\mathbf{U}_l^T \bar{v}_l|_j|^2 - |\mathbf{U}_L^T "
    r"\bar{v}_L|_j|^2 \geq \lambda$  for all  $l \in [L - 1]$  and  $j \in [m]$ , then the "
    r"training loss  $\mathcal{L}(\Theta(t)) \rightarrow 0$ . If we additionally assume that  "
    r"$\mathbf{X}^T \mathbf{r}(t)$  converges in direction, then  $\beta(\Theta(t))$  "
    r"converges in a direction that aligns with  $\mathbf{S}^T \rho^\infty$ , where  "
    r"$\rho^\infty \in \mathbb{C}^m$  denotes a stationary point of" "\n\n"
    r"$$\text{minimize}_{\rho \in \mathbb{C}^m} \|\rho\|_{2/L} \quad \text{subject to} \quad "
    r"y_i \mathbf{x}_i^T \mathbf{S}^T \rho \geq 1, \quad \forall i \in [n].$$" "\n\n"
    r"In case of invertible  $\mathbf{S}$ ,  $\beta(\Theta(t))$  converges in a direction that "
    r"aligns with a stationary point  $\mathbf{z}^\infty$  of" "\n\n"
    r"$$\text{minimize}_{\mathbf{z} \in \mathbb{R}^d} \|\mathbf{S}^{-T} \mathbf{z}\|_{2/L} "
    r"\quad \text{subject to} \quad y_i \mathbf{x}_i^T \mathbf{z} \geq 1, \quad \forall i "
    r"\in [n].$$"
)

ARCHS = ("diagonal", "conv", "synthetic")
CONV_TOL = 1e-2
"""Admissible only if the extrapolated remaining directional change of beta is <= this."""
RESIDUAL_TOL = 5e-2
"""Admissible only if the direction of X^T r (assumed to converge) moved by <= this."""
DIR_TOL = 5e-2
"""Allowed distance (chord / relative KKT defect) to a stationary point."""
LOSS_OK = 1e-6
GAP_FLOOR = 1e-3
"""The repair raises the first L-1 layers' coordinates to a gap of at least this."""
DOUBLINGS = 9
MARGIN_CAP = 1e3
RTOL = 1e-8
U_SEEDS = 4
"""Synthetic networks: U_l, S drawn from seeds 0..U_SEEDS-1."""


# --------------------------------------------------------------------------- networks


def network(arch: str, L: int, d: int, m: int = 0, seed: int = 0) -> dn.DecomposableNetwork:
    """The network of eq. (9): diagonal / full-length conv (App D.2, D.3 decompositions) or
    the synthetic real one (k_l = m + 1)."""
    if arch == "synthetic":
        return dn.synthetic(seed, d, m, [m + 1] * L)
    return dn.from_decomposition(dc.decomposition(arch, d, L))


def batch_network(arch: str, batch: Batch) -> dn.DecomposableNetwork:
    return network(arch, batch["L"], batch["d"], batch.get("m", 0), batch.get("seed", 0))


def _layers(batch: Batch) -> list[np.ndarray]:
    W = np.asarray(batch["W"], dtype=float)
    return [W[:, l] for l in range(W.shape[1])]


def make_domain(arch: str, depths: tuple[int, int] = (2, 3), gap: bool = True,
                d_range: tuple[int, int] = (2, 3)) -> Domain:
    """Instances ``(L, n, d[, m, seed], X, y, W, alpha)``: W holds the initial directions
    (rows v̄_l, length k_l), ``v_l(0) = alpha v̄_l``. With ``gap`` the repair pushes W onto
    the hypothesis (gap >= GAP_FLOOR) and the hypothesis requires a positive gap; always:
    labels ±1 and linearly separable data."""
    k = "k" if arch == "synthetic" else "d"
    variables: list[Any] = [Integer("L", *depths), Integer("n", 1, 3), Integer("d", *d_range)]
    if arch == "synthetic":
        variables += [Integer("m", d_range[0], d_range[1] + 1),
                      Integer("k", d_range[0] + 1, d_range[1] + 2),
                      Integer("seed", 0, U_SEEDS - 1)]
    variables += [Matrix("X", "n", "d"), Vector("y", "n"), Matrix("W", "L", k, -3.0, 3.0),
                  Real("alpha", 0.5, 2.0, log=True)]

    def dims_ok(dims: dict[str, int]) -> bool:
        if arch != "synthetic":
            return True
        return dims["d"] <= dims["m"] <= dims["d"] + 1 and dims["k"] == dims["m"] + 1

    def repair(batch: Batch) -> Batch:
        out = {**batch, "y": np.where(batch["y"] >= 0, 1.0, -1.0)}
        if gap:
            net = batch_network(arch, batch)
            out["W"] = np.stack(dn.with_gap(net, _layers(batch), GAP_FLOOR), axis=1)
        return out

    def hypothesis(batch: Batch) -> np.ndarray:
        sep = np.array([mm.separable(X, y) for X, y in zip(batch["X"], batch["y"], strict=True)])
        ok = sep & np.all(np.abs(batch["y"]) == 1, axis=1)
        if gap:
            g = dn.gaps(batch_network(arch, batch), _layers(batch))
            ok &= np.min(g, axis=(1, 2)) > 0
        return ok

    return Domain(tuple(variables), hypothesis=hypothesis, repair=repair, dims_ok=dims_ok)


# --------------------------------------------------------------------------- flows


_RUNS: dict[tuple, dict[str, Any]] = {}


def _key(arch: str, batch: Batch, i: int) -> tuple:
    return (arch, batch["L"], batch["d"], batch.get("m", 0), batch.get("seed", 0),
            np.asarray(batch["X"][i], dtype=float).tobytes(),
            np.asarray(batch["y"][i], dtype=float).tobytes(),
            np.asarray(batch["W"][i], dtype=float).tobytes(), float(batch["alpha"][i]))


def run_flows(arch: str, batch: Batch, mask: np.ndarray) -> list[dict[str, Any] | None]:
    """Arc-length flows (cached) for the instances in ``mask``: diagonal / conv on the shared
    engine (:func:`verify.core.max_margin.arc_length_flow`), synthetic on eq. (9)
    (:func:`verify.core.decomposable_networks.arc_length_flow`)."""
    B = len(mask)
    keys = [_key(arch, batch, i) for i in range(B)]
    todo = np.array([i for i in range(B) if mask[i] and keys[i] not in _RUNS], dtype=int)
    if todo.size:
        L, d = batch["L"], batch["d"]
        alpha = np.asarray(batch["alpha"], dtype=float)[todo]
        params = [alpha[:, None] * p[todo] for p in _layers(batch)]
        X, y = batch["X"][todo], batch["y"][todo]
        opts = {"doublings": DOUBLINGS, "margin_cap": MARGIN_CAP, "rtol": RTOL,
                "atol": RTOL * 1e-2}
        if arch == "synthetic":
            net = batch_network(arch, batch)
            run = dn.arc_length_flow(net, params, X, y, **opts)
            rho = dn.rho(net, run.params)
        else:
            tnet = tn.diagonal(d, L) if arch == "diagonal" else tn.conv(d, [d] * L)
            run = mm.arc_length_flow(tnet, params, X, y, **opts)
            rho = np.zeros((todo.size, d))
        remaining, rchange = run.remaining_bound, run.residual_change
        for j, i in enumerate(todo):
            ok = run.status[j] == "time"
            logs = run.log_losses[j][np.isfinite(run.log_losses[j])]
            _RUNS[keys[i]] = {"beta": run.beta[j], "rho": np.real(rho[j]), "log_losses": logs,
                              "converged": bool(ok and (remaining[j] <= CONV_TOL
                                                        or _constant(run.beta_changes[j]))
                                                and rchange[j] <= RESIDUAL_TOL),
                              "finished": bool(ok)}
    return [_RUNS.get(k) if mask[i] else None for i, k in enumerate(keys)]


def _constant(changes: np.ndarray) -> bool:
    """beta's direction constant to rounding over the last three doublings (e.g. a single
    data point whose coordinates blow up together)."""
    c = changes[np.isfinite(changes)]
    return bool(c.size >= 4 and np.max(c[-3:]) <= 1e-12)


def _float_instance(inst: Instance) -> Batch:
    return {k: (v if isinstance(v, int) else
                np.asarray(v, dtype=float)[None] if isinstance(v, np.ndarray) else
                np.array([float(v)])) for k, v in inst.items()}


# --------------------------------------------------------------------------- loss -> 0


def _loss_excess(run: dict[str, Any]) -> float:
    logs = run["log_losses"]
    rise = float(np.max(np.diff(logs))) if logs.size > 1 else 0.0
    return max(float(logs[-1]) - np.log(LOSS_OK), rise)


def loss_property(arch: str, domain: Domain, description: str) -> Property:
    """Measured: ``log L`` non-increasing along the records and ``L(s_end) <= LOSS_OK``; the
    replay recomputes ``log L(s_end)`` in mpmath from the float64 end point's beta."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mask = domain.admissible(batch)
        runs = run_flows(arch, batch, mask)
        excess = np.array([np.nan if r is None else _loss_excess(r) for r in runs])
        return excess, np.ones_like(excess)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = _float_instance(inst)
        if not domain.admissible(fb)[0]:
            return None
        (run,) = run_flows(arch, fb, np.array([True]))
        logs = run["log_losses"]
        rise = float(np.max(np.diff(logs))) if logs.size > 1 else 0.0
        with mpmath.workdps(digits + 10):
            b = [mpmath.mpf(float(v)) for v in run["beta"]]
            margins = [mpmath.mpf(float(yi)) * mpmath.fsum(mpmath.mpf(float(x)) * bj
                                                    for x, bj in zip(row, b, strict=True))
                       for row, yi in zip(inst["X"], inst["y"], strict=True)]
            log_loss = mpmath.log(mpmath.fsum(mpmath.exp(-v) for v in margins))
            return max(log_loss - mpmath.log(LOSS_OK), mpmath.mpf(rise)), mpmath.mpf(1)

    return Property(domain, margin, margin_hp, Tolerance(rtol=0.0, atol=0.0),
                    description=description)


# --------------------------------------------------------------------------- limit


def problem(arch: str, batch: Batch, i: int, run: dict[str, Any]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """The printed max-margin problem of instance ``i`` as ``min ||T z||_p s.t. y_i a_i^T z
    >= 1``: ``(A, y, point, T, back)`` where ``point`` is the measured end point in the
    problem's variable and ``back`` maps it to beta. Invertible S (diagonal, conv, synthetic
    with m = d): z-form, data X, ``T = S^{-T}``, point beta. Otherwise ρ-form: data
    ``X S^T``, ``T = I``, point rho, ``back = S^T``."""
    X, y = batch["X"][i], batch["y"][i]
    net = batch_network(arch, batch)
    if net.m == net.d:
        T = np.linalg.inv(net.S).T
        T = T.real if np.allclose(T.imag, 0, atol=1e-14) else T
        return X, y, run["beta"], (None if np.allclose(T, np.eye(net.d)) else T), np.eye(net.d)
    S = np.real(net.S)
    return X @ S.T, y, run["rho"], None, S.T


def _candidates(A: np.ndarray, y: np.ndarray, p: float, T: np.ndarray | None) -> list:
    """KKT points found independently (real problems only: the complex-T solver is not
    usable at this cost)."""
    if T is not None and np.iscomplexobj(T):
        return []
    return [s.z for s in mm.lp_max_margin(A, y, p, T, starts=4, rng=np.random.default_rng(0))]


def kkt_defect(point: np.ndarray, A: np.ndarray, y: np.ndarray, p: float,
               T: np.ndarray | None) -> float:
    """App D.1 KKT defect of a finite-time point, the smallest over support thresholds
    (1e-3, 1e-2 of the largest |rho_j|) and active-constraint thresholds (margin within 1e-3
    or 1e-2 of the minimum): at finite arc length vanishing coordinates and margins of
    asymptotically active constraints are still slightly off (measured: 1e-3 above)."""
    return min(mm.kkt_residual(point, A, y, p, T, support_tol=s, active_tol=a).defect
               for s, a in itertools.product((1e-3, 1e-2), (1e-3, 1e-2)))


def stationarity_distance(arch: str, batch: Batch, i: int, run: dict[str, Any],
                          p: float) -> tuple[float, list[np.ndarray]]:
    """min(KKT defect of the measured point, chord from beta to ``back`` of the nearest KKT
    point found); also returns those KKT points (mapped to beta-space)."""
    A, y, point, T, back = problem(arch, batch, i, run)
    defect = kkt_defect(point, A, y, p, T)
    cands = [back @ z for z in _candidates(A, y, p, T)]
    chord = min((float(mm.direction_change(run["beta"], c)) for c in cands), default=np.inf)
    return min(defect, chord), cands


def _target_distance(kind: str, arch: str, batch: Batch, i: int,
                     run: dict[str, Any]) -> tuple[float, list[np.ndarray]]:
    """Distance of the measured limit to the prediction ``kind``: ``printed`` (a stationary
    point of the l_{2/L} problem), ``l2`` (the l2 max-margin direction), ``l1`` (a KKT point
    of the l1 problem, same T), ``plain`` (a stationary point of ``||z||_{2/L}``, T = I)."""
    X, y = batch["X"][i], batch["y"][i]
    L = batch["L"]
    if kind == "printed":
        return stationarity_distance(arch, batch, i, run, 2.0 / L)
    if kind == "l2":
        z = mm.l2_max_margin(X, y)
        return float(mm.direction_change(run["beta"], z)), [z]
    if kind == "l1":
        return stationarity_distance(arch, batch, i, run, 1.0)
    plain = {**run, "rho": run["beta"]}
    defect = kkt_defect(run["beta"], X, y, 2.0 / L, None)
    cands = _candidates(X, y, 2.0 / L, None)
    chord = min((float(mm.direction_change(plain["beta"], c)) for c in cands), default=np.inf)
    return min(defect, chord), cands


def limit_property(arch: str, domain: Domain, kind: str, description: str) -> Property:
    """The limit direction of beta (measured) is within ``DIR_TOL`` of the prediction
    ``kind``; instances without measured convergence of beta and of X^T r are inadmissible
    (NaN). The replay recomputes the chord distances in mpmath (the KKT defect is float64)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mask = domain.admissible(batch)
        runs = run_flows(arch, batch, mask)
        excess = np.full(len(runs), np.nan)
        for i, run in enumerate(runs):
            if run is not None and run["converged"]:
                excess[i] = _target_distance(kind, arch, batch, i, run)[0]
        return excess, np.ones_like(excess)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = _float_instance(inst)
        if not domain.admissible(fb)[0]:
            return None
        (run,) = run_flows(arch, fb, np.array([True]))
        if not run["converged"]:
            return None
        dist, cands = _target_distance(kind, arch, fb, 0, run)
        with mpmath.workdps(digits + 10):
            b = [mpmath.mpf(float(v)) for v in run["beta"]]
            nb = mpmath.sqrt(mpmath.fsum(v**2 for v in b))
            best = mpmath.mpf(dist)
            for c in cands:
                cc = [mpmath.mpf(float(v)) for v in c]
                nc = mpmath.sqrt(mpmath.fsum(v**2 for v in cc))
                chord = mpmath.sqrt(mpmath.fsum((u / nb - w / nc) ** 2
                                                for u, w in zip(b, cc, strict=True)))
                best = min(best, chord) if kind != "l2" else chord
            return best, mpmath.mpf(1)

    return Property(domain, margin, margin_hp, Tolerance(rtol=0.0, atol=DIR_TOL),
                    description=description)


# --------------------------------------------------------------------------- L = 2 limit

SLACK_MAX = 0.5
"""L = 2 trial sampler: off-support dual-certificate entries ``|[G mu]_j| <= SLACK_MAX``."""
L2_MARGIN_CAP = 1e5
L2_SEGMENTS = 30
FIT_RECORDS = 3
"""Records used for the power-law fit of the distance to the target."""


def l1_certificate(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float] | None:
    """``(z*, a)`` for the l1 max-margin problem ``min ||z||_1 s.t. y_i x_i^T z >= 1``: z* the
    best vertex of :func:`verify.core.max_margin.lp_max_margin`, accepted only if it is
    nondegenerate (as many active constraints as support coordinates, ``A_{act,S}``
    invertible) with a strictly positive dual certificate ``mu = A_{act,S}^{-T} sign(z*_S)``;
    ``a = max_{j off S} |[A^T mu]_j|`` (0 for full support). With ``a < 1`` z* is the unique
    minimiser. None otherwise."""
    sols = mm.lp_max_margin(X, y, 1.0, starts=0)
    if not sols:
        return None
    z = sols[0].z
    A = y[:, None] * X
    S = np.abs(z) > 1e-9 * np.max(np.abs(z))
    act = A @ z <= 1 + 1e-9
    if S.sum() != act.sum():
        return None
    As = A[np.ix_(act, S)]
    if np.linalg.cond(As) > 1e8:
        return None
    mu = np.linalg.solve(As.T, np.sign(z[S]))
    if np.any(mu <= 1e-9):
        return None
    g = A[act].T @ mu
    a = float(np.max(np.abs(g[~S]))) if (~S).any() else 0.0
    return (z, a) if a < 1 else None


def _l2_key(batch: Batch, i: int) -> tuple:
    return ("depth2", *_key("diagonal", batch, i)[1:])


_L2_RUNS: dict[tuple, dict[str, Any]] = {}


def run_depth2(batch: Batch, mask: np.ndarray) -> list[dict[str, Any] | None]:
    """Depth-2 diagonal arc-length flows (cached), followed in segments that double the arc
    length (:func:`verify.core.max_margin.arc_length_flow` continued from its end point, one
    record per call) until the minimum margin reaches ``L2_MARGIN_CAP``: per instance the
    records ``beta`` (R, d), ``residual`` (R, d) and whether every segment finished."""
    B = len(mask)
    keys = [_l2_key(batch, i) for i in range(B)]
    todo = np.array([i for i in range(B) if mask[i] and keys[i] not in _L2_RUNS], dtype=int)
    if todo.size:
        alpha = np.asarray(batch["alpha"], dtype=float)[todo]
        state = [alpha[:, None] * p[todo] for p in _layers(batch)]
        X, y = batch["X"][todo], batch["y"][todo]
        net = tn.diagonal(batch["d"], 2)
        betas: list[list[np.ndarray]] = [[] for _ in todo]
        rdirs: list[list[np.ndarray]] = [[] for _ in todo]
        ok = np.ones(todo.size, dtype=bool)
        active, length = np.arange(todo.size), 1.0
        for _ in range(L2_SEGMENTS):
            run = mm.arc_length_flow(net, [p[active] for p in state], X[active], y[active],
                                     s0=length, doublings=0, margin_cap=np.inf, rtol=RTOL,
                                     atol=RTOL * 1e-2)
            for p, new in zip(state, run.params, strict=True):
                p[active] = new
            for j, a in enumerate(active):
                betas[a].append(run.beta[j])
                rdirs[a].append(run.residual_dir[j])
            ok[active] &= run.status == "time"
            active = active[(run.status == "time") & (run.min_margin < L2_MARGIN_CAP)]
            length *= 2
            if active.size == 0:
                break
        ok[active] = False
        for j, i in enumerate(todo):
            _L2_RUNS[keys[i]] = {"beta": np.array(betas[j]), "residual": np.array(rdirs[j]),
                                 "finished": bool(ok[j])}
    return [_L2_RUNS.get(k) if mask[i] else None for i, k in enumerate(keys)]


def depth2_analysis(run: dict[str, Any], q: float) -> dict[str, float]:
    """Target-free convergence measurements of a depth-2 record, predicted rate ``q``: the
    chord changes ``c_k`` of beta's direction between records, their measured exponents
    ``e_k = log(c_{k-1}/c_k) / log(||beta_k|| / ||beta_{k-1}||)`` (the last two), the tail
    bound ``c_last r / (1 - r)`` with ``r`` the larger of the last two ratios ``c_k/c_{k-1}``
    (inf unless ``r < 1``) and the change of the direction of ``X^T r`` over the last record.
    ``admissible``: all segments finished, both exponents ``>= q / 2``, tail ``<= CONV_TOL``,
    ``X^T r`` moved ``<= RESIDUAL_TOL``."""
    b = run["beta"]
    norms = np.linalg.norm(b, axis=1)
    c = mm.direction_change(b[1:], b[:-1])
    out = {"exponent": np.nan, "tail": np.inf, "residual_change": np.inf, "admissible": 0.0}
    if b.shape[0] < 4 or not run["finished"] or np.any(c[-3:-1] <= 0):
        return out
    ratios = c[-2:] / c[-3:-1]
    growth = norms[-2:] / norms[-3:-1]
    expo = np.where(ratios > 0, -np.log(np.maximum(ratios, 1e-300)) / np.log(growth), np.inf)
    r = float(np.max(ratios))
    out["exponent"] = float(np.min(expo))
    out["tail"] = c[-1] * r / (1 - r) if r < 1 else np.inf
    out["residual_change"] = float(mm.direction_change(run["residual"][-1],
                                                       run["residual"][-2]))
    out["admissible"] = float(out["exponent"] >= q / 2 and out["tail"] <= CONV_TOL
                              and out["residual_change"] <= RESIDUAL_TOL)
    return out


def extrapolated_distance(run: dict[str, Any], target: np.ndarray, q: float) -> float:
    """Fit the chord distances ``delta_k`` of the last ``FIT_RECORDS`` records to ``target``'s
    direction by ``D + C ||beta_k||^{-q}`` (least squares) and return ``|D|`` plus the rms fit
    residual: small only if the distances decrease to 0 consistently with the predicted rate
    (a constant distance gives ``D`` = that distance)."""
    b = run["beta"][-FIT_RECORDS:]
    delta = mm.direction_change(b, target[None])
    norms = np.linalg.norm(b, axis=1)
    M = np.column_stack([np.ones_like(norms), (norms / norms[-1]) ** (-q)])
    coef, *_ = np.linalg.lstsq(M, delta, rcond=None)
    return float(abs(coef[0]) + np.sqrt(np.mean((M @ coef - delta) ** 2)))


def depth2_property(kind: str, description: str) -> Property:
    """The depth-2 diagonal limit (the l1 max-margin problem, convex): the extrapolated
    distance of beta's direction to ``z*`` (``kind = "printed"``: the unique l1 max-margin
    solution) or to the l2 max-margin direction (``"l2"``, planted) is <= ``DIR_TOL``.
    Inadmissible (NaN): no nondegenerate l1 solution with a strict certificate, or the
    target-free measurements of :func:`depth2_analysis` fail. The replay recomputes the fit
    in mpmath from the float64 records."""

    def evaluate(batch: Batch, i: int, run: dict[str, Any] | None
                 ) -> tuple[float, np.ndarray, float] | None:
        X, y = batch["X"][i], batch["y"][i]
        cert = l1_certificate(X, y)
        if run is None or cert is None:
            return None
        q = 1.0 - cert[1]
        if not depth2_analysis(run, q)["admissible"]:
            return None
        target = cert[0] if kind == "printed" else mm.l2_max_margin(X, y)
        return extrapolated_distance(run, target, q), target, q

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mask = DEPTH2_DOMAIN.admissible(batch)
        runs = run_depth2(batch, mask)
        excess = np.full(mask.size, np.nan)
        for i, run in enumerate(runs):
            res = evaluate(batch, i, run)
            if res is not None:
                excess[i] = res[0]
        return excess, np.ones_like(excess)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = _float_instance(inst)
        if not DEPTH2_DOMAIN.admissible(fb)[0]:
            return None
        (run,) = run_depth2(fb, np.array([True]))
        res = evaluate(fb, 0, run)
        if res is None:
            return None
        _, target, q = res
        with mpmath.workdps(digits + 10):
            t = mpmath.matrix([float(v) for v in target])
            t /= mpmath.norm(t)
            rows = [mpmath.matrix([float(v) for v in b]) for b in run["beta"][-FIT_RECORDS:]]
            norms = [mpmath.norm(b) for b in rows]
            delta = [mpmath.norm(b / nb - t) for b, nb in zip(rows, norms, strict=True)]
            M = mpmath.matrix([[1, (nb / norms[-1]) ** (-q)] for nb in norms])
            coef = mpmath.lu_solve(M.T * M, M.T * mpmath.matrix(delta))
            fit = M * coef
            rms = mpmath.sqrt(mpmath.fsum((fit[k] - delta[k]) ** 2 for k in range(len(delta)))
                              / len(delta))
            return abs(coef[0]) + rms, mpmath.mpf(1)

    return Property(DEPTH2_DOMAIN, margin, margin_hp, Tolerance(rtol=0.0, atol=DIR_TOL),
                    description=description)


def depth2_sampler(rng: np.random.Generator, count: int) -> list[Batch]:
    """L = 2 diagonal instances (n in 1..3, d in 2..3, uniform X, random labels, Gaussian
    initial directions repaired onto the gap, alpha log-uniform in [1/2, 2]) kept only if
    the l1 max-margin solution is nondegenerate with a strict dual certificate whose
    off-support entries satisfy ``|[G mu]_j| <= SLACK_MAX`` (a hypothesis of this SAMPLER,
    not of the theorem: it makes the predicted off-support decay ``||beta||^{-(1 - a)}``
    at least ``||beta||^{-1/2}``); rejection sampling, one batch per (n, d)."""
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for _ in range(50 * count):
        if sum(len(g) for g in groups.values()) == count:
            break
        n, d = int(rng.integers(1, 4)), int(rng.integers(2, 4))
        X, y = rng.uniform(-1, 1, (n, d)), rng.choice([-1.0, 1.0], n)
        cert = l1_certificate(X, y)
        if cert is None or cert[1] > SLACK_MAX:
            continue
        groups.setdefault((n, d), []).append(
            {"X": X, "y": y, "W": rng.standard_normal((2, d)),
             "alpha": np.exp(rng.uniform(np.log(0.5), np.log(2.0)))})
    return [DEPTH2_DOMAIN.assemble({k: np.array([r[k] for r in rows]) for k in rows[0]},
                                   {"L": 2, "n": n, "d": d})
            for (n, d), rows in groups.items()]


DEPTH2_DOMAIN = make_domain("diagonal", depths=(2, 2))
DEPTH2 = depth2_property("printed", "diagonal, L = 2: beta's limit direction is the unique l1 "
                         "max-margin direction z*/||z*|| (extrapolated by the predicted power "
                         "of ||beta||)")
DEPTH2_L2 = depth2_property("l2", "planted: at L = 2 the limit direction is the l2 max-margin "
                            "one")
DEPTH2_L2_INSTANCE: Batch = {"L": 2, "n": 1, "d": 2, "X": np.array([[[1.0, 3.0]]]),
                             "y": np.array([[1.0]]), "W": np.array([[[1.0, 1.0], [0.0, 0.0]]]),
                             "alpha": np.array([1.0])}
"""One point x = [1 3]: z* = [0 1/3], certificate G mu = [1/3 1] (a = 1/3); l2 direction
[1 3]/sqrt(10) at chord 0.33 from z*."""


def depth2_check() -> Check:
    """The L = 2 limit trials (Cor 2 and Theorem 2's diagonal case)."""
    return trials("limit-l2-depth2", DEPTH2, sampler=depth2_sampler, count=16)


# --------------------------------------------------------------------------- samplers


def sampler(arch: str, domain: Domain, depths: tuple[int, ...] = (2, 3),
            d_range: tuple[int, int] = (2, 3)) -> Callable[[np.random.Generator, int],
                                                           list[Batch]]:
    """Per depth: n in 1..3, d in d_range, uniform X, random labels, Gaussian initial
    directions repaired onto the gap, alpha log-uniform in [1/2, 2]; synthetic: m in
    {d, d + 1}, k = m + 1, a random network seed."""

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        out = []
        for j, L in enumerate(depths):
            b = count // len(depths) + (1 if j < count % len(depths) else 0)
            if not b:
                continue
            d, n = int(rng.integers(d_range[0], d_range[1] + 1)), int(rng.integers(1, 4))
            dims = {"L": L, "n": n, "d": d}
            k = d
            if arch == "synthetic":
                m = d + int(rng.integers(0, 2))
                k = m + 1
                dims |= {"m": m, "k": k, "seed": int(rng.integers(0, U_SEEDS))}
            raw = {"X": rng.uniform(-1, 1, (b, n, d)), "y": rng.choice([-1.0, 1.0], (b, n)),
                   "W": rng.standard_normal((b, L, k)),
                   "alpha": np.exp(rng.uniform(np.log(0.5), np.log(2.0), b))}
            out.append(domain.assemble(raw, dims))
        return out

    return sample


def corner_sampler(arch: str, domain: Domain, L: int) -> Callable[[np.random.Generator, int],
                                                                   list[Batch]]:
    """Admissible corner cases at depth L (one batch each): v̄_L = 0; the gap exactly
    GAP_FLOOR (tiny lambda); one data point; n > d (separable by construction); alpha at the
    ends of its range; synthetic: m = d and m = d + 1."""

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        b = max(1, count // 5)
        out = []
        for case in range(5):
            n, d = (1 if case == 2 else 3 if case == 3 else 2), 2
            dims = {"L": L, "n": n, "d": d}
            k = d
            if arch == "synthetic":
                m = d if case in (0, 2) else d + 1
                k = m + 1
                dims |= {"m": m, "k": k, "seed": case % U_SEEDS}
            X = rng.uniform(-1, 1, (b, n, d))
            y = rng.choice([-1.0, 1.0], (b, n))
            W = rng.standard_normal((b, L, k))
            alpha = np.exp(rng.uniform(np.log(0.5), np.log(2.0), b))
            net = network(arch, L, d, dims.get("m", 0), dims.get("seed", 0))
            if case == 0:
                W[:, -1] = 0.0
            elif case == 1:
                W = np.stack(dn.with_gap(net, [W[:, l] for l in range(L)], 0.0), axis=1)
                c = dn.coordinates(net, [W[:, l] for l in range(L)])
                scale = np.sqrt((np.abs(c[-1]) ** 2 + GAP_FLOOR) / np.maximum(
                    np.abs(c[0]) ** 2, 1e-300))
                W[:, 0] = np.real((c[0] * scale) @ np.conj(net.U[0]).T)
                W[:, 1] = np.real((c[1] * scale) @ np.conj(net.U[1]).T)
            elif case == 3:
                X = rng.uniform(-1, 1, (b, n, d))
                y = np.sign(X @ rng.uniform(-1, 1, (b, d, 1)))[..., 0]
                y[y == 0] = 1.0
            elif case == 4:
                alpha[:] = np.where(np.arange(b) % 2, 0.5, 2.0)
            out.append(domain.assemble({"X": X, "y": y, "W": W, "alpha": alpha}, dims))
        return out

    return sample


# --------------------------------------------------------------------------- invariant


def _invariant_margin(arch: str, domain: Domain) -> Callable[[Batch], tuple[np.ndarray,
                                                                            np.ndarray]]:
    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mask = domain.admissible(batch)
        excess = np.full(mask.size, np.nan)
        scale = np.ones(mask.size)
        if not mask.any():
            return excess, scale
        net = batch_network(arch, batch)
        alpha = np.asarray(batch["alpha"], dtype=float)[mask]
        p0 = [alpha[:, None] * p[mask] for p in _layers(batch)]
        loss = tn.classification_loss(batch["X"][mask], batch["y"][mask])
        res = flow.integrate(p0, lambda ps, idx: dn.value_and_gradients(net, ps,
                                                                          loss.take(idx)),
                             1.0, rtol=1e-11, atol=1e-13)
        drift = np.max(np.abs(dn.gaps(net, res.weights) - dn.gaps(net, p0)), axis=(1, 2))
        moved = np.max(np.abs(np.abs(np.stack(dn.coordinates(net, res.weights))) ** 2
                              - np.abs(np.stack(dn.coordinates(net, p0))) ** 2), axis=(0, 2))
        excess[mask], scale[mask] = drift, moved
        return excess, scale

    return margin


def invariant_property(arch: str) -> Property:
    """Gradient flow (plain time, t in [0, 1], rtol 1e-11) conserves the gaps: drift of
    ``|[U_l^T v_l]_j|^2 - |[U_L^T v_L]_j|^2`` <= 1e-6 x the change of ``|[U_l^T v_l]_j|^2``."""
    domain = make_domain(arch)
    margin = _invariant_margin(arch, domain)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = _float_instance(inst)
        if not domain.admissible(fb)[0]:
            return None
        e, s = margin(fb)
        return mpmath.mpf(float(e[0])), mpmath.mpf(float(s[0]))

    return Property(domain, margin, margin_hp, Tolerance(rtol=1e-6, atol=1e-12),
                    description=f"{arch}: the gap quantities are conserved along the flow")


# --------------------------------------------------------------------------- symbolic


def eq9_tensor(S: sympy.Matrix, U: list[sympy.Matrix], x: sympy.Matrix) -> dict[tuple, Any]:
    """Entries of ``M(x) = sum_j [Sx]_j [U_1]_{.,j} ⊗ ... ⊗ [U_L]_{.,j}`` (eq. (9))."""
    sx = S * x
    return {idx: sum(sx[j] * sympy.Mul(*[U[l][idx[l], j] for l in range(len(U))])
                     for j in range(S.shape[0]))
            for idx in itertools.product(*[range(u.shape[0]) for u in U])}


def _contract(M: dict[tuple, Any], v: list[sympy.Matrix]) -> Any:
    """``M ∘ (v_1, ..., v_L)`` by the definition of the multilinear product."""
    return sum(val * sympy.Mul(*[v[l][i] for l, i in enumerate(idx)]) for idx, val in M.items())


def derive_diagonal_form() -> SymbolicOutcome:
    """(i) ``M(x) ∘ (v_1..v_L) = x^T S^T rho``, ``rho = prod^⊙ U_l^T v_l``, for generic
    (complex) symbolic ``S`` (m x d) and ``U_l`` (k x m): L = 2 (k = 3, m = 2, d = 2) and
    L = 3 (k = 2, m = 2, d = 2); polynomial identity, expanded to 0."""
    notes = []
    for L, k, m, d in ((2, 3, 2, 2), (3, 2, 2, 2)):
        S = sympy.Matrix(m, d, lambda a, b: sympy.Symbol(f"s{a}{b}"))
        U = [sympy.Matrix(k, m, lambda a, b, l=l: sympy.Symbol(f"u{l}_{a}{b}")) for l in range(L)]
        v = [sympy.Matrix(k, 1, lambda a, b, l=l: sympy.Symbol(f"v{l}_{a}", real=True))
             for l in range(L)]
        x = sympy.Matrix(d, 1, lambda a, b: sympy.Symbol(f"x{a}", real=True))
        f = _contract(eq9_tensor(S, U, x), v)
        coords = [U[l].T * v[l] for l in range(L)]
        rho = sympy.Matrix([sympy.Mul(*[c[j] for c in coords]) for j in range(m)])
        if sympy.expand(f - (x.T * S.T * rho)[0]) != 0:
            return SymbolicOutcome(False, f"L={L}: M(x)∘(v) != x^T S^T rho")
        notes.append(f"L={L} (k={k}, m={m}, d={d})")
    return SymbolicOutcome(True, "M(x)∘(v_1..v_L) = x^T S^T (⊙_l U_l^T v_l) for generic complex "
                           "S, U_l: " + ", ".join(notes))


def derive_transpose_modulus() -> SymbolicOutcome:
    """(ii) ``|[U^T v]_j|^2 = |[U^H v]_j|^2`` for real v and generic complex U = A + iB (3 x 2):
    ``[U^H v]_j`` is the conjugate of ``[U^T v]_j``; both moduli expanded in A, B, v."""
    A = sympy.Matrix(3, 2, lambda a, b: sympy.Symbol(f"a{a}{b}", real=True))
    Bm = sympy.Matrix(3, 2, lambda a, b: sympy.Symbol(f"b{a}{b}", real=True))
    U = A + sympy.I * Bm
    v = sympy.Matrix(3, 1, lambda a, b: sympy.Symbol(f"v{a}", real=True))
    t, h = U.T * v, U.H * v
    diffs = [sympy.expand(t[j] * sympy.conjugate(t[j]) - h[j] * sympy.conjugate(h[j]))
             for j in range(2)]
    conj = [sympy.expand(h[j] - sympy.conjugate(t[j])) for j in range(2)]
    ok = all(e == 0 for e in diffs + conj)
    return SymbolicOutcome(ok, "[U^H v]_j = conj([U^T v]_j) and |[U^T v]_j|^2 = |[U^H v]_j|^2 "
                           "for real v, generic complex U (3 x 2)")


def _cayley(k: int, seed: int) -> sympy.Matrix:
    """Exactly orthogonal rational k x k matrix ``(I - K)(I + K)^{-1}``, K skew-symmetric with
    rational entries ``(a + b + seed) / (a + 2 b + 3)``."""
    K = sympy.zeros(k, k)
    for a, b in itertools.combinations(range(k), 2):
        K[a, b] = sympy.Rational(a + b + seed + 1, a + 2 * b + 3)
        K[b, a] = -K[a, b]
    return (sympy.eye(k) - K) * (sympy.eye(k) + K).inv()


def gap_rates(S: sympy.Matrix, U: list[sympy.Matrix]) -> list[Any]:
    """``d/dt |[U_l^T v_l]_j|^2`` (l = 1..L, j = 1..m) along ``v̇_l = -∂(g^T beta)/∂v_l``,
    with ``beta_i = M(e_i) ∘ (v_1..v_L)`` from eq. (9), generic ``g``; derivatives entrywise
    on explicit real symbols; ``|c|^2 = c conj(c)`` with real v."""
    L, (m, d) = len(U), S.shape
    v = [sympy.Matrix(U[l].shape[0], 1, lambda a, b, l=l: sympy.Symbol(f"v{l}_{a}", real=True))
         for l in range(L)]
    g = sympy.Matrix(d, 1, lambda a, b: sympy.Symbol(f"g{a}", real=True))
    beta = [_contract(eq9_tensor(S, U, sympy.eye(d)[:, i]), v) for i in range(d)]
    potential = sum(g[i] * beta[i] for i in range(d))
    vdot = [[-sympy.diff(potential, s) for s in v[l]] for l in range(L)]
    rates = []
    for l in range(L):
        for j in range(m):
            c = sum(U[l][a, j] * v[l][a] for a in range(U[l].shape[0]))
            sq = sympy.expand(c * sympy.conjugate(c))
            rates.append((l, j, sympy.expand(sum(sympy.diff(sq, s) * vd
                                                 for s, vd in zip(v[l], vdot[l], strict=True)))))
    return rates


def derive_gap_conservation() -> SymbolicOutcome:
    """(iii) ``d/dt |[U_l^T v_l]_j|^2`` does not depend on l: exactly orthonormal rational U_l
    (Cayley transforms; symbolic S, v, g)
    (k = 3, m = 2, d = 2, L = 2 and k = 2, m = 2, d = 1, L = 3) and the DFT decomposition of
    the full-length convolution (d = 3, L = 2, ``psi = -1/2 - i sqrt(3)/2`` exact)."""
    notes = []
    cases = []
    for L, k, m, d in ((2, 3, 2, 2), (3, 2, 2, 1)):
        U = [_cayley(k, l)[:, :m] for l in range(L)]
        S = sympy.Matrix(m, d, lambda a, b: sympy.Symbol(f"s{a}{b}", real=True))
        cases.append((f"real orthonormal L={L}, k={k}, m={m}, d={d}", S, U))
    d = 3
    psi = sympy.Rational(-1, 2) - sympy.sqrt(3) * sympy.I / 2
    F = sympy.Matrix(d, d, lambda a, b: psi ** (a * b) / sympy.sqrt(d))
    cases.append(("conv d=3, L=2 (S = d^{1/2} F, U = F^*)", sympy.sqrt(d) * F,
                  [F.conjugate()] * 2))
    for name, S, U in cases:
        rates = gap_rates(S, U)
        L = len(U)
        for j in range(S.shape[0]):
            ref = next(r for l, jj, r in rates if jj == j and l == L - 1)
            for l, jj, r in rates:
                if jj == j and sympy.expand(r - ref) != 0:
                    return SymbolicOutcome(False, f"{name}: rate of layer {l} != layer L, j={j}")
        notes.append(name)
    return SymbolicOutcome(True, "d/dt |[U_l^T v_l]_j|^2 equal for all layers (so the gaps "
                           "|[U_l^T v_l]_j|^2 - |[U_L^T v_L]_j|^2 are conserved): "
                           + "; ".join(notes))


# --------------------------------------------------------------------------- mutant data


def fixed_sampler(batch: Batch) -> Callable[[np.random.Generator, int], list[Batch]]:
    """A trials sampler that always returns the one fixed ``batch`` (the mutants' instances)."""
    return lambda rng, n: [batch]


NO_GAP_DOMAIN = make_domain("diagonal", depths=(2, 2), gap=False, d_range=(2, 2))
NO_GAP_INSTANCE: Batch = {"L": 2, "n": 1, "d": 2, "X": np.array([[[-1.0, -1.0]]]),
                          "y": np.array([[1.0]]), "W": np.array([[[1.0, 1.0], [1.0, 1.0]]]),
                          "alpha": np.array([1.0])}
"""v̄_1 = v̄_2 (gap 0), y x <= 0 entrywise, separable: w_1 = w_2 for all t, beta >= 0, L >= 1."""


def no_gap_property() -> Property:
    """Planted: loss -> 0 without the gap (measured along the plain gradient flow to t = 100:
    ``log L(100) <= log LOSS_OK``); replay: the loss recomputed in mpmath."""

    def evaluate(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        mask = NO_GAP_DOMAIN.admissible(batch)
        excess = np.full(mask.size, np.nan)
        if mask.any():
            net = tn.diagonal(batch["d"], batch["L"])
            alpha = np.asarray(batch["alpha"], dtype=float)[mask]
            p0 = [alpha[:, None] * p[mask] for p in _layers(batch)]
            loss = tn.classification_loss(batch["X"][mask], batch["y"][mask])
            res = flow.tensor_gradient_flow(net, p0, loss, t_end=100.0)
            excess[mask] = np.log(res.loss) - np.log(LOSS_OK)
        return excess, np.ones_like(excess)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = _float_instance(inst)
        if not NO_GAP_DOMAIN.admissible(fb)[0]:
            return None
        e, _ = evaluate(fb)
        with mpmath.workdps(digits + 10):
            return mpmath.mpf(float(e[0])), mpmath.mpf(1)

    return Property(NO_GAP_DOMAIN, evaluate, margin_hp, Tolerance(rtol=0.0, atol=0.0),
                    description="planted: loss -> 0 without the initialisation gap")


# --------------------------------------------------------------------------- the claim

DOMAINS = {arch: make_domain(arch) for arch in ARCHS}
LOSS = {arch: loss_property(arch, DOMAINS[arch], f"{arch}: log L decreasing along the "
                            f"record and L(s_end) <= {LOSS_OK:g}") for arch in ARCHS}
LIMIT = {arch: limit_property(arch, DOMAINS[arch], "printed",
                              f"{arch}: beta's limit direction aligns with S^T rho for a "
                              f"stationary rho of the l_(2/L) problem (admissible: measured "
                              f"convergence of beta and of X^T r)") for arch in ARCHS}
L1_DOMAIN = make_domain("diagonal", depths=(3, 3))
L2 = limit_property("diagonal", L1_DOMAIN, "l2",
                    "planted: the limit direction is the l2 max-margin one")
L1 = limit_property("diagonal", L1_DOMAIN, "l1",
                    "planted: for L = 3 the limit is stationary for the l1 problem")
INVARIANT = {arch: invariant_property(arch) for arch in ARCHS}


LIMIT_DOMAINS = {arch: make_domain(arch, depths=(3, 3)) for arch in ARCHS}
LIMIT3 = {arch: limit_property(arch, LIMIT_DOMAINS[arch], "printed",
                               f"{arch}, L = 3: beta's limit direction aligns with S^T rho for "
                               f"a stationary rho of the l_(2/3) problem (admissible: measured "
                               f"convergence of beta and of X^T r)") for arch in ARCHS}


def corollary_checks(arch: str) -> tuple[Check, ...]:
    """The numeric checks of a corollary of Theorem 2 for one architecture (Cor 2: diagonal,
    Cor 3: conv): loss -> 0 (L = 2, 3), the L = 3 limit on sampled and corner instances, and a
    search over L = 3 instances."""
    return (
        trials("loss-to-zero", LOSS[arch], sampler=sampler(arch, DOMAINS[arch]), count=24),
        trials("limit-is-stationary", LIMIT3[arch],
               sampler=sampler(arch, LIMIT_DOMAINS[arch], depths=(3,)), count=24),
        trials("corner-cases", LIMIT3[arch],
               sampler=corner_sampler(arch, LIMIT_DOMAINS[arch], 3), count=10),
        search("search-limit", LIMIT3[arch], evaluations=64, shrink=False,
               stages=("structured-sampling", "sampling")),
    )


def _as_printed_checks() -> tuple:
    checks: list[Any] = [
        symbolic("diagonal-in-rho", derive_diagonal_form),
        symbolic("transpose-vs-conjugate-transpose", derive_transpose_modulus),
        symbolic("gap-conservation", derive_gap_conservation),
    ]
    for arch in ARCHS:
        checks.append(trials(f"gap-invariant-{arch}", INVARIANT[arch], count=8))
    for arch in ARCHS:
        if arch != "synthetic":
            checks.append(trials(f"loss-to-zero-{arch}", LOSS[arch],
                                 sampler=sampler(arch, DOMAINS[arch]), count=16))
        checks.append(trials(f"limit-{arch}", LIMIT3[arch],
                             sampler=sampler(arch, LIMIT_DOMAINS[arch], depths=(3,)),
                             count=10 if arch == "synthetic" else 16))
    checks.append(trials("loss-corner-cases-synthetic", LOSS["synthetic"],
                         sampler=corner_sampler("synthetic", DOMAINS["synthetic"], 2), count=10))
    checks.append(trials("limit-corner-cases-synthetic", LIMIT3["synthetic"],
                         sampler=corner_sampler("synthetic", LIMIT_DOMAINS["synthetic"], 3),
                         count=10))
    checks.append(search("search-limit-synthetic", LIMIT3["synthetic"], evaluations=48,
                         shrink=False, stages=("structured-sampling", "sampling")))
    return tuple(checks)


L2_INSTANCE: Batch = {"L": 3, "n": 1, "d": 2, "X": np.array([[[1.0, 2.0]]]),
                      "y": np.array([[1.0]]), "W": np.array([[[1.0, 1.0], [1.0, 1.0],
                                                               [0.0, 0.0]]]),
                      "alpha": np.array([1.0])}
L1_INSTANCE: Batch = {"L": 3, "n": 1, "d": 2, "X": np.array([[[0.25, 0.5]]]),
                      "y": np.array([[1.0]]), "W": np.array([[[3.0, 1.0], [3.0, 1.0],
                                                               [0.0, 0.0]]]),
                      "alpha": np.array([1.0])}

CLAIM = Claim(
    id="BIAS-Thm2",
    paper=BIAS,
    location="§4.2 Theorem 2 (with Assumption 1, Remarks 1-2); proof App D.1",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Printed '|U_l^T v̄_l|_j|^2' read as |[U_l^T v̄_l]_j|^2 (U^T and U^H give the same "
           "modulus for real v̄: derived). Stationary point in App D.1's KKT sense. The "
           "directional convergence of X^T r is an ASSUMPTION of the theorem: it is measured "
           "on every instance and instances where it (or beta's direction) is not observed are "
           "inadmissible, never support. Sampled: L in {2, 3}, n <= 3, d <= 3, synthetic "
           "m in {d, d+1}, k_l = m + 1, gap >= 1e-3, alpha in [1/2, 2]. The §4.2 remark on "
           "top singular vectors for L = 2 is not part of the theorem and not checked."),
    variants=(
        Variant(
            "as-printed",
            "Theorem 2 as printed: loss -> 0 (measured), and, ASSUMING X^T r converges in "
            "direction (measured, not proven), beta's limit direction (measured) aligns with "
            "S^T rho for a stationary rho of the l_(2/L) problem (z-form for invertible S); "
            "diagonal, full-length conv and synthetic eq.-(9) networks; gap invariant derived "
            "symbolically and measured",
            _as_printed_checks(),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:l2",
            "planted: the limit direction is the l2 max-margin classifier (diagonal network, "
            "L = 3, x = [1 2])",
            (trials("limit-is-l2", L2, sampler=fixed_sampler(L2_INSTANCE), count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:l1",
            "planted: for L = 3 the limit direction is stationary for the l1 (not l_(2/3)) "
            "max-margin problem (diagonal, x = [1/4 1/2], init favouring coordinate 1: the "
            "limit is the vertex [4 0], not l1-stationary)",
            (trials("limit-is-l1", L1, sampler=fixed_sampler(L1_INSTANCE), count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:no-init-gap",
            "planted: the initialisation hypothesis dropped (v̄_1 = v̄_2, L = 2, diagonal, "
            "y x <= 0): the layers stay equal, beta = w ⊙ w >= 0 and the loss stays >= 1",
            (trials("loss-to-zero", no_gap_property(), sampler=fixed_sampler(NO_GAP_INSTANCE),
                    count=8),),
            expected=Verdict.REFUTED,
        ),
    ),
)
