r"""BIAS-Cor1: Corollary 1 of "A Unifying View on Implicit Bias in Training Linear Neural
Networks" (App A.1; proof App C.2 from Theorem 1, App C.1), as printed::

    **Corollary 1.** Consider an L-layer linear fully-connected network (10). If the training
    loss satisfies L(Theta_fc(t_0)) < 1 for some t_0 >= 0, then beta_fc(Theta_fc(t)) converges
    in a direction that aligns with the solution of  minimize ||z||_2^2 s.t. y_i x_i^T z >= 1.

Setting: ``f(x) = x^T W_1 ... W_{L-1} w_L`` (eq. (10)), exponential loss, labels ``±1``,
gradient flow. Unlike Theorem 1 no directional convergence of ``X^T r`` is assumed.

How it is checked (``as-printed``: supported; asymptotic, never certified):

* symbolic (sympy, from the definitions, L = 3, widths (2, 2, 1)): ``-grad_{W_1} L =
  -X^T r (W_2 w_3)^T`` entrywise (the rank-one step of App C.2: the columns of the gradient
  lie in span{X^T r}); the gradient vanishes identically when two layers are zero (so such
  points are stationary with loss ``n >= 1``: the hypothesis cannot be dropped);
* trials: the gradient flow is followed by the arc-length flow of
  :mod:`verify.core.max_margin` (fully-connected path) until the minimum margin reaches
  ``MARGIN_CAP`` or ``2^DOUBLINGS`` arc length; depths L = 2, 3, 4, hidden widths 1..3
  (bottlenecks of width 1 included), separable data (:func:`~verify.core.max_margin.separable`),
  uniform initialisations in [-1.5, 1.5]; the hypothesis ``L < 1`` is checked on the
  recorded trajectory (trials that never reach it are not admissible);
* directional convergence of beta is MEASURED: the changes of beta's direction per doubling of
  the arc length must decay geometrically (last two ratios ``< RATE``), which bounds the
  remaining change by ``R`` (:func:`verify.core.max_margin.tail_bound`); admissible only if
  ``R <= CONV_TOL``. The margin is ``chord(beta(s_end), z*) - R``: the l2 max-margin direction
  ``z*`` must lie in the ball of radius ``R`` around the measured direction (tolerance
  ``0.25 R + 2e-3``). Deep fully-connected networks converge slowly (the measured distance
  decays like a small power of the margin), so the evidence stands at the scale ``R`` of the
  admissible trials: up to ``CONV_TOL`` = 0.05 in chord (about 3 degrees), typically 1e-3 to
  1e-2 at L = 2 and 1e-2 to 5e-2 at L = 3, 4;
* exact side: ``z*`` is certified in exact rationals in the replay (KKT: ``z = sum mu_i y_i
  x_i`` on the active set with ``mu >= 0`` and primal feasibility, a dual certificate with zero
  duality gap ``||z||^2 = sum mu_i``).

Planted mutants (refuted): the limit is the l1 max-margin direction; the ``l_{2/L}`` one
(L = 3, 4); the least-squares minimum-norm interpolant ``X^+ y``; hypothesis dropped (two
zero layers: a stationary point, beta stays 0 and has no direction).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from theorems.implicit_bias import thm1
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import max_margin as mm
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Corollary 1.** Consider an  $L$ -layer linear fully-connected network (10). If the "
    r"training loss satisfies  $\mathcal{L}(\Theta_{\text{fc}}(t_0)) < 1$  for some  $t_0 \geq "
    r"0$ , then  $\beta_{\text{fc}}(\Theta_{\text{fc}}(t))$  converges in a direction that "
    r"aligns with the solution of the following optimization problem" "\n\n"
    r"$$\text{minimize}_{\mathbf{z} \in \mathbb{R}^d} \quad \|\mathbf{z}\|_2^2 \quad "
    r"\text{subject to} \quad y_i \mathbf{x}_i^T \mathbf{z} \geq 1, \quad \forall i \in [n].$$"
)

MARGIN_CAP = 1e4
DOUBLINGS = 14
RTOL = 1e-7
"""Integrator tolerance (the recorded directions agree with rtol = 1e-10 to ~1e-8)."""
RATE = 0.9
"""Largest accepted ratio of consecutive directional changes (geometric decay)."""
CONV_TOL = 0.05
"""Admissible only if beta's extrapolated remaining directional change is <= this."""
TOLERANCE = Tolerance(rtol=0.25, atol=2e-3)

