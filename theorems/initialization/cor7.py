r"""INIT-Cor7 — Corollary 7 of §3 (seed 004): bi-optimality of the limit of the one-hidden-layer GD.

As printed:

    Corollary 7. If the conditions of Theorem 6 hold, and W_inf, x_inf exist and are non zero,
    then A W_inf x_inf = b by the discussion following the proof of Lemma 5, and the
    following statements are true:
    1. W_inf x_inf is the minimum norm solution to the problem A z = b
    2. x_inf is the minimum norm solution to the problem (A W_inf) z = b
    3. vec(W_inf) is the minimum norm solution to the problem (x_inf^T (x) A) z = b, (i.e.
       W_inf is the minimum Frobenius norm solution to A Z x_inf = b).

Setting: GD with step alpha on ``1/2 ||A W x - b||^2`` (§3; the core's step,
:mod:`verify.core.one_hidden_layer`) from Theorem 6's start ``W_0 = A^T v_0 x_0^T`` with
x_k != 0 for all k; standing assumptions d > n, rank(A) = n, b != 0, alpha > 0.

What the limits are. A limit of GD with a fixed alpha is a fixed point: ``A^T r x^T = 0``
(r = A W x - b) with x != 0 forces r = 0. Along the run W_k = A^T v_k x_k^T and x_k is parallel
to x_0 (Theorem 6, Algorithm 3), closed conditions, so ``W_inf = A^T v x^T`` with
``A A^T v ||x||^2 = b``: ``W_inf = theta* x_inf^T / ||x_inf||^2`` with x_inf != 0 (any
direction: x_0 is arbitrary). Each such point is a GD fixed point, hence the limit of the
constant run started there, which satisfies Theorem 6's hypotheses.

Every minimum-norm solution is computed independently of the paper: exactly as ``K^+ b``
(:func:`verify.linalg_exact.min_norm_least_squares`), in float64 by a truncated
pseudo-inverse and in mpmath by a truncated SVD (:mod:`verify.core.hp_least_squares`);
"z is the minimum norm solution of K z = b" is measured as ``||z - K^+ b|| + ||K z - b||``
(statement 1's residual is the printed "A W_inf x_inf = b"). vec stacks columns, so
``vec(A Z x) = (x^T (x) A) vec(Z)``.

Verdict: holds (asymptotic, so supported). Checks: sympy at the limit points (fixedness from
the loss's derived gradients; each claimed solution solves its system and lies in the row
space of it; for (n, d) = (1, 2) it equals ``K^T (K K^T)^{-1} b``); an exact run that reaches
its limit at k = 1 (A A^T = I, ||b|| = 1, v_0 = b, ||x_0|| = 2, alpha = 1/6); exact rational
checks at sampled limit points (fixedness by the core's step); long float64 runs from
Theorem 6's start with measured convergence (residual and last step), re-run in mpmath at
the budget's digits. Every hypothesis is needed: the planted mutants drop range(A^T)
(W_0 = u x_0^T: statement 1 fails, ``W_inf x_inf = theta* + P_ker(A) u (x_0^T x_inf)``) or
the rank-one form (W_0 = A^T Z_0: statements 2 and 3 fail), or transpose W in statement 3.

Proof typo (the lead "1/||x||_2^2 should read x_inf" is confirmed): the last line of
``v_inf = lim ... = 1/||x||_2^2 A^{T+} W_inf x_inf`` needs ``1/||x_inf||_2^2``; in the
proof's notation x is x_0 (Theorem 6's temporary notation), and with ``1/||x_0||^2`` the
identity ``W_inf = A^T v_inf x_inf^T`` fails whenever ||x_inf|| != ||x_0|| (exact run below:
off by the factor ||x_0||^2 / ||x_inf||^2 = 4). The statement is unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.initialization import lem5, thm6
from theorems.initialization.cor14 import _kron, _kron_exact, _vec, _vec_exact
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import one_hidden_layer as ohl
from verify.core.hp import mpmath_backend, precision
from verify.core.hp_least_squares import min_norm_solution
from verify.domain import Batch, Domain, Instance, Matrix, Property, Vector
from verify.verdicts import TINY, Tolerance, Verdict

STATEMENT = (
    "Corollary 7. If the conditions of Theorem 6 hold, and  $\\mathbf{W}_{\\infty}, "
    "\\mathbf{x}_{\\infty}$  exist and are non zero, then  $\\mathbf{AW}_{\\infty}"
    "\\mathbf{x}_{\\infty} = \\mathbf{b}$  by the discussion following the proof of Lemma 5, "
    "and the following statements are true:\n\n"
    "- 1.  $\\mathbf{W}_{\\infty}\\mathbf{x}_{\\infty}$  is the minimum norm solution to the "
    "problem  $\\mathbf{A}\\mathbf{z} = \\mathbf{b}$\n"
    "- 2.  $\\mathbf{x}_{\\infty}$  is the minimum norm solution to the problem  "
    "$(\\mathbf{A}\\mathbf{W}_{\\infty})\\mathbf{z} = \\mathbf{b}$\n"
    "- 3.  $vec(\\mathbf{W}_{\\infty})$  is the minimum norm solution to the problem  "
    "$(\\mathbf{x}_{\\infty}^T \\otimes \\mathbf{A})\\mathbf{z} = \\mathbf{b}$ , (i.e.  "
    "$\\mathbf{W}_{\\infty}$  is the minimum Frobenius norm solution to  $\\mathbf{AZx}_{\\infty}"
    " = \\mathbf{b}$ )."
)

TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
RUN_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-10)
PINV_RCOND = 1e-10
"""Float64: singular values below PINV_RCOND * sigma_max count as zero (A W_k is rank one only
up to rounding)."""
RUN_STEPS = lem5.FIT_STEPS // 2
"""Float64 runs must fit within RUN_STEPS steps, so that the mpmath re-run (INIT-Lem5's
:func:`~theorems.initialization.lem5.hp_fit`, FIT_STEPS steps to 1e-25) fits too."""
MOVE_RTOL = 1e-10
"""A run has converged when it fits (lem5.FIT_RTOL) and one more step moves (W, x) by at most
MOVE_RTOL times its size."""

Start = str
"""Which initialisation the limit comes from: ``"rank-one"`` (Theorem 6: W_0 = A^T v_0 x_0^T),
``"range"`` (mutant: W_0 = A^T Z_0, rank-one form dropped) or ``"any-rank-one"`` (mutant:
W_0 = u x_0^T, range(A^T) dropped)."""
Form = str
"""``"printed"`` or ``"w-transposed"`` (mutant: statement 3 for vec(W_inf^T))."""


# --------------------------------------------------------------------------- the systems


def systems_exact(A: flint.fmpq_mat, W: flint.fmpq_mat, x: flint.fmpq_mat,
                  form: Form) -> list[tuple[flint.fmpq_mat, flint.fmpq_mat]]:
    """The three (K, z) pairs: z claimed to be the minimum-norm solution of K z = b."""
    W3 = W.transpose() if form == "w-transposed" else W
    return [(A, W * x), (A * W, x), (_kron_exact(x.transpose(), A), _vec_exact(W3))]


def statements_exact(A: flint.fmpq_mat, b: flint.fmpq_mat, W: flint.fmpq_mat,
                     x: flint.fmpq_mat, form: Form) -> tuple[list[flint.fmpq], flint.fmpq]:
    """Per statement ``||z - K^+ b||^2 + ||K z - b||^2`` exactly, and the squared size."""
    out, size = [], lx.squared_norm(b)
    for K, z in systems_exact(A, W, x, form):
        star = lx.min_norm_least_squares(K, b)
        out.append(lx.squared_norm(z - star) + lx.squared_norm(K * z - b))
        size += lx.squared_norm(z) + lx.squared_norm(star)
    return out, size


def _mv(M: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.einsum("bij,bj->bi", M, v)


def statements_float(A: np.ndarray, b: np.ndarray, W: np.ndarray, x: np.ndarray,
                     form: Form) -> tuple[np.ndarray, np.ndarray]:
    """:func:`statements_exact` batched in float64 (norms, summed over the statements)."""
    W3 = np.swapaxes(W, 1, 2) if form == "w-transposed" else W
    pairs = [(A, _mv(W, x)), (A @ W, x), (_kron(x[:, None, :], A), _vec(W3))]
    total, size = np.zeros(A.shape[0]), lem5.norm(b)
    for K, z in pairs:
        bad = ~np.isfinite(K).all(axis=(1, 2))
        pinv = np.linalg.pinv(np.where(bad[:, None, None], 0.0, K), rcond=PINV_RCOND)
        star = np.where(bad[:, None], np.nan, _mv(pinv, b))
        total += lem5.norm(z - star) + lem5.norm(_mv(K, z) - b)
        size += lem5.norm(z) + lem5.norm(star)
    return total, size


def _objects(M: mpmath.matrix) -> np.ndarray:
    return np.array(M.tolist(), dtype=object)


def statements_mp(A: mpmath.matrix, b: mpmath.matrix, W: mpmath.matrix, x: mpmath.matrix,
                  form: Form, rcond: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """:func:`statements_float` on one instance in mpmath (current precision), with the
    truncated-SVD minimum-norm solutions of :func:`verify.core.hp_least_squares`."""
    W3 = W.T if form == "w-transposed" else W
    K3 = mpmath.matrix(np.kron(_objects(x.T), _objects(A)).tolist())
    vecW = mpmath.matrix([[e] for e in _objects(W3).T.ravel()])
    total, size = mpmath.mpf(0), mpmath.norm(b)
    for K, z in ((A, W * x), (A * W, x), (K3, vecW)):
        star, _ = min_norm_solution(K, b, rcond)
        total += mpmath.norm(z - star) + mpmath.norm(K * z - b)
        size += mpmath.norm(z) + mpmath.norm(star)
    return total, size


# --------------------------------------------------------------------------- limit points


def limit_float(batch: Batch, start: Start) -> np.ndarray:
    """The limit W for x = x0 (batched): ``theta* x^T / ||x||^2`` (rank-one); ``A^T Z`` with
    ``Z = Z0 + (A A^T)^{-1} (b - A A^T Z0 x) x^T / ||x||^2`` (range); ``(P_ker(A) u +
    theta* / ||x||^2) x^T`` (any-rank-one). Each is a GD fixed point."""
    A, b, x = batch["A"], batch["b"], batch["x0"]
    s = np.maximum(lem5.norm(x) ** 2, TINY)[:, None]
    pinv = np.linalg.pinv(A)  # A^T (A A^T)^{-1}, without squaring the condition number
    theta = _mv(pinv, b)
    if start == "range":
        W0 = np.swapaxes(A, 1, 2) @ batch["Z0"]
        corr = _mv(pinv, b - _mv(A @ W0, x))
        return W0 + corr[:, :, None] * (x / s)[:, None, :]
    col = theta / s
    if start == "any-rank-one":
        col = col + _mv(lem5.null_projector(A), batch["u"])
    return col[:, :, None] * x[:, None, :]


def limit_exact(s: dict[str, Any], inst: Instance, start: Start) -> flint.fmpq_mat:
    """:func:`limit_float` exactly (``s`` from :func:`theorems.initialization.lem5.exact_setting`,
    x0 != 0)."""
    x = s["x0"]
    if start == "range":
        W, _ = lem5.stationary_point(s, lx.matrix(inst["Z0"]), x, zero_x=False)
        return W
    col = s["theta"] * (1 / lx.squared_norm(x))
    if start == "any-rank-one":
        col = col + s["P_N"] * lx.column(inst["u"])
    return col * x.transpose()


def limit_domain() -> Domain:
    """1 <= n < d <= 4, A of rank n, b != 0, the limit's x = x0 != 0, Z0 (n x d) and u (d)
    for the mutants' limits; alpha (for the fixedness test) as in INIT-Lem5's domain."""
    return lem5.make_domain((Matrix("Z0", "n", "d"), Vector("u", "d")),
                            lambda batch: limit_float(batch, "range"), 1.0)


def _arb_pair(parts: list[flint.fmpq], size: flint.fmpq, digits: int) -> tuple[Any, Any]:
    with flint.ctx.workprec(lem5.prec(digits)):
        return sum((lem5.arb_sqrt(e) for e in parts), flint.arb(0)), lem5.arb_sqrt(size)


def limit_property(start: Start, form: Form = "printed") -> Property:
    """The three statements at the limits of runs from ``start`` (GD fixed points, exactly)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        x = batch["x0"]
        total, size = statements_float(batch["A"], batch["b"], limit_float(batch, start), x,
                                       form)
        return np.where(lem5.norm(x) > 0, total, np.nan), size

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = lem5.exact_setting(inst)
        if s is None or lx.squared_norm(s["x0"]) == 0:
            return None
        W, x = limit_exact(s, inst, start), s["x0"]
        (_, _), (W1, x1) = lem5.exact_run(s, W, x, steps=1)
        if W1 != W or x1 != x or lx.squared_norm(W) == 0:
            return None
        parts, size = statements_exact(s["A"], s["b"], W, x, form)
        return _arb_pair(parts, size, digits)

    return Property(limit_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"Corollary 7 ({form}) at the limits of runs from the "
                    f"{start} start (GD fixed points, exactly)")


