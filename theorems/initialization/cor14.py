r"""INIT-Cor14 — Corollary 14 of §4.1 (seed 004): bi-optimality of the h = 2 limit.

As printed:

    Corollary 14. Denote W_1^(inf) := lim W_1^(k), W_2^(inf) := lim W_2^(k),
    x_inf := lim x_k. If the conditions of Theorem 12 hold, the limits exist and are non zero,
    and finally A W_1^(inf) W_2^(inf) x_inf = b, then the following statements are true:
    1. W_1^(inf) W_2^(inf) x_inf is the minimum norm solution to the problem Az = b
    2. x_inf is the minimum norm solution to the problem (A W_1^(inf) W_2^(inf)) z = b
    3. vec(W_1^(inf)) is the minimum norm solution to the problem
       (x_inf^T W_2^(inf))^T (x) A) z = b
    4. vec(W_2^(inf)) is the minimum norm solution to the problem
       (x_inf^T (x) A W_1^(inf)) z = b

Every minimum-norm solution is computed independently, exactly (``K^+ b`` by
:func:`verify.linalg_exact.min_norm_least_squares`); "z is the minimum norm solution" is
measured as ``||z - K^+ b||^2 + ||K z - b||^2``. vec stacks columns, so
``vec(A W_1 W_2 x) = ((W_2 x)^T (x) A) vec(W_1) = (x^T (x) A W_1) vec(W_2)``.

The limits (see INIT-Lem13) are the structured GD fixed points ``W_1 = (theta* / ||x||^2)
e_1^T``, ``W_2 = e_1 x^T`` with x != 0 parallel to Lemma 9's x_0 (in range(A^T)).

Verdict: refuted as printed, in statement 3. Its coefficient matrix is garbled (one
unmatched parenthesis): read literally, ``(x^T W_2)^T (x) A = (W_2^T x) (x) A`` is dn x d and
cannot multiply vec(W_1) (d^2 entries) nor produce b (n entries); the one dimensionally
consistent reading of the printed factor, ``(x^T W_2) (x) A``, gives the system
``A Z (W_2^T x) = b`` with W_2^T x = x_1 x (x_1 the first entry of x), which vec(W_1) solves
only when x_1^2 = ||x||^2, i.e. x parallel to e_1. Exact counterexample (a run that reaches
its limit exactly): Theorem 12's family at A = [1 1], v = 1, alpha = 2/81, b = -80 is constant
from k = 2 with x = (-3/2, -3/2), and there A W_1 (x_1 x) = b/2 != b.

Corrected (smallest change): in 3, ``(x^T W_2^T) (x) A`` (the transpose on W_2, i.e.
``(W_2 x)^T (x) A``, the analogue of Corollary 7's ``x^T (x) A``). Then all four statements hold
at every limit: exact at sampled limit points (certified for the finite computation) and on
converged float64 runs from Lemma 9's start re-evaluated exactly at their 40-digit iterate.
Asymptotic, so supported. Planted mutant: statement 2 with W_2 dropped (x min-norm for
A W_1 z = b).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization import lem13, thm12
from theorems.initialization.lem5 import norm
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Corollary 14. Denote  $\\mathbf{W}_{1}^{(\\infty)} := \\lim_{k \\to \\infty} "
    "\\mathbf{W}_{1}^{(k)}$ ,  $\\mathbf{W}_{2}^{(\\infty)} := \\lim_{k \\to \\infty} "
    "\\mathbf{W}_{2}^{(k)}$ ,  $\\mathbf{x}_{\\infty} := \\lim_{k \\to \\infty} "
    "\\mathbf{x}_{k}$ . If the conditions of Theorem 12 hold, the limits exist and are non "
    "zero, and finally  $\\mathbf{A}\\mathbf{W}_{1}^{(\\infty)}\\mathbf{W}_{2}^{(\\infty)}"
    "\\mathbf{x}_{\\infty} = \\mathbf{b}$ , then the following statements are true:\n\n"
    "- 1.  $\\mathbf{W}_1^{(\\infty)}\\mathbf{W}_2^{(\\infty)}\\mathbf{x}_{\\infty}$  is the "
    "minimum norm solution to the problem  $A\\mathbf{z}=\\mathbf{b}$\n"
    "- 2.  $\\mathbf{x}_{\\infty}$  is the minimum norm solution to the problem  "
    "$(\\mathbf{A}\\mathbf{W}_{1}^{(\\infty)}\\mathbf{W}_{2}^{(\\infty)})\\mathbf{z} = "
    "\\mathbf{b}$\n"
    "- 3.  $vec(\\mathbf{W}_1^{(\\infty)})$  is the minimum norm solution to the problem  "
    "$(\\mathbf{x}_{\\infty}^T \\mathbf{W}_2^{(\\infty)})^T \\otimes \\mathbf{A}) \\mathbf{z} "
    "= \\mathbf{b}$\n"
    "- 4.  $vec(\\mathbf{W}_2^{(\\infty)})$  is the minimum norm solution to the problem  "
    "$(\\mathbf{x}_{\\infty}^T \\otimes \\mathbf{A} \\mathbf{W}_1^{(\\infty)}) \\mathbf{z} = "
    "\\mathbf{b}$"
)

TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
RUN_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-10)
PINV_RCOND = 1e-10

Form = str
"""``"printed"`` (statement 3 with (x^T W_2) (x) A, the consistent reading), ``"corrected"``
((x^T W_2^T) (x) A) or ``"w2-dropped"`` (mutant: statement 2 for (A W_1) z = b)."""


# --------------------------------------------------------------------------- the systems


def _kron_exact(P: flint.fmpq_mat, Q: flint.fmpq_mat) -> flint.fmpq_mat:
    return lx.matrix(np.kron(lx.to_fractions(P), lx.to_fractions(Q)))


def _vec_exact(W: flint.fmpq_mat) -> flint.fmpq_mat:
    return lx.column(lx.to_fractions(W).T.ravel())


def systems_exact(A: flint.fmpq_mat, Ws: list[flint.fmpq_mat], x: flint.fmpq_mat,
                  form: Form) -> list[tuple[flint.fmpq_mat, flint.fmpq_mat]]:
    """The four (K, z) pairs: z claimed to be the minimum-norm solution of K z = b."""
    W1, W2 = Ws
    xT = x.transpose()
    row3 = xT * W2.transpose() if form == "corrected" else xT * W2
    K2 = A * W1 if form == "w2-dropped" else A * W1 * W2
    return [(A, W1 * W2 * x), (K2, x), (_kron_exact(row3, A), _vec_exact(W1)),
            (_kron_exact(xT, A * W1), _vec_exact(W2))]


def statements_exact(A: flint.fmpq_mat, b: flint.fmpq_mat, Ws: list[flint.fmpq_mat],
                     x: flint.fmpq_mat, form: Form) -> tuple[list[flint.fmpq], flint.fmpq]:
    """Per statement ``||z - K^+ b||^2 + ||K z - b||^2`` exactly, and the squared size."""
    out, size = [], lx.squared_norm(b)
    for K, z in systems_exact(A, Ws, x, form):
        star = lx.min_norm_least_squares(K, b)
        out.append(lx.squared_norm(z - star) + lx.squared_norm(K * z - b))
        size += lx.squared_norm(z) + lx.squared_norm(star)
    return out, size


def _vec(W: np.ndarray) -> np.ndarray:
    return np.swapaxes(W, 1, 2).reshape(W.shape[0], -1)


def _kron(P: np.ndarray, Q: np.ndarray) -> np.ndarray:
    B, p, q = P.shape
    _, r, s = Q.shape
    return np.einsum("bij,bkl->bikjl", P, Q).reshape(B, p * r, q * s)


def statements_float(A: np.ndarray, b: np.ndarray, Ws: list[np.ndarray], x: np.ndarray,
                     form: Form) -> tuple[np.ndarray, np.ndarray]:
    """:func:`statements_exact` batched (not squared, summed over the four statements)."""
    W1, W2 = Ws
    xT = x[:, None, :]
    row3 = xT @ np.swapaxes(W2, 1, 2) if form == "corrected" else xT @ W2
    K2 = A @ W1 if form == "w2-dropped" else A @ W1 @ W2
    pairs = [(A, di.product(Ws, x)), (K2, x), (_kron(row3, A), _vec(W1)),
             (_kron(xT, A @ W1), _vec(W2))]
    total, size = np.zeros(A.shape[0]), norm(b)
    for K, z in pairs:
        bad = ~np.isfinite(K).all(axis=(1, 2))
        pinv = np.linalg.pinv(np.where(bad[:, None, None], 0.0, K), rcond=PINV_RCOND)
        star = np.where(bad[:, None], np.nan, np.einsum("bij,bj->bi", pinv, b))
        total += norm(z - star) + norm(np.einsum("bij,bj->bi", K, z) - b)
        size += norm(z) + norm(star)
    return total, size


# --------------------------------------------------------------------------- properties


def limit_property(form: Form) -> Property:
    """The four statements at the possible limits (structured GD fixed points, exactly)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            Ws, x = lem13.limit_point(batch)
            return statements_float(batch["A"], batch["b"], Ws, x, form)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        p = lem13.exact_limit_point(inst)
        if p is None or not lem13.is_fixed_point(inst, p["Ws"], p["x"]):
            return None
        parts, size = statements_exact(p["A"], p["b"], p["Ws"], p["x"], form)
        with flint.ctx.workprec(int(digits * 3.33) + 64):
            return sum((flint.arb(e).sqrt() for e in parts), flint.arb(0)), \
                flint.arb(size).sqrt()

    return Property(lem13.limit_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"Corollary 14 ({form}) at the limit points, exactly")


