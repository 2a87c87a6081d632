r"""BIAS-Cor7: Corollary 7 of "A Unifying View on Implicit Bias in Training Linear Neural Networks"
(App A.4; proof App F.5), as printed::

    **Corollary 7.** Consider the depth-L deep matrix sensing problem (13). Let A_i's be
    symmetric, and assume that A_1, ..., A_n commute. For alpha > 0, choose initialization
    W_l(0) = alpha I_d for l in [L - 1] and W_L(0) = 0. Then, the product W_1(t) ... W_L(t)
    converges to the solution M^oo of

    minimize_{M symmetric} Q_{L,alpha}(eig(M)) := alpha^2 sum_j H_L([eig(M)]_j / alpha^L)
    subject to L_ms(M) = 0.

Reading. Problem (13): ``L_ms(W_1 ... W_L) = sum_i (y_i - <A_i, W_1 ... W_L>)^2`` over
``W_l in R^{d x d}`` (no factor 1/2), gradient flow on it; App A's standing assumptions:
``n <= d`` and the ``A_i`` linearly independent. Commuting symmetric sensors are
``A_i = U diag(x_i) U^T`` for one orthogonal ``U``; linear independence of the ``A_i`` is full
row rank of ``X = [x_1 ... x_n]^T``. ``H_L`` is Theorem 5's (:mod:`verify.core.h_functions`).

App F.5 reduces the flow to a diagonal network on the eigenvalues ``v_l = eig(W_l)`` with data
``X`` and initialisation ``alpha 1`` (``l < L``), ``0`` (``l = L``): Corollary 5 with
``w̄ = 1``. Its displayed gradient ``-W_{l-1}^T ... (sum_i r_i A_i) ... W_{l+1}^T`` lacks the
factor 2 of ``L_ms`` (no 1/2): the flow is the half-sum flow run at twice the speed, which does
not move the limit (derived below, not a defect of the statement).

What the checks establish (``as-printed``: supported; ``t -> oo`` is asymptotic):

* symbolic (sympy, entrywise, ``d = 2``, ``n = 2``, ``L = 2, 3``, ``U`` the exact rotation
  ``[[3/5, -4/5], [4/5, 3/5]]``): for ``W_l = U diag(v_l) U^T`` the gradient flow of ``L_ms`` is
  ``U diag(-2 (X^T r) ⊙ prod_{k != l} v_k) U^T`` (App F.5's system, with the factor 2), so
  the flow stays in the commuting class; the objective's minimiser over all symmetric ``M``
  lies in that class (pinching: for convex even ``H_L``, ``Q(diag(U^T M U)) <= Q(eig(M))``,
  checked numerically below), so ``M^oo = U diag(rho^oo) U^T`` with ``rho^oo`` Corollary 5's
  minimiser for ``w̄ = 1``;
* trials: the matrix gradient flow of the shared core (:func:`verify.core.flow.gradient_flow`
  with :class:`verify.core.losses.SensingLoss`, ``convention="sum"``) is run until
  ``L_ms <= 1e-24``; the product is compared with ``M^oo`` computed in float64 by minimising
  ``Q(eig(M))`` over all symmetric ``M`` with scipy (independent of the reduction; agreement
  ~1e-8 relative, tolerance 1e-6) and re-checked at high precision on the reduced problem
  (:mod:`verify.core.limit_points`, Newton in mpmath); ``L = 2, 3, 4``, ``d = 2, 3``,
  ``n = 1..d``, ``alpha`` in [1/4, 2];
* degenerate admissible cases: ``n = d``, ``n = 1``, sensors with repeated eigenvalues (the
  common eigenbasis is not unique), ``y = 0``, the ends of the ``alpha`` range; a search.

Planted mutants (refuted): ``W_L(0) = alpha I / 2`` instead of ``0`` (dropped hypothesis);
the limit is the minimum Frobenius-norm solution (the alpha -> oo regime) at finite alpha.
"""

from __future__ import annotations

from typing import Any

import flint
import mpmath
import numpy as np
import scipy.optimize
import sympy