# --------------------------------------------------------------------------- long runs


def initial_float(start: Start) -> Callable[[Batch], np.ndarray]:
    """W_0 for ``start``: A^T v0 x0^T, A^T Z0 or u x0^T."""
    if start == "rank-one":
        return thm6.initial
    if start == "range":
        return lem5._initial_range
    return lambda batch: batch["u"][:, :, None] * batch["x0"][:, None, :]


def initial_exact(inst: Instance, start: Start) -> np.ndarray:
    """:func:`initial_float` on one exact instance (a ``Fraction`` object array)."""
    A, x0 = lx.matrix(inst["A"]), lx.column(inst["x0"])
    if start == "rank-one":
        W0 = A.transpose() * lx.column(inst["v0"]) * x0.transpose()
    elif start == "range":
        W0 = A.transpose() * lx.matrix(inst["Z0"])
    else:
        W0 = lx.column(inst["u"]) * x0.transpose()
    return lx.to_fractions(W0)


def run_domain(start: Start) -> Domain:
    """INIT-Lem5's domain with the start's initial data (v0, Z0 or u)."""
    extra = {"rank-one": Vector("v0", "n"), "range": Matrix("Z0", "n", "d"),
             "any-rank-one": Vector("u", "d")}[start]
    return lem5.make_domain((extra,), initial_float(start), 1.0)