def _fraction_mat(M: flint.arb_mat) -> flint.fmpq_mat:
    """The exact rational value of the midpoints of a ball matrix."""

    def frac(a: flint.arb) -> Fraction:
        man, exp = a.mid().man_exp()
        return Fraction(int(man)) * Fraction(2) ** int(exp)

    return lx.matrix([[frac(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())])


def run_property(form: Form) -> Property:
    """Converged long runs from Lemma 9's start (INIT-Lem13's runs): the four statements at
    the last iterate; the high-precision re-check evaluates them exactly at the 40-digit
    iterate."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            Ws, x, _, _, ok = lem13.long_run_float(batch)
            total, size = statements_float(batch["A"], batch["b"], Ws, x, form)
        return np.where(ok, total, np.nan), size

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        Ws, x, _, _, ok = lem13.long_run_hp(inst, digits)
        if not ok:
            return None
        A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
        parts, size = statements_exact(A, b, [_fraction_mat(W) for W in Ws],
                                       _fraction_mat(x), form)
        with flint.ctx.workprec(int(digits * 3.33) + 64):
            return sum((flint.arb(e).sqrt() for e in parts), flint.arb(0)), \
                flint.arb(size).sqrt()

    return Property(lem13.run_domain(), margin, margin_hp, RUN_TOLERANCE,
                    description=f"Corollary 14 ({form}) on converged runs from Lemma 9's start")


# --------------------------------------------------------------------------- sympy


@cache
def derivation() -> dict[str, bool]:
    """With sympy for (n, d) = (1, 2), entrywise on symbols: vec(A W_1 W_2 x) =
    ((W_2 x)^T (x) A) vec(W_1) = (x^T (x) A W_1) vec(W_2); the printed factor
    (x^T W_2)^T (x) A has d n rows and d columns (not n x d^2); at the limit points the
    claimed solutions lie in the row spaces of their systems (W_1 W_2 x = A^T p,
    x = (A W_1 W_2)^T q, vec(W_1) = K_3^T s, vec(W_2) = K_4^T t for explicit p, q, s, t) and
    solve them, which makes each the minimum-norm solution."""
    n, d = 1, 2
    A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}", real=True))
    W1 = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"p{i + 1}{j + 1}", real=True))
    W2 = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"q{i + 1}{j + 1}", real=True))
    x = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"x{i + 1}", real=True))

    def vec(W: sp.Matrix) -> sp.Matrix:
        return W.T.reshape(W.rows * W.cols, 1)

    y = A * W1 * W2 * x
    out = {
        "vec identity for W_1": (sp.kronecker_product((W2 * x).T, A) * vec(W1) - y).expand()
        == sp.zeros(n, 1),
        "vec identity for W_2": (sp.kronecker_product(x.T, A * W1) * vec(W2) - y).expand()
        == sp.zeros(n, 1),
        "printed factor is (d n) x d": sp.kronecker_product((x.T * W2).T, A).shape
        == (d * n, d),
    }
    z = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"z{i + 1}", real=True))
    xs = A.T * z
    s = (xs.T * xs)[0]
    b = sp.Matrix([sp.Symbol("b1", real=True)])
    theta = A.T * (A * A.T).inv() * b
    e1 = sp.eye(d)[:, 0]
    L1, L2 = theta / s * e1.T, e1 * xs.T
    w = theta / s
    Aw = (A * w)[0]
    K1, K2 = A, A * L1 * L2
    K3 = sp.kronecker_product((L2 * xs).T, A)
    K4 = sp.kronecker_product(xs.T, A * L1)
    witnesses = [(K1, L1 * L2 * xs, (A * A.T).inv() * b),
                 (K2, xs, sp.Matrix([1 / Aw])),
                 (K3, vec(L1), (A * A.T).inv() * b / s**2),
                 (K4, vec(L2), sp.Matrix([1 / Aw]))]
    out["limit points: claimed solutions solve and lie in the row spaces"] = all(
        all(sp.cancel(e) == 0 for e in [*(K * zz - b), *(zz - K.T * c)])
        for K, zz, c in witnesses)
    return out


def counterexample_instance() -> Instance:
    """Theorem 12's exact family at A = [1 1], v = 1 (alpha = 2/81, b = -80)."""
    return thm12.counterexample_instance(a=(1, 1), v=1)


def exact_run_margin(form: Form) -> Callable[[Instance, int], Any]:
    """Replay of an exact run from Lemma 9's start that reaches a GD fixed point within 3
    steps: the four statements there (None when the run is not fixed by step 3 or x = 0)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
        start = thm12.exact_lemma9_start(A, lx.column(inst["v"]))
        if start is None or inst["alpha"] <= 0 or lx.squared_norm(b) == 0:
            return None
        run = di.exact_trajectory(inst["A"], inst["b"], start[0], start[1], inst["alpha"], 3)
        (Ws, x), (Ws3, x3) = run[2], run[3]
        if Ws != Ws3 or x != x3 or lx.squared_norm(x) == 0 or A * Ws[0] * Ws[1] * x != b:
            return None
        parts, size = statements_exact(A, b, Ws, x, form)
        with flint.ctx.workprec(int(digits * 3.33) + 64):
            return sum((flint.arb(e).sqrt() for e in parts), flint.arb(0)), \
                flint.arb(size).sqrt()

    return margin_hp


def symbolic_corollary(form: Form) -> Callable[[], SymbolicOutcome]:
    """The derivation; the printed form adds the exact counterexample of statement 3."""

    def derive() -> SymbolicOutcome:
        steps = derivation()
        failed = [k for k, ok in steps.items() if not ok]
        if failed:
            return SymbolicOutcome(None, "failed: " + "; ".join(failed))
        done = "derived with sympy: " + "; ".join(steps)
        if form == "corrected":
            return SymbolicOutcome(True, done)
        inst = counterexample_instance()
        A = lx.matrix(inst["A"])
        Ws, x0, _ = thm12.exact_lemma9_start(A, lx.column(inst["v"]))
        Ws2, x2 = di.exact_trajectory(inst["A"], inst["b"], Ws, x0, inst["alpha"], 2)[2]
        parts, _ = statements_exact(A, lx.column(inst["b"]), Ws2, x2, "printed")
        bad = [i + 1 for i, e in enumerate(parts) if e != 0]
        return SymbolicOutcome(
            False, done + f"; exact run at A = [1 1], v = 1, alpha = {inst['alpha']}, "
            f"b = {inst['b'][0]} is fixed from k = 2 with x = {x2.entries()}: statements "
            f"{bad} fail there (the printed factor of 3 read as (x^T W_2) (x) A)", inst)

    return derive


# --------------------------------------------------------------------------- claim


def _limit_checks(form: Form, count: int) -> tuple[Any, ...]:
    prop = limit_property(form)
    return (trials("limit-points", prop, count=count),
            search("search", prop, evaluations=1000))


CLAIM = Claim(
    id="INIT-Cor14",
    paper=INIT,
    location="§4.1, Corollary 14",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Statement 3's printed coefficient '(x^T W_2)^T (x) A)' has an unmatched "
           "parenthesis; read literally it is (d n) x d and the problem is ill-formed, so the "
           "as-printed variant uses the one consistent reading (x^T W_2) (x) A. The hypothesis "
           "A W_1 W_2 x = b is automatic at a limit with x != 0 (INIT-Lem13). The u_k "
           "problem inherited from INIT-Thm12 does not affect the limit."),
    variants=(
        Variant(
            "as-printed",
            "Refuted in statement 3: at a limit with x not parallel to e_1, vec(W_1) does not "
            "solve ((x^T W_2) (x) A) z = b. Exact run reaching its limit at k = 2 (A = [1 1], "
            "v = 1, alpha = 2/81, b = -80) and exact limit points.",
            (symbolic("counterexample", symbolic_corollary("printed"),
                      replay=exact_run_margin("printed")),
             *_limit_checks("printed", 128)),
            expected=Verdict.REFUTED),
        Variant(
            "corrected",
            "Statement 3 with (x^T W_2^T) (x) A = (W_2 x)^T (x) A, the matrix of "
            "vec(W_1) -> A W_1 W_2 x. All four statements: sympy, exact at the limit points, "
            "and on converged runs (40-digit iterates evaluated exactly). Asymptotic.",
            (symbolic("derivation", symbolic_corollary("corrected")),
             *_limit_checks("corrected", 256),
             trials("long-runs", run_property("corrected"), sampler=lem13.run_sampler,
                    count=32, certify=False)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:w2-dropped",
            "Planted: statement 2 for (A W_1) z = b (W_2 dropped).",
            _limit_checks("w2-dropped", 64), expected=Verdict.REFUTED),
    ),
)