from theorems.implicit_bias.cor5 import float_instance
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import flow
from verify.core import h_functions as hf
from verify.core import limit_points as lp
from verify.core.losses import SensingLoss
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Corollary 7.** *Consider the depth- $L$  deep matrix sensing problem (13). Let  "
    r"$\mathbf{A}_i$ ’s be symmetric, and assume that  $\mathbf{A}_1, \dots, \mathbf{A}_n$  "
    r"commute. For  $\alpha > 0$ , choose initialization  $\mathbf{W}_l(0) = \alpha "
    r"\mathbf{I}_d$  for  $l \in [L - 1]$  and  $\mathbf{W}_L(0) = \mathbf{0}$ . Then, the "
    r"product  $\mathbf{W}_1(t) \cdots \mathbf{W}_L(t)$  converges to the solution  "
    r"$\mathbf{M}^\infty$  of*" "\n\n"
    r"$$\underset{\mathbf{M} \in \mathbb{R}^{d \times d}, \text{ symmetric}}{\text{minimize}} "
    r"\quad Q_{L, \alpha}(\text{eig}(\mathbf{M})) := \alpha^2 \sum_{j=1}^d H_L \left( "
    r"\frac{[\text{eig}(\mathbf{M})]_j}{\alpha^L} \right) \quad \text{subject to} \quad "
    r"\mathcal{L}_{\text{ms}}(\mathbf{M}) = 0.$$"
)

LOSS_TARGET, LOSS_OK = 1e-24, 1e-22
MAX_TIME = 1e6
LIMIT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)


def _full_row_rank(batch: Batch) -> np.ndarray:
    s = np.linalg.svd(batch["X"], compute_uv=False)
    return s[:, -1] > 1e-6 * np.maximum(s[:, 0], 1e-300)


DOMAIN = Domain(
    variables=(Integer("L", 2, 4), Integer("n", 1, 3), Integer("d", 2, 3),
               Matrix("U", "d", "d", structure="orthogonal"), Matrix("X", "n", "d"),
               Vector("y", "n"), Real("alpha", 0.25, 2.0, log=True)),
    hypothesis=lambda b: _full_row_rank(b) & (b["alpha"] > 0),
    dims_ok=lambda dims: dims["n"] <= dims["d"])