Run = tuple[np.ndarray, float, bool]
"""beta(s_end), extrapolated remaining change R, hypothesis L < 1 reached on the record."""


def widths_of(L: int, d: int, w2: int, w3: int) -> tuple[int, ...]:
    """Widths (d, w2, w3, ..., w3) of depth L."""
    return (d, w2, *(w3,) * (L - 2))


def _sizes(dims: dict[str, int]) -> tuple[int, ...]:
    return tn.fully_connected(widths_of(dims["L"], dims["d"], dims["w2"], dims["w3"])).sizes


def _dims_ok(dims: Any) -> bool:
    if dims["L"] == 2 and dims["w3"] != 1:
        return False
    return dims["K"] == max(_sizes(dims))


DOMAIN = Domain(
    variables=(Integer("L", 2, 4), Integer("n", 1, 3), Integer("d", 2, 3), Integer("w2", 1, 3),
               Integer("w3", 1, 2), Integer("K", 1, 9), Matrix("X", "n", "d", -1.0, 1.0),
               Vector("y", "n"), Matrix("V", "L", "K", -1.5, 1.5)),
    hypothesis=thm1.separable_hypothesis, repair=thm1.sign_labels, dims_ok=_dims_ok)

_RUNS: dict[tuple, Run] = {}


def _params(batch: Batch, idx: np.ndarray) -> list[np.ndarray]:
    return [batch["V"][idx, l, :k] for l, k in enumerate(_sizes(batch))]


def run_flows(batch: Batch) -> list[Run]:
    """Arc-length flows of the fully-connected networks from ``v_l(0) = V[l, :k_l]``
    (cached; only on separable data, elsewhere L < 1 is impossible)."""
    X, y, V = batch["X"], batch["y"], batch["V"]
    keys = [(tuple(_sizes(batch)), X[i].tobytes(), y[i].tobytes(), V[i].tobytes())
            for i in range(X.shape[0])]
    for i in np.flatnonzero(~thm1.separable_hypothesis(batch)):
        _RUNS[keys[i]] = (np.zeros(X.shape[-1]), np.inf, False)
    todo = [i for i, k in enumerate(keys) if k not in _RUNS]
    net = tn.fully_connected(widths_of(batch["L"], batch["d"], batch["w2"], batch["w3"]))
    for i in todo:
        idx = np.array([i])
        run = mm.arc_length_flow(net, _params(batch, idx), X[idx], y[idx],
                                 doublings=DOUBLINGS, margin_cap=MARGIN_CAP, rtol=RTOL,
                                 atol=RTOL * 1e-2)
        ok = run.status[0] == "time"
        bound = float(mm.tail_bound(run.beta_changes, RATE, ratios=2)[0]) if ok else np.inf
        _RUNS[keys[i]] = (run.beta[0], bound, bool(np.nanmin(run.log_losses[0]) < 0))
    return [_RUNS[k] for k in keys]


def _admissible(run: Run) -> bool:
    return run[2] and run[1] <= CONV_TOL


# --------------------------------------------------------------------------- targets


