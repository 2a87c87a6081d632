r"""INIT-Lem1 — Lemma 1 of §2.2, "Solving Underdetermined Least Squares using Gradient
Descent" (seed 004, "On the Role of Initialization on the Implicit Bias in Deep Learning").

As printed:

    Lemma 1. If  $$Ay = b$$  and  $y \in \text{range}(A^T)$  then  $y = \theta^*$ .

with (§2.1) ``theta* := argmin_{Ax = b} ||x||_2 = A^T (A A^T)^{-1} b`` and the standing
assumptions d > n, rank(A) = n, b != 0. The proof writes ``y = A^T v``, so ``A A^T v = b``,
and multiplies by ``A^T (A A^T)^{-1}``.

Verdict: the lemma holds. It is certified exactly (rational arithmetic) on sampled instances:
``y = A^T v``, ``b = A y`` and theta* computed *from its definition*, independently of y and
of range(A^T): a particular solution ``x_p`` of ``A x = b`` (reduced row echelon form of
``[A b]``) minus its component in ker(A), the minimiser of ``||x_p + u||`` over u in ker(A).
The sympy check derives theta* as a constrained minimum for generic symbolic A (n = 1, d = 2
and n = 2, d = 3) and shows that the unique ``y = A^T v`` with ``A y = b`` equals it, and so
does the printed closed form. The search also covers what the statement does not require
(d = n, b = 0, rank(A) < n, A = 0, with theta* the argmin, which exists since b = A y): the
lemma stays true there (range(A^T) meets ker(A) only in 0), only the closed form
``A^T (A A^T)^{-1} b`` needs rank n.

This module also holds the §2.2 helpers shared by INIT-Lem2, -Cor3 and -Alg1: the sampled
domain of matrices of capped rank, float and exact projectors, and theta* from its definition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization import thm4
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector, to_exact
from verify.verdicts import TINY, Tolerance, Verdict

STATEMENT = (
    "Lemma 1. If \n$$Ay = b$$\n and  $y \\in \\text{range}(A^T)$  then  $y = \\theta^*$ ."
)

MAX_N, MAX_D = 3, 4
RANK_RTOL = 1e-9
"""Singular values below ``RANK_RTOL * ||A||`` count as zero in float64."""
GRAY_ZONE = (1e-13, 1e-6)
"""float64 hypotheses reject A with a singular value in this band (relative to ||A||): there
the numerical rank, hence range(A^T) and ker(A) in float, is ambiguous (the exact re-checks
decide such matrices exactly)."""
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)


# --------------------------------------------------------------------------- shared: domain


def norm(v: np.ndarray) -> np.ndarray:
    """Euclidean norm over the last axis of a batch of vectors."""
    return np.linalg.norm(v, axis=-1)


def mv(M: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Batched matrix-vector product (B, p, q) x (B, q) -> (B, p)."""
    return np.einsum("bij,bj->bi", M, v)