def sensors(U: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``A_i = U diag(x_i) U^T`` (batched: U (B, d, d), X (B, n, d) -> (B, n, d, d))."""
    return np.einsum("bij,bnj,bkj->bnik", U, X, U)


# --------------------------------------------------------------------------- gradient flow

_FLOWS: dict[bytes, tuple[np.ndarray, float, str]] = {}


def run_flows(batch: Batch, last_scale: float = 0.0) -> list[tuple[np.ndarray, float, str]]:
    """Gradient flow of ``L_ms`` from ``W_l(0) = alpha I`` (``l < L``), ``W_L(0) = last_scale
    alpha I``, until ``L_ms <= 1e-24``: (product W_1 ... W_L, loss, status) per instance.

    The core's layer 1 acts first (product ``W'_L ... W'_1``), so ``W'_j = W_{L+1-j}``."""
    L, d = batch["L"], batch["d"]
    alpha = np.asarray(batch["alpha"], float)
    keys = [b"".join(np.asarray(v, float).tobytes() for v in
                     (batch["U"][i], batch["X"][i], batch["y"][i], alpha[i], last_scale, L))
            for i in range(len(alpha))]
    ok = DOMAIN.admissible(batch)
    todo = [i for i, k in enumerate(keys) if ok[i] and k not in _FLOWS]
    if todo:
        idx = np.array(todo)
        eye = np.broadcast_to(np.eye(d), (len(idx), d, d)) * alpha[idx, None, None]
        weights = [last_scale * eye.copy()] + [eye.copy() for _ in range(L - 1)]
        loss = SensingLoss(sensors(batch["U"][idx], batch["X"][idx]), batch["y"][idx],
                           convention="sum")
        res = flow.gradient_flow(weights, loss, until_loss=LOSS_TARGET, max_time=MAX_TIME)
        product = res.weights[0]
        for w in res.weights[1:]:
            product = w @ product
        for j, i in enumerate(todo):
            _FLOWS[keys[i]] = (product[j], float(res.loss[j]), str(res.status[j]))
    skipped = (np.full((d, d), np.nan), np.nan, "skipped")
    return [_FLOWS[k] if ok[i] else skipped for i, k in enumerate(keys)]


# --------------------------------------------------------------------------- the minimiser


def generic_minimizer(L: int, alpha: float, A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``argmin Q_{L,alpha}(eig(M))`` over all symmetric M with ``<A_i, M> = y_i`` (scipy
    SLSQP on the d(d+1)/2 free entries; gradient ``V diag(alpha^2 h_L^{-1}(lambda/alpha^L) /
    alpha^L) V^T``), started at the minimum Frobenius-norm feasible point. It does not use
    the commuting structure."""
    d = A.shape[-1]
    iu = np.triu_indices(d)
    weights = np.where(iu[0] == iu[1], 1.0, 2.0)

    def matrix(p: np.ndarray) -> np.ndarray:
        M = np.zeros((d, d))
        M[iu] = p
        return M + np.triu(M, 1).T

    rows = np.array([Ai[iu] * weights for Ai in A])
    start = np.linalg.lstsq(rows, y, rcond=None)[0]
    scale = alpha**L

    def fun(p: np.ndarray) -> tuple[float, np.ndarray]:
        lam, V = np.linalg.eigh(matrix(p))
        value = alpha**2 * np.sum(hf.H(L, lam / scale))
        G = V @ np.diag(alpha**2 * hf.h_inverse(L, lam / scale) / scale) @ V.T
        return value, G[iu] * weights

    norm = max(fun(start)[0], 1e-300)
    res = scipy.optimize.minimize(lambda p: fun(p)[0] / norm, start,
                                  jac=lambda p: fun(p)[1] / norm, method="SLSQP",
                                  constraints=[{"type": "eq", "fun": lambda p: rows @ p - y,
                                                "jac": lambda p: rows}],
                                  options={"ftol": 1e-16, "maxiter": 500})
    return matrix(res.x)


def _reduced_float(kind: str, L: int, alpha: float, U: np.ndarray, X: np.ndarray,
                   y: np.ndarray) -> np.ndarray:
    """``U diag(rho) U^T`` with rho Corollary 5's minimiser (w̄ = 1), or the minimum l2 rho."""
    if kind == "frobenius":
        rho = X.T @ np.linalg.solve(X @ X.T, y)
    else:
        rho = np.array(lp.minimize_q(L, alpha, np.ones(X.shape[1]), X, y).rho)
    return U @ np.diag(rho) @ U.T


def _reduced_mp(kind: str, inst: Instance, digits: int) -> mpmath.matrix:
    """The same at ``digits`` digits (exact minimum l2 point; Newton in mpmath for Q)."""
    L, X, y, U = inst["L"], inst["X"], inst["y"], inst["U"]
    d = X.shape[1]
    if kind == "frobenius":
        Xq = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator) for v in row] for row in X])
        yq = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator)] for v in y])
        z = Xq.transpose() * (Xq * Xq.transpose()).solve(yq)
        rho = [mpmath.mpf(int(z[i, 0].p)) / int(z[i, 0].q) for i in range(d)]
    else:
        start = _reduced_float("q", L, float(inst["alpha"]), np.eye(d), X.astype(float),
                               y.astype(float)).diagonal()
        rho = lp.minimize_q_mp(L, inst["alpha"], [1] * d, X.tolist(), list(y), list(start),
                               digits).rho
    with mpmath.workdps(digits + 10):
        Um = mpmath.matrix([[hf.to_mpf(v) for v in row] for row in U])
        return Um * mpmath.diag(rho) * Um.T