def run_property(start: Start, form: Form = "printed") -> Property:
    """Long GD runs from ``start`` that measurably converge (fit to lem5.FIT_RTOL, last step
    below MOVE_RTOL): the three statements at the last iterate. The re-check re-runs GD in
    mpmath (fit to 1e-25 at 40 digits) and measures the statements there."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b, alpha = batch["A"], batch["b"], batch["alpha"]
        W, x, fitted = ohl.run_until_fit(A, b, initial_float(start)(batch), batch["x0"],
                                         alpha, RUN_STEPS, lem5.FIT_RTOL)
        W1, x1 = ohl.step(W, x, ohl.regression_loss(A, b), alpha)
        size = lem5.norm(W) + lem5.norm(x)
        ok = fitted & (lem5.norm(W1 - W) + lem5.norm(x1 - x) <= MOVE_RTOL * size) \
            & (lem5.norm(x) > 0)
        total, scale = statements_float(A, b, W, x, form)
        return np.where(ok, total, np.nan), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        if lem5.exact_setting(inst) is None:
            return None
        W, x, fitted = lem5.hp_fit(inst, initial_exact(inst, start), digits)
        if not fitted:
            return None
        xp = mpmath_backend(digits)
        with precision(xp):
            A_obj = np.asarray(inst["A"], dtype=object)
            b_obj = np.asarray(inst["b"], dtype=object)
            W1, x1 = ohl.step(W, x, ohl.regression_loss(A_obj, b_obj), xp.scalar(inst["alpha"]),
                              xp=xp)
            size = mpmath.norm(W) + mpmath.norm(x)
            if mpmath.norm(W1 - W) + mpmath.norm(x1 - x) > MOVE_RTOL * size or x.rows == 0:
                return None
            rcond = mpmath.mpf(10) ** (-(3 * digits) // 4)
            return statements_mp(xp.asmat(A_obj), xp.asmat(b_obj.reshape(-1, 1)), W, x, form,
                                 rcond)

    return Property(run_domain(start), margin, margin_hp, RUN_TOLERANCE,
                    description=f"Corollary 7 ({form}) on converged runs from the {start} "
                    "start")


def run_sampler(start: Start) -> Callable[[np.random.Generator, int], list[Batch]]:
    """INIT-Lem5's sampler of well-conditioned A and moderate steps (runs fit in time), with
    at least one draw per size (n, d)."""
    domain = run_domain(start)
    sizes = len(domain.all_dims())

    def sample(rng: np.random.Generator, count: int) -> list[Batch]:
        return lem5.fit_sampler(domain)(rng, max(count, sizes))

    return sample


# --------------------------------------------------------------------------- sympy


def _zero(M: sp.Matrix) -> bool:
    """Every entry is the zero polynomial (sparse polynomial arithmetic)."""
    return all(sp.Poly(e, *sorted(e.free_symbols, key=str), sp.Symbol("_")).is_zero for e in M)


@cache
def derivation(n: int, d: int) -> dict[str, bool]:
    """With sympy on explicit symbols, polynomially: the limit point ``W = theta* x^T /
    ||x||^2`` is written ``W = A^T c x^T`` with ``b = ||x||^2 A A^T c`` (every b, as A A^T is
    invertible; then theta* = A^T (A A^T)^{-1} b = ||x||^2 A^T c). Then: the point is fixed
    (INIT-Lem5's gradients, derived entrywise from the loss, vanish); the three claimed
    solutions solve their systems and lie in their row spaces (z = K^T w with w =
    ||x||^2 c, ||x||^2 b / ||b||^2 and c); vec(A Z x) = (x^T (x) A) vec(Z) entrywise; the
    proof's v_inf = A^{T+} W x / ||x||^2 = (A A^T)^{-1} A W x / ||x||^2 gives W = A^T v x^T;
    for n = 1 each claimed solution equals K^T (K K^T)^{-1} b (the minimum-norm solution of a
    system with one non-zero row). Denominators are cleared by hand."""
    g = lem5.derived_gradients(n, d)
    A, x = g["A"], g["x"]
    c = lem5.matrix_symbols("c", n, 1)
    G = A * A.T
    s = (x.T * x)[0]
    b = G * c * s
    W = A.T * c * x.T
    point = {**dict(zip(g["W"], W, strict=True)), **dict(zip(g["b"], b, strict=True))}
    out = {"fixed point": _zero(g["gW"].xreplace(point)) and _zero(g["gx"].xreplace(point))}

    def vec(M: sp.Matrix) -> sp.Matrix:
        return M.T.reshape(M.rows * M.cols, 1)

    Z = lem5.matrix_symbols("z", d, d)
    out["vec identity"] = _zero(sp.kronecker_product(x.T, A) * vec(Z) - A * Z * x)
    bb = (b.T * b)[0]
    systems = [(A, W * x, c * s, 1), (A * W, x, s * b, bb),
               (sp.kronecker_product(x.T, A), vec(W), c, 1)]
    out["solve and lie in the row spaces"] = all(
        _zero(K * z - b) and _zero(z * m - K.T * w) for K, z, w, m in systems)
    Gv = G.adjugate() * A * W * x  # det(G) ||x||^2 v_inf
    out["proof's v_inf"] = _zero(A.T * Gv * x.T - G.det() * s * W)
    if n == 1:
        out["equal K^T (K K^T)^{-1} b"] = all(
            _zero(z * (K * K.T)[0] - K.T * b) for K, z, _, _ in systems)
    return out


SYMBOLIC_SIZES = ((1, 2), (2, 3))


def _frac_array(rows: list[list[Any]]) -> np.ndarray:
    return np.array([[Fraction(e) for e in row] for row in rows], dtype=object)


def finite_time_instances() -> list[Instance]:
    """Exact runs that reach their limit at k = 1: A with orthonormal rows, ||b|| = 1,
    v_0 = b, ||x_0|| = 2, alpha = 1/6 (then r_0 = 3 b, x_1 = x_0 / 2, A W_1 x_1 = b)."""
    third = Fraction(1, 3)
    return [
        {"A": _frac_array([[1, 0, 0], [0, Fraction(3, 5), Fraction(4, 5)]]),
         "b": _frac_array([[Fraction(3, 5), Fraction(4, 5)]])[0],
         "v0": _frac_array([[Fraction(3, 5), Fraction(4, 5)]])[0],
         "x0": _frac_array([[4 * third, 4 * third, 2 * third]])[0], "alpha": Fraction(1, 6)},
        {"A": _frac_array([[Fraction(3, 5), Fraction(4, 5)]]), "b": _frac_array([[-1]])[0],
         "v0": _frac_array([[-1]])[0], "x0": _frac_array([[0, 2]])[0],
         "alpha": Fraction(1, 6)},
    ]


def finite_time_run(inst: Instance, form: Form) -> dict[str, Any] | None:
    """The exact run of ``inst`` from Theorem 6's start (3 core GD steps): None unless it is
    fixed from k = 1 with x_1 != 0; else the statements there and the proof's v_inf with
    1/||x_inf||^2 and with the printed 1/||x||^2 = 1/||x_0||^2 (residuals of W = A^T v x^T)."""
    s = lem5.exact_setting(inst)
    if s is None:
        return None
    A, x0 = s["A"], s["x0"]
    run = lem5.exact_run(s, A.transpose() * lx.column(inst["v0"]) * x0.transpose(), x0, 3)
    W, x = run[1]
    if any(step != run[1] for step in run[2:]) or lx.squared_norm(x) == 0:
        return None
    parts, size = statements_exact(A, s["b"], W, x, form)
    Gsolve = (A * A.transpose()).solve(A * W * x)
    proof = {which: lx.squared_norm(A.transpose() * Gsolve * (1 / lx.squared_norm(y))
                                    * x.transpose() - W)
             for which, y in (("x_inf", x), ("x_0", x0))}
    return {"W": W, "x": x, "parts": parts, "size": size, "proof": proof}


def finite_time_margin(form: Form) -> Callable[[Instance, int], Any]:
    """Replay: the statements at the exact limit of :func:`finite_time_run`."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        run = finite_time_run(inst, form)
        return None if run is None else _arb_pair(run["parts"], run["size"], digits)

    return margin_hp


def symbolic_corollary(form: Form) -> Callable[[], SymbolicOutcome]:
    """The derivations (printed form) and the exact finite-time runs."""

    def derive() -> SymbolicOutcome:
        details = []
        if form == "printed":
            for n, d in SYMBOLIC_SIZES:
                steps = derivation(n, d)
                failed = [k for k, ok in steps.items() if not ok]
                if failed:
                    return SymbolicOutcome(False, f"(n, d) = {(n, d)}: failed: {failed}")
                details.append(f"(n, d) = {(n, d)}: " + "; ".join(steps))
        for inst in finite_time_instances():
            run = finite_time_run(inst, form)
            if run is None:
                return SymbolicOutcome(None, "an exact run did not reach its limit at k = 1")
            bad = [i + 1 for i, e in enumerate(run["parts"]) if e != 0]
            details.append(f"exact run fixed from k = 1 with x = {run['x'].entries()}: "
                           f"statements failing {bad}; proof's v_inf residual with "
                           f"1/||x_inf||^2: {run['proof']['x_inf']}, with 1/||x_0||^2: "
                           f"{run['proof']['x_0']}")
            if bad:
                return SymbolicOutcome(False, "; ".join(details), inst)
        return SymbolicOutcome(True, "derived with sympy: " + "; ".join(details))

    return derive


# --------------------------------------------------------------------------- claim


def _limit_checks(start: Start, form: Form, count: int, evaluations: int) -> tuple[Any, ...]:
    prop = limit_property(start, form)
    return (trials("limit-points", prop, count=count),
            search("search", prop, evaluations=evaluations))


def _run_check(start: Start, count: int) -> Any:
    return trials("long-runs", run_property(start), sampler=run_sampler(start), count=count,
                  certify=False)


CLAIM = Claim(
    id="INIT-Cor7",
    paper=INIT,
    location="§3, Corollary 7 (after Theorem 6) and its proof",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Proof typo: 'v_inf = ... = 1/||x||_2^2 A^{T+} W_inf x_inf' needs 1/||x_inf||_2^2 "
           "(x is x_0 in Theorem 6's temporary notation; with 1/||x_0||^2 the identity "
           "W_inf = A^T v_inf x_inf^T fails when ||x_inf|| != ||x_0||, e.g. by a factor 4 in "
           "the exact finite-time run). The statement itself holds. The hypothesis "
           "'x_k != 0 for all k' is not needed for the limit (Theorem 6's course-correction "
           "remark), and the rank-one start W_0 = A^T v_0 x_0^T is: from W_0 = A^T Z_0 only "
           "statement 1 survives."),
    variants=(
        Variant(
            "as-printed",
            "All three statements against independently computed minimum-norm solutions: "
            "sympy at the limit points; exact runs reaching their limit at k = 1; exact "
            "rational limit points (GD fixed points of the form theta* x^T / ||x||^2, "
            f"fixedness by the core's step); converged float64 runs ({RUN_STEPS} steps "
            "max, residual and last-step movement measured) from W_0 = A^T v_0 x_0^T, re-run "
            "in mpmath. Asymptotic, so at best supported.",
            (symbolic("derivation", symbolic_corollary("printed"),
                      replay=finite_time_margin("printed")),
             *_limit_checks("rank-one", "printed", 256, 2000),
             _run_check("rank-one", 40)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:w-transposed",
            "Planted: statement 3 for vec(W_inf^T) (W's factors in the wrong order, x "
            "theta*^T / ||x||^2): fails unless A x (theta*^T x) = ||x||^2 b.",
            (symbolic("finite-time-run", symbolic_corollary("w-transposed"),
                      replay=finite_time_margin("w-transposed")),
             *_limit_checks("rank-one", "w-transposed", 64, 500)),
            expected=Verdict.REFUTED),
        Variant(
            "mutant:range-dropped",
            "Planted: Theorem 6's start without range(A^T): W_0 = u x_0^T. The ker(A) part "
            "P u x_0^T never moves, so W_inf x_inf = theta* + P u (x_0^T x_inf) and statement "
            "1 (with 3) fails.",
            _limit_checks("any-rank-one", "printed", 64, 500),
            expected=Verdict.REFUTED),
        Variant(
            "mutant:rank-one-dropped",
            "Planted: W_0 = A^T Z_0 (range(A^T) kept, rank-one form dropped). Statement 1 "
            "still holds (INIT-Lem5); statements 2 and 3 fail at the limits W = A^T Z with "
            "A A^T Z x = b.",
            _limit_checks("range", "printed", 64, 500),
            expected=Verdict.REFUTED),
    ),
)