def mtv(M: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Batched ``M^T v``: (B, p, q) x (B, p) -> (B, q)."""
    return np.einsum("bji,bj->bi", M, v)


def cap_rank(A: np.ndarray, r: int) -> np.ndarray:
    """Rows ``r+1..n`` of A become ``-2`` times the row ``r`` places above (exact in
    float64), so rank(A) <= r; r = 0 gives A = 0."""
    A = A.copy()
    for i in range(r, A.shape[1]):
        A[:, i, :] = -2.0 * A[:, i - r, :] if r > 0 else 0.0
    return A


def make_domain(variables: tuple[Any, ...], *, full_rank: bool, d_gt_n: bool,
                repair: Callable[[Batch], Batch] | None = None,
                hypothesis: Callable[[Batch], np.ndarray] | None = None,
                max_n: int = MAX_N, max_d: int = MAX_D) -> Domain:
    """Dimensions ``n <= d`` (``d_gt_n``: ``n < d``), a rank cap r (r = n for ``full_rank``,
    else 0 <= r <= n), A (n x d) with rows beyond r dependent, then the claim's ``variables``
    and ``repair``; ``hypothesis`` adds to the numerical rank condition (and
    :func:`well_separated`)."""

    def repaired(batch: Batch) -> Batch:
        batch = {**batch, "A": cap_rank(batch["A"], int(batch["r"]))}
        return repair(batch) if repair is not None else batch

    def hypotheses(batch: Batch) -> np.ndarray:
        rank = numerical_rank(batch["A"])
        ok = rank == batch["n"] if full_rank else np.ones(rank.shape, dtype=bool)
        ok &= well_separated(batch["A"])
        return ok & (hypothesis(batch) if hypothesis is not None else True)

    def dims_ok(c: Mapping[str, int]) -> bool:
        if (c["n"] >= c["d"]) if d_gt_n else (c["n"] > c["d"]):
            return False
        return c["r"] == c["n"] if full_rank else c["r"] <= c["n"]

    low_rank = 1 if full_rank else 0
    return Domain((Integer("n", 1, max_n), Integer("d", 1, max_d), Integer("r", low_rank, max_n),
                   Matrix("A", "n", "d"), *variables),
                  hypothesis=hypotheses, repair=repaired, dims_ok=dims_ok)


def numerical_rank(A: np.ndarray) -> np.ndarray:
    """Batched rank: singular values above ``RANK_RTOL * ||A||`` (0 for A = 0)."""
    s = np.linalg.svd(A, compute_uv=False)
    return np.sum(s > RANK_RTOL * np.maximum(s[:, :1], TINY), axis=1)


def well_separated(A: np.ndarray) -> np.ndarray:
    """Batched: no singular value of A in the :data:`GRAY_ZONE` relative to ||A||."""
    s = np.linalg.svd(A, compute_uv=False)
    rel = s / np.maximum(s[:, :1], TINY)
    return ~np.any((rel > GRAY_ZONE[0]) & (rel < GRAY_ZONE[1]), axis=1)


def projectors(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched ``(P_ker(A), A^+)`` from the SVD with the numerical rank (any rank)."""
    U, s, Vt = np.linalg.svd(A)
    positive = s > RANK_RTOL * np.maximum(s[:, :1], TINY)
    Vr = Vt[:, : s.shape[1], :] * positive[..., None]
    P_N = np.eye(A.shape[2]) - np.einsum("bki,bkj->bij", Vr, Vr)
    inv = np.where(positive, 1.0 / np.where(positive, s, 1.0), 0.0)
    pinv = np.einsum("bki,bk,bjk->bij", Vt[:, : s.shape[1], :], inv, U)
    return P_N, pinv


def step_size(A: np.ndarray, step: np.ndarray) -> np.ndarray:
    """``alpha = step / ||A||^2`` (so ``alpha ||A||^2 = step``, a parameter in
    ``(0, bound)``); ``alpha = step`` when A = 0 (every alpha is then admissible)."""
    smax = np.linalg.norm(A, ord=2, axis=(1, 2))
    return np.where(smax > 0, step / np.maximum(smax**2, TINY), step)


# --------------------------------------------------------------------------- shared: exact


def prec(digits: int) -> int:
    """Binary working precision for ``digits`` decimal digits (with guard bits)."""
    return int(digits * 3.33) + 64


def arb_norm(sq: flint.fmpq) -> flint.arb:
    """A ball around ``sqrt(sq)`` (exact 0 for sq = 0)."""
    return flint.arb(sq).sqrt()


def particular_solution(A: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat | None:
    """A solution of ``A x = b`` (free variables 0) from the reduced row echelon form of
    ``[A b]``; None when the system is inconsistent."""
    reduced, r = lx.hstack(A, b).rref()
    d = A.ncols()
    x = flint.fmpq_mat(d, 1)
    for i in range(int(r)):
        pivot = next(j for j in range(d + 1) if reduced[i, j] != 0)
        if pivot == d:
            return None
        x[pivot, 0] = reduced[i, d]
    return x


def theta_star_exact(A: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat | None:
    """``argmin_{A x = b} ||x||_2`` from the definition: every solution is ``x_p + u`` with u
    in ker(A), and ``||x_p + u||`` is least at ``u = -P_ker(A) x_p``. None if inconsistent."""
    x_p = particular_solution(A, b)
    if x_p is None:
        return None
    return x_p - lx.null_space_projector(A) * x_p


def printed_theta_star(A: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat:
    """The printed closed form ``A^T (A A^T)^{-1} b`` (rank(A) = n)."""
    return A.transpose() * (A * A.transpose()).solve(b)


# --------------------------------------------------------------------------- the lemma

Claimed = str
"""What y is claimed to equal: ``"theta*"`` (the lemma) or ``"A^T b"`` (a planted mutant)."""


def _solution_float(batch: Batch, in_range: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(y, b)``: y = A^T v (``in_range``), or y = A^T v + P_ker(A) z, and b = A y."""
    A = batch["A"]
    y = mtv(A, batch["v"])
    if not in_range:
        y = y + mv(projectors(A)[0], batch["z"])
    return y, mv(A, y)


def _b_nonzero(batch: Batch) -> np.ndarray:
    return norm(mv(batch["A"], mtv(batch["A"], batch["v"]))) > 0


def lemma_domain(printed: bool) -> Domain:
    """The lemma's inputs: A, v (y = A^T v) and z (a kernel component, used by the mutant).
    ``printed``: d > n, rank(A) = n, b != 0; otherwise n <= d, any rank, any b."""
    return make_domain((Vector("v", "n"), Vector("z", "d")), full_rank=printed, d_gt_n=printed,
                       hypothesis=_b_nonzero if printed else None)


def lemma_margin(claimed: Claimed, in_range: bool) -> Callable[[Batch], tuple[np.ndarray,
                                                                            np.ndarray]]:
    """Batched ``||y - claimed||`` for a solution y of A y = b (in range(A^T) when
    ``in_range``); theta* = A^+ b in float64."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        y, b = _solution_float(batch, in_range)
        target = mv(projectors(batch["A"])[1], b) if claimed == "theta*" else \
            mtv(batch["A"], b)
        return norm(y - target), norm(y) + norm(target)

    return margin


def lemma_margin_hp(claimed: Claimed, in_range: bool,
                    printed: bool) -> Callable[[Instance, int], Any]:
    """:func:`lemma_margin` exactly: y and b in rationals, theta* from its definition
    (:func:`theta_star_exact`); None off the hypotheses (exact rank and b != 0 when
    ``printed``)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        A = lx.matrix(inst["A"])
        n, d = A.nrows(), A.ncols()
        if printed and (d <= n or lx.rank(A) != n):
            return None
        y = A.transpose() * lx.column(inst["v"])
        if not in_range:
            y = y + lx.null_space_projector(A) * lx.column(inst["z"])
        b = A * y
        if printed and lx.squared_norm(b) == 0:
            return None
        target = theta_star_exact(A, b) if claimed == "theta*" else A.transpose() * b
        with flint.ctx.workprec(prec(digits)):
            return (arb_norm(lx.squared_norm(y - target)),
                    arb_norm(lx.squared_norm(y)) + arb_norm(lx.squared_norm(target)))

    return margin_hp


# --------------------------------------------------------------------------- symbolic

SYMBOLIC_SHAPES = ((1, 2), (2, 3))


@cache
def range_solution(n: int, d: int) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    """``(A, b, y)`` for generic symbolic A (n x d) and b: the solution ``y = A^T v`` of
    ``A y = b``, v solved from ``A A^T v = b`` by linsolve (unique for generic A)."""
    A, b = thm4.matrix_symbols("a", n, d), thm4.matrix_symbols("b", n, 1)
    v = sp.symbols(f"v1:{n + 1}", real=True)
    (solution,) = sp.linsolve((A * A.T, b), v)
    return A, b, A.T * sp.Matrix(solution)


@cache
def symbolic_lemma(claimed: Claimed) -> SymbolicOutcome:
    """For generic symbolic A of SYMBOLIC_SHAPES: theta* derived as the constrained minimum
    (:func:`thm4.min_norm_solution`: linsolve, then the stationary point of ||x||^2 over the
    free parameters); the range(A^T) solution equals it, and so does the printed closed form.
    For the planted ``"A^T b"``: the difference and an exact counterexample."""
    steps = []
    for n, d in SYMBOLIC_SHAPES:
        A, b, y = range_solution(n, d)
        theta = thm4.min_norm_solution(A, b)
        if sp.simplify(A * theta - b) != sp.zeros(n, 1):
            return SymbolicOutcome(None, f"the derived minimiser does not solve A x = b ({n}x{d})")
        if claimed == "A^T b":
            gap = sp.simplify(y - A.T * b)
            if gap != sp.zeros(d, 1):
                inst = {"n": 1, "d": 2, "r": 1,
                        "A": np.array([[2.0, 0.0]]), "v": np.array([1.0]),
                        "z": np.zeros(2)}
                return SymbolicOutcome(False, f"y - A^T b = {list(gap)} ({n}x{d}); e.g. "
                                       "A = [2 0], v = 1: y = (2, 0), A^T b = (8, 0)",
                                       to_exact(inst))
            continue
        if sp.simplify(y - theta) != sp.zeros(d, 1):
            return SymbolicOutcome(False, f"the range(A^T) solution differs from theta* ({n}x{d})")
        if sp.simplify(A.T * (A * A.T).inv() * b - theta) != sp.zeros(d, 1):
            return SymbolicOutcome(False, f"A^T (A A^T)^-1 b is not the argmin ({n}x{d})")
        steps.append(f"{n}x{d}")
    return SymbolicOutcome(True, "for generic symbolic A of shapes " + ", ".join(steps) +
                           ": the solution A^T v of A y = b equals argmin_{Ax=b} ||x||_2 "
                           "(derived by linsolve and stationarity over the free parameters), "
                           "which equals the printed A^T (A A^T)^{-1} b")


# --------------------------------------------------------------------------- checks, variants


def _checks(claimed: Claimed, in_range: bool) -> tuple[Any, ...]:
    printed = lemma_domain(True)
    what = ("y in range(A^T)" if in_range else "any solution y") + f", y = {claimed}"
    prop = Property(printed, lemma_margin(claimed, in_range),
                    lemma_margin_hp(claimed, in_range, True), TOLERANCE, rigorous=True,
                    description=what + " (d > n, rank n, b != 0)")
    wide = Property(lemma_domain(False), lemma_margin(claimed, in_range),
                    lemma_margin_hp(claimed, in_range, False), TOLERANCE, rigorous=True,
                    description=what + " (also d = n, b = 0, any rank: theta* the argmin)")
    checks: list[Any] = []
    if in_range:
        checks.append(symbolic("derivation", lambda: symbolic_lemma(claimed),
                               replay=lemma_margin_hp(claimed, in_range, True)))
    checks += [trials("exact-solutions", prop, count=256),
               search("search", wide)]
    return tuple(checks)


CLAIM = Claim(
    id="INIT-Lem1",
    paper=INIT,
    location="§2.2, Lemma 1 (theta* defined in §2.1)",
    statement=STATEMENT,
    notes=(
        "Standing assumptions of §2.1: d > n, rank(A) = n, b != 0, theta* := "
        "argmin_{Ax=b} ||x||_2 = A^T (A A^T)^{-1} b. The search runs on a wider domain "
        "(d = n, b = 0, any rank including A = 0) where the lemma, with theta* the argmin, "
        "still holds; only the printed closed form of theta* (used in the proof) needs "
        "rank(A) = n."
    ),
    variants=(
        Variant(
            "as-printed",
            "The lemma as printed under the standing assumptions; theta* computed from its "
            "definition (a particular solution minus its ker(A) component), exactly.",
            _checks("theta*", in_range=True),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:no-range-hypothesis",
            "Planted: the hypothesis y in range(A^T) dropped (every solution of A y = b would "
            "be theta*); false whenever ker(A) != 0.",
            _checks("theta*", in_range=False),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:theta-without-inverse",
            "Planted: theta* replaced by A^T b (the factor (A A^T)^{-1} dropped).",
            _checks("A^T b", in_range=True),
            expected=Verdict.REFUTED,
        ),
    ),
)