def _exact_ok(inst: Instance) -> bool:
    """Full row rank of X over Q, alpha > 0, and U orthogonal to 1e-14 (float-rounded)."""
    X = inst["X"]
    rank = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator) for v in row]
                           for row in X]).rank()
    U = inst["U"]
    defect = U.T.dot(U) - np.eye(U.shape[0], dtype=int)
    return (rank == X.shape[0] and inst["alpha"] > 0
            and max(abs(float(v)) for v in defect.ravel()) <= 1e-14)


def _limit_property(kind: str = "q", last_scale: float = 0.0,
                    description: str = "") -> Property:
    """``||W_1(T) ... W_L(T) - M^oo||_F`` against ``||M^oo||_F``. For the printed ``Q`` the
    float target is the unstructured minimiser :func:`generic_minimizer` (independent of the
    reduction) and the high-precision one is the reduced problem's."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        runs = run_flows(batch, last_scale)
        excess, scale = np.full(len(runs), np.nan), np.full(len(runs), np.nan)
        for i, (P, _, status) in enumerate(runs):
            if status != "loss":
                continue
            args = (batch["L"], float(batch["alpha"][i]))
            if kind == "q":
                A = sensors(batch["U"][i:i + 1], batch["X"][i:i + 1])[0]
                M = generic_minimizer(*args, A, batch["y"][i])
            else:
                M = _reduced_float(kind, *args, batch["U"][i], batch["X"][i], batch["y"][i])
            excess[i], scale[i] = np.linalg.norm(P - M), np.linalg.norm(M)
        return excess, scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        if not _exact_ok(inst):
            return None
        ((P, _, status),) = run_flows(float_instance(inst), last_scale)
        if status != "loss":
            return None
        M = _reduced_mp(kind, inst, digits)
        with mpmath.workdps(digits + 10):
            diff = mpmath.matrix([[mpmath.mpf(float(P[i, j])) - M[i, j]
                                   for j in range(M.cols)] for i in range(M.rows)])
            return mpmath.mnorm(diff, "f"), mpmath.mnorm(M, "f")

    return Property(DOMAIN, margin, margin_hp, LIMIT_TOLERANCE, description=description)


LIMIT = _limit_property(description="W_1(T)...W_L(T) (L_ms <= 1e-24) equals M^oo = argmin "
                                    "Q_{L,alpha}(eig M) s.t. L_ms(M) = 0")
LAST_LAYER = _limit_property(last_scale=0.5, description="planted: W_L(0) = alpha I / 2")
FROBENIUS = _limit_property("frobenius", description="planted: the limit is the minimum "
                                                     "Frobenius-norm solution")


def _loss_margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    runs = run_flows(batch)
    rel = np.array([loss / LOSS_OK for _, loss, _ in runs])
    return rel - 1.0, np.ones_like(rel)


def _loss_margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
    """``L_ms`` of the end product re-evaluated at ``digits`` digits."""
    if not _exact_ok(inst):
        return None
    ((P, _, _),) = run_flows(float_instance(inst))
    with mpmath.workdps(digits + 10):
        U = mpmath.matrix([[hf.to_mpf(v) for v in row] for row in inst["U"]])
        Pm = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in P])
        D = U.T * Pm * U
        res = [mpmath.fsum(hf.to_mpf(x) * D[j, j] for j, x in enumerate(row)) - hf.to_mpf(yi)
               for row, yi in zip(inst["X"], inst["y"], strict=True)]
        return mpmath.fsum(r**2 for r in res) / LOSS_OK - 1, mpmath.mpf(1)


LOSS_TO_ZERO = Property(DOMAIN, _loss_margin, _loss_margin_hp, Tolerance(0.0, 0.0),
                        description=f"measured convergence: L_ms(T) <= {LOSS_OK:g}")


# --------------------------------------------------------------------------- samplers


def _orthogonal(rng: np.random.Generator, k: int, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((k, d, d)))
    return q * np.where(np.diagonal(r, axis1=-2, axis2=-1) < 0, -1.0, 1.0)[:, None, :]


def _conditioned(rng: np.random.Generator, k: int, n: int, d: int) -> np.ndarray:
    """Uniform X (k, n, d) redrawn until ``sigma_max / sigma_min <= 20`` (near-singular X is
    admissible but only makes the flow slow; the search may still go there)."""
    X = rng.uniform(-1, 1, (k, n, d))
    for _ in range(100):
        s = np.linalg.svd(X, compute_uv=False)
        bad = s[:, 0] > 20 * s[:, -1]
        if not bad.any():
            break
        X[bad] = rng.uniform(-1, 1, (int(bad.sum()), n, d))
    return X


def _draw(rng: np.random.Generator, k: int, L: int, n: int, d: int,
          alpha: tuple[float, float] = (0.25, 2.0)) -> Batch:
    raw = {"U": _orthogonal(rng, k, d), "X": _conditioned(rng, k, n, d),
           "y": rng.uniform(-1, 1, (k, n)), "alpha": np.exp(rng.uniform(*np.log(alpha), k))}
    return DOMAIN.assemble(raw, {"L": L, "n": n, "d": d})


def _sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Per depth L = 2, 3, 4: random d in {2, 3}, n in [1, d]."""
    out = []
    for j, L in enumerate((2, 3, 4)):
        k = n // 3 + (1 if j < n % 3 else 0)
        if k:
            d = int(rng.integers(2, 4))
            out.append(_draw(rng, k, L, int(rng.integers(1, d + 1)), d))
    return out