def target(kind: str, L: int, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``l2`` (printed), ``l1``, ``l2/L`` max-margin solutions; ``lstsq``: ``X^+ y``."""
    if kind == "l2":
        return mm.l2_max_margin(X, y)
    if kind == "lstsq":
        return np.linalg.pinv(X) @ y
    p = 1.0 if kind == "l1" else 2.0 / L
    return mm.lp_max_margin(X, y, p, rng=np.random.default_rng(0))[0].z


def exact_l2(X: Any, y: Any, z: np.ndarray) -> tuple[list[Fraction], bool]:
    """Exact l2 max-margin point with the active set of the float solution ``z``:
    ``mu_A = (A_A A_A^T)^{-1} 1``, ``z = A_A^T mu_A`` (A rows ``y_i x_i^T``); certified when
    ``mu >= 0``, ``A z >= 1`` and ``||z||^2 = sum mu`` (zero duality gap)."""
    A = [[Fraction(y[i]) * Fraction(v) for v in X[i]] for i in range(len(X))]
    zf = mm.normalize_margin(z, np.array(X, dtype=float), np.array(y, dtype=float))
    Af = np.array(A, dtype=float)
    active = [i for i in range(len(A)) if Af[i] @ zf <= 1 + 1e-6]
    rows = [A[i] for i in active]
    G = sp.Matrix([[sum(a * b for a, b in zip(r, s, strict=True)) for s in rows]
                   for r in rows])
    if G.det() == 0:
        return [Fraction(v) for v in zf], False
    mu = G.LUsolve(sp.ones(len(rows), 1))
    mu_q = [Fraction(int(sp.fraction(m)[0]), int(sp.fraction(m)[1])) for m in mu]
    d = len(A[0])
    ze = [sum(m * r[j] for m, r in zip(mu_q, rows, strict=True)) for j in range(d)]
    feasible = all(sum(a * b for a, b in zip(r, ze, strict=True)) >= 1 for r in A)
    gap = sum(v * v for v in ze) - sum(mu_q)
    return ze, feasible and all(m >= 0 for m in mu_q) and gap == 0


# --------------------------------------------------------------------------- properties


def _chord_mp(b: np.ndarray, z: list[Any], digits: int) -> Any:
    with mpmath.workdps(digits + 10):
        bu = [mpmath.mpf(float(v)) for v in b]
        zu = [mpmath.mpf(v.numerator) / v.denominator if isinstance(v, Fraction)
              else mpmath.mpf(float(v)) for v in z]
        nb = mpmath.sqrt(mpmath.fsum(v**2 for v in bu))
        nz = mpmath.sqrt(mpmath.fsum(v**2 for v in zu))
        return mpmath.sqrt(mpmath.fsum((p / nb - q / nz) ** 2 for p, q in zip(bu, zu,
                                                                              strict=True)))


def _limit_property(kind: str, description: str) -> Property:
    """``chord(beta(s_end), target) - R`` (scale ``R``) on admissible trials."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        runs = run_flows(batch)
        excess, scale = np.full(len(runs), np.nan), np.full(len(runs), np.nan)
        for i, run in enumerate(runs):
            if _admissible(run):
                z = target(kind, batch["L"], batch["X"][i], batch["y"][i])
                excess[i] = float(mm.direction_change(run[0], z)) - run[1]
                scale[i] = run[1]
        return excess, scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        fb = thm1.float_batch(inst)
        if not thm1.separable_hypothesis(fb)[0]:
            return None
        (run,) = run_flows(fb)
        if not _admissible(run):
            return None
        z = target(kind, inst["L"], fb["X"][0], fb["y"][0])
        if kind == "l2":
            z, certified = exact_l2(inst["X"], inst["y"], z)
            if not certified:
                return None
        with mpmath.workdps(digits + 10):
            return _chord_mp(run[0], list(z), digits) - mpmath.mpf(run[1]), mpmath.mpf(run[1])

    return Property(DOMAIN, margin, margin_hp, TOLERANCE, description=description)


BANK_SIZE = 12
BANK_DOMAIN = Domain(variables=(Integer("run", 0, BANK_SIZE - 1),))
"""Mutants: one instance of a fixed, seeded bank per index (so a counterexample shrinks over
one integer instead of re-running flows on dozens of perturbed instances)."""


def bank_instance(run: int, L: int, n: int) -> Batch:
    """Bank instance ``run`` of depth L with n points in R^2, widths (2, 2, ..., 2):
    uniform data, labels of a random separator, uniform initialisation."""
    rng = np.random.default_rng((2021, L, n, run))
    dims = {"L": L, "d": 2, "w2": 2, "w3": 2 if L > 2 else 1, "n": n}
    dims["K"] = max(_sizes(dims))
    X = rng.uniform(-1, 1, (1, n, 2))
    y = np.sign(X @ rng.uniform(-1, 1, (1, 2, 1)))[..., 0]
    y[y == 0] = 1.0
    V = rng.uniform(-1.5, 1.5, (1, L, dims["K"]))
    return DOMAIN.assemble({"X": X, "y": y, "V": V}, dims)


def _bank_property(kind: str, L: int, n: int, description: str) -> Property:
    """:func:`_limit_property` ``kind`` on bank instance ``run`` (depth L, n points)."""
    inner = _limit_property(kind, description)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        return inner.margin(bank_instance(batch["run"], L, n))

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        b = bank_instance(int(inst["run"]), L, n)
        exact = {k: v if isinstance(v, int) else v[0] for k, v in b.items()}
        return inner.margin_hp(exact, digits)

    return Property(BANK_DOMAIN, margin, margin_hp, TOLERANCE, description=description)


def _bank_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    return [{"run": int(j)} for j in rng.choice(BANK_SIZE, size=min(n, BANK_SIZE),
                                                 replace=False)]


LIMIT = _limit_property("l2", "chord distance from beta(s_end) to the exact l2 max-margin "
                              "direction minus the measured remaining change R (<= 0.25 R + "
                              "2e-3), trials with L < 1 reached and R <= 0.05")
L1 = _bank_property("l1", 2, 3, "planted: the limit is the l1 max-margin direction")
LP = _bank_property("lp", 3, 3, "planted: the limit is the l_{2/L} max-margin direction")
LSTSQ = _bank_property("lstsq", 2, 3, "planted: the limit is the min-norm interpolant X^+ y")


# --------------------------------------------------------------------------- samplers


def _sampler(depths: tuple[int, ...], n_points: tuple[int, ...] = (1, 2, 3)
             ) -> Callable[[np.random.Generator, int], list[Batch]]:
    """Per depth: d in {2, 3}, hidden widths in 1..3 / 1..2, n points, uniform X, labels of
    a random separator (separable), uniform initialisation in [-1.5, 1.5]."""

    def sample(rng: np.random.Generator, n: int) -> list[Batch]:
        out = []
        for j, L in enumerate(depths):
            k = n // len(depths) + (1 if j < n % len(depths) else 0)
            if not k:
                continue
            dims = {"L": L, "d": int(rng.integers(2, 4)), "w2": int(rng.integers(1, 4)),
                    "w3": int(rng.integers(1, 3)) if L > 2 else 1,
                    "n": int(rng.choice(n_points))}
            dims["K"] = max(_sizes(dims))
            X = rng.uniform(-1, 1, (k, dims["n"], dims["d"]))
            y = np.sign(X @ rng.uniform(-1, 1, (k, dims["d"], 1)))[..., 0]
            y[y == 0] = 1.0
            V = rng.uniform(-1.5, 1.5, (k, L, dims["K"]))
            out.append(DOMAIN.assemble({"X": X, "y": y, "V": V}, dims))
        return out

    return sample


def _degenerate_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Admissible corner cases: bottleneck width 1 at every position, a repeated data point,
    rank-deficient data (n > d on a line through 0 is excluded by separability, so points on
    a line not through 0), one point, a zero last layer at the start."""
    out = []
    cases = [(3, 3, 1, 2), (4, 2, 2, 1), (2, 2, 1, 1), (3, 2, 1, 1), (3, 3, 2, 2)]
    for c, (L, d, w2, w3) in enumerate(cases):
        dims = {"L": L, "d": d, "w2": w2, "w3": w3, "n": 3}
        dims["K"] = max(_sizes(dims))
        k = max(1, n // len(cases))
        X = rng.uniform(-1, 1, (k, 3, d))
        y = np.sign(X @ rng.uniform(-1, 1, (k, d, 1)))[..., 0]
        y[y == 0] = 1.0
        V = rng.uniform(-1.5, 1.5, (k, L, dims["K"]))
        if c == 1:
            X[:, 1], y[:, 1] = X[:, 0], y[:, 0]
        elif c == 3:
            X[:, :, 1] = 0.5
            y = np.sign(X[:, :, 0] + 0.1)
        elif c == 4:
            V[:, -1] = 0.0
        out.append(DOMAIN.assemble({"X": X, "y": y, "V": V}, dims))
    return out


# --------------------------------------------------------------------------- hypothesis dropped


def _stationary_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """Two zero layers: every entry of every layer gradient is a sum of products containing a
    zero factor (exactly 0), so the flow stays put with ``beta = 0`` and loss ``n >= 1``:
    beta has no direction. Excess 1 (the statement's direction does not exist), exactly."""
    if sum(all(Fraction(v) == 0 for v in row) for row in inst["V"]) < 2:
        return None
    grads = _exact_gradients(inst)
    if any(g != 0 for gl in grads for g in gl):
        return None
    return Fraction(1), Fraction(1)


def _exact_gradients(inst: Instance) -> list[list[Fraction]]:
    """Exact layer gradients ``M(-X^T r) ∘ (..., I, ...)`` at the instance (sympy/Fractions),
    with ``r_i = -y_i exp(-y_i f(x_i))`` and ``f = 0`` there (``exp(0) = 1``)."""
    dims = {k: v for k, v in inst.items() if isinstance(v, int)}
    net = tn.fully_connected(widths_of(dims["L"], dims["d"], dims["w2"], dims["w3"]))
    V = [[Fraction(v) for v in row[:k]] for row, k in zip(inst["V"], net.sizes, strict=True)]
    T = tn.basis_tensor(net)
    X = [[Fraction(v) for v in row] for row in inst["X"]]
    y = [Fraction(v) for v in inst["y"]]
    xr = [sum(-yi * xi[j] for xi, yi in zip(X, y, strict=True)) for j in range(net.d)]
    out = []
    for l in range(net.depth):
        g = [Fraction(0)] * net.sizes[l]
        for idx in zip(*np.nonzero(T), strict=True):
            j, ks = idx[0], idx[1:]
            term = -xr[j] * Fraction(T[idx])
            for m, km in enumerate(ks):
                if m != l:
                    term *= V[m][km]
            g[ks[l]] -= term
        out.append(g)
    return out


def _stationary_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    B = batch["X"].shape[0]
    b = tn.beta(tn.fully_connected(widths_of(batch["L"], batch["d"], batch["w2"], batch["w3"])),
                _params(batch, np.arange(B)))
    zero = np.all(b == 0, axis=1)
    return np.where(zero, 1.0, np.nan), np.ones(B)


STATIONARY = Property(Domain(DOMAIN.variables, repair=thm1.sign_labels, dims_ok=_dims_ok),
                      _stationary_margin, _stationary_margin_hp, Tolerance(0.0, 0.5),
                      rigorous=True,
                      description="planted, hypothesis dropped: an initialisation with two zero "
                                  "layers (exactly stationary, loss n >= 1) gives beta a limit "
                                  "direction")


def _stationary_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """L = 3, 4 with layers 1 and 2 zero (the others random), separable data."""
    out = []
    for L in (3, 4):
        dims = {"L": L, "d": 2, "w2": 2, "w3": 1, "n": 2}
        dims["K"] = max(_sizes(dims))
        k = max(1, n // 2)
        X = rng.uniform(-1, 1, (k, 2, 2))
        y = np.sign(X @ rng.uniform(-1, 1, (k, 2, 1)))[..., 0]
        y[y == 0] = 1.0
        V = rng.uniform(-1.5, 1.5, (k, L, dims["K"]))
        V[:, :2] = 0.0
        out.append(DOMAIN.assemble({"X": X, "y": y, "V": V}, dims))
    return out


# --------------------------------------------------------------------------- symbolic


def derive_rank_one_gradient() -> SymbolicOutcome:
    """Sympy, L = 3, widths (2, 2, 1), n = 2, symbolic data, labels and weights: the gradient
    of ``sum_i exp(-y_i x_i^T W_1 W_2 w_3)`` differentiated entrywise equals ``X^T r (W_2
    w_3)^T`` with ``r_i = -y_i exp(-y_i f(x_i))`` (eq. (7)), i.e. its columns lie in
    span{X^T r} (App C.2); and it vanishes identically when W_1 = W_2 = 0."""
    W1 = sp.Matrix(2, 2, sp.symbols("a0:4"))
    W2 = sp.Matrix(2, 1, sp.symbols("b0:2"))
    w3 = sp.Matrix(1, 1, sp.symbols("c0:1"))
    xs = [sp.Matrix(2, 1, sp.symbols(f"x{i}_0:2")) for i in range(2)]
    ys = sp.symbols("y0:2")
    beta = W1 * W2 * w3
    f = [(x.T * beta)[0] for x in xs]
    loss = sum(sp.exp(-yi * fi) for yi, fi in zip(ys, f, strict=True))
    r = [-yi * sp.exp(-yi * fi) for yi, fi in zip(ys, f, strict=True)]
    xr = sum((ri * x for ri, x in zip(r, xs, strict=True)), sp.zeros(2, 1))
    predicted = xr * (W2 * w3).T
    ok = all(sp.simplify(sp.diff(loss, W1[i, j]) - predicted[i, j]) == 0
             for i in range(2) for j in range(2))
    zero = {s: 0 for s in (*W1, *W2)}
    grads = [sp.diff(loss, s) for s in (*W1, *W2, *w3)]
    stationary = all(sp.simplify(g.subs(zero)) == 0 for g in grads)
    return SymbolicOutcome(ok and stationary,
                           "grad_{W_1} L = X^T r (W_2 w_3)^T entrywise (rank one, columns in "
                           f"span X^T r): {ok}; gradient = 0 at W_1 = W_2 = 0: {stationary}")


def derive_certificate() -> SymbolicOutcome:
    """Exact KKT certificate on a fixed example (X = [[1, 2], [0, -3], [3, 3]], y = (1, -1,
    1)): z = [1/5, 2/5], mu = (1/5, 0, 0) with mu >= 0, z = sum mu_i y_i x_i, feasibility and
    ||z||^2 = sum mu (zero duality gap); recomputed by :func:`exact_l2`."""
    X = [[1, 2], [0, -3], [3, 3]]
    y = [1, -1, 1]
    z, ok = exact_l2(X, y, mm.l2_max_margin(np.array(X, float), np.array(y, float)))
    return SymbolicOutcome(ok and z == [Fraction(1, 5), Fraction(2, 5)],
                           f"z* = {[str(v) for v in z]}, certified: {ok}")


SEARCH_DIMS = tuple({"L": L, "n": n, "d": d, "w2": w2, "w3": w3,
                     "K": max(_sizes({"L": L, "d": d, "w2": w2, "w3": w3}))}
                    for L, n, d, w2, w3 in ((2, 3, 2, 1, 1), (3, 2, 3, 1, 2), (3, 3, 2, 2, 1),
                                            (4, 3, 2, 1, 1)))
"""Uniform search over data and initialisations at these shapes (each evaluation is a flow)."""


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Cor1",
    paper=BIAS,
    location="App A.1 Corollary 1; proof App C.2 (from Theorem 1, App C.1)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("No assumption on X^T r. Trajectories followed by the arc-length flow (fc path) to "
           f"minimum margin {MARGIN_CAP:g}; directional convergence measured (geometric decay of "
           f"per-doubling changes, ratio < {RATE}, remaining change R <= {CONV_TOL}); the "
           "l2 max-margin direction must lie within 1.25 R + 2e-3 (chord) of the measured "
           "direction. Evidence stands at that scale (deep fc nets converge slowly). L = 2..4, "
           "d = 2, 3, n <= 3, hidden widths 1..3."),
    variants=(
        Variant(
            "as-printed",
            "Corollary 1 as printed: once L < 1 (checked on the trajectory), beta's direction "
            "(measured convergence) is the exact l2 max-margin direction",
            (
                symbolic("rank-one-gradient", derive_rank_one_gradient),
                symbolic("l2-kkt-certificate", derive_certificate),
                trials("limit-is-l2", LIMIT, sampler=_sampler((2, 3, 4)), count=24),
                trials("degenerate-cases", LIMIT, sampler=_degenerate_sampler, count=10),
                search("search-limit", LIMIT, evaluations=16, shrink=False,
                       stages=("sampling",), dims=SEARCH_DIMS),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:l1",
            "planted: the limit is the l1 max-margin direction",
            (trials("limit-is-l1", L1, sampler=_bank_sampler, count=24),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:l2-over-depth",
            "planted: the limit is the l_{2/L} max-margin direction (L = 3)",
            (trials("limit-is-lp", LP, sampler=_bank_sampler, count=24),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:min-norm-interpolant",
            "planted: the limit is the least-squares minimum-norm interpolant X^+ y",
            (trials("limit-is-lstsq", LSTSQ, sampler=_bank_sampler, count=24),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:no-loss-hypothesis",
            "planted, hypothesis L < 1 dropped: from two zero layers (an exact stationary "
            "point, loss = n >= 1) beta stays 0 and has no limit direction",
            (trials("stationary-init", STATIONARY, sampler=_stationary_sampler, count=8),),
            expected=Verdict.REFUTED,
        ),
    ),
)