def _degenerate_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """n = d; n = 1; repeated sensor eigenvalues; y = 0; alpha at 1/4 and 2."""
    k = max(1, n // 5)
    full = _draw(rng, k, 3, 3, 3)
    single = _draw(rng, k, 2, 1, 3)
    repeated = _draw(rng, k, 2, 2, 3)
    repeated["X"][:, 0, 1] = repeated["X"][:, 0, 0]
    zero = _draw(rng, k, 3, 2, 2)
    zero["y"][:] = 0.0
    ends = _draw(rng, k, 4, 1, 2)
    ends["alpha"] = np.where(np.arange(k) % 2 == 0, 0.25, 2.0)
    return [full, single, repeated, zero, ends]


def _simple_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Small exact instances for the mutants: d = 2, n = 1, U the identity or the rotation
    [[3/5, -4/5], [4/5, 3/5]], X and y in {-1, 1, 2}, alpha in {1/2, 1}, L = 2, 3."""
    frames = np.stack([np.eye(2), np.array([[0.6, -0.8], [0.8, 0.6]])])
    out = []
    for L in (2, 3):
        k = max(2, n // 2)
        out.append({"L": L, "n": 1, "d": 2, "U": frames[rng.integers(0, 2, k)],
                    "X": rng.choice([-1.0, 1.0, 2.0], (k, 1, 2)),
                    "y": rng.choice([-1.0, 1.0, 2.0], (k, 1)),
                    "alpha": rng.choice([0.5, 1.0], k)})
    return out


# --------------------------------------------------------------------------- symbolic


def derive_reduction() -> SymbolicOutcome:
    """App F.5 with the factor 2: for ``W_l = U diag(v_l) U^T`` and ``A_i = U diag(x_i) U^T``,
    ``-dL_ms/dW_l = U diag(-2 (X^T r) ⊙ prod_{k != l} v_k) U^T`` with ``r = X (prod v) - y``,
    entrywise (generic symbolic matrices differentiated, then substituted); ``<A_i, M> =
    x_i^T diag(U^T M U)`` for symmetric M; and the half-sum flow run at speed 2 is this flow
    (so the limit does not depend on the factor)."""
    d, n = 2, 2
    U = sympy.Matrix([[sympy.Rational(3, 5), sympy.Rational(-4, 5)],
                      [sympy.Rational(4, 5), sympy.Rational(3, 5)]])
    x = [[sympy.Symbol(f"x{i}{j}", real=True) for j in range(d)] for i in range(n)]
    y = [sympy.Symbol(f"y{i}", real=True) for i in range(n)]
    A = [U * sympy.diag(*x[i]) * U.T for i in range(n)]
    gaps: list[sympy.Expr] = []
    for L in (2, 3):
        G = [sympy.Matrix(d, d, lambda i, j, l=l: sympy.Symbol(f"g{l}_{i}{j}", real=True))
             for l in range(L)]
        P = G[0]
        for Gl in G[1:]:
            P = P * Gl
        loss = sum((y[i] - sum(A[i][a, b] * P[a, b] for a in range(d) for b in range(d))) ** 2
                   for i in range(n))
        v = [[sympy.Symbol(f"v{l}_{j}", real=True) for j in range(d)] for l in range(L)]
        sub = {}
        for l in range(L):
            Wl = U * sympy.diag(*v[l]) * U.T
            sub.update({G[l][a, b]: Wl[a, b] for a in range(d) for b in range(d)})
        beta = [sympy.Mul(*[v[l][j] for l in range(L)]) for j in range(d)]
        r = [sum(x[i][j] * beta[j] for j in range(d)) - y[i] for i in range(n)]
        xr = [sum(r[i] * x[i][j] for i in range(n)) for j in range(d)]
        for l in range(L):
            grad = sympy.Matrix([[-sympy.diff(loss, G[l][a, b]) for b in range(d)]
                                 for a in range(d)]).subs(sub)
            rhs = U * sympy.diag(*[-2 * xr[j] * sympy.Mul(*[v[k][j] for k in range(L)
                                                            if k != l]) for j in range(d)]) * U.T
            gaps.extend(sympy.expand(e) for e in grad - rhs)
    m = sympy.Matrix(2, 2, lambda i, j: sympy.Symbol(f"m{min(i, j)}{max(i, j)}", real=True))
    D = U.T * m * U
    for i in range(n):
        inner = sum(A[i][a, b] * m[a, b] for a in range(d) for b in range(d))
        gaps.append(sympy.expand(inner - sum(x[i][j] * D[j, j] for j in range(d))))
    nonzero = [g for g in gaps if g != 0]
    return SymbolicOutcome(not nonzero,
                           f"{len(gaps)} entrywise identities (d = 2, n = 2, L = 2, 3): "
                           f"-grad L_ms = U diag(-2 (X^T r) ⊙ prod_(k != l) v_k) U^T on the "
                           f"commuting class (App F.5 omits the factor 2 of L_ms: a time "
                           f"rescaling); <A_i, M> = x_i^T diag(U^T M U); nonzero: {nonzero[:2]}")


# --------------------------------------------------------------------------- the claim

_COUNT = 36

CLAIM = Claim(
    id="BIAS-Cor7",
    paper=BIAS,
    location="App A.4 Corollary 7, problem (13); proof App F.5",
    statement=STATEMENT,
    asymptotic=True,
    notes=("A_i = U diag(x_i) U^T (commuting symmetric), X = [x_i] of full row rank (the A_i "
           "linearly independent), n <= d (App A). App F.5's gradient omits the factor 2 of "
           "L_ms (defined without 1/2): a time rescaling, harmless for the limit. alpha in "
           "[1/4, 2]: small alpha only lengthens the escape time for L >= 3."),
    variants=(
        Variant(
            "as-printed",
            "Corollary 7 as printed, L = 2, 3, 4, d = 2, 3: L_ms -> 0 and the product -> M^oo",
            (
                symbolic("reduction-to-diagonal-network", derive_reduction),
                trials("loss-to-zero", LOSS_TO_ZERO, sampler=_sampler, count=_COUNT),
                trials("limit-is-argmin-Q", LIMIT, sampler=_sampler, count=_COUNT),
                trials("degenerate-cases", LIMIT, sampler=_degenerate_sampler, count=40),
                search("search-limit", LIMIT, evaluations=80),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:last-layer-init",
            "planted: W_L(0) = alpha I / 2 instead of 0 (the hypothesis W_L(0) = 0 dropped)",
            (trials("limit-is-argmin-Q", LAST_LAYER, sampler=_simple_sampler, count=16),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:frobenius",
            "planted: the limit is the minimum Frobenius-norm solution (alpha -> oo regime)",
            (trials("limit-is-min-frobenius", FROBENIUS, sampler=_simple_sampler, count=16),),
            expected=Verdict.REFUTED,
        ),
    ),
)
