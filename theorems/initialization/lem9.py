r"""INIT-Lem9 — Lemma 9 of §4.1 (seed 004): the h = 2 initialization construction.

As printed:

    **Lemma 9.** When h = 2, it is possible to find W_1, W_2, x all non zero such that
    W_1 = A^T v x^T W_2^T and W_2 = W_1^T A^T u x^T and x in range(W_2^T W_1^T A^T) for some
    v in R^{n x 1} and u in R^{n x 1}

The proof: for any v != 0 set x = A^T v / ||A^T v||^2, u = A A^T v / ||A A^T v||^2,
W_1 = A^T v e_1^T and W_2 = W_1^T A^T u x^T (= e_1 x^T). Standing assumptions: d > n,
rank(A) = n.

Verdict: the existence statement holds: for every sampled (A, v != 0) the proof's W_1, W_2, x
are non zero and the three conditions have exact solutions (v, u): the least-squares
residuals min_v ||W_1 - A^T v x^T W_2^T||, min_u ||W_2 - W_1^T A^T u x^T|| and the distance
of x from range(W_2^T W_1^T A^T) are exactly 0 (rational arithmetic, certified). But the
proof's own v is a witness of the first identity only when ||A^T v|| = 1: the proof drops the
factor x^T x = 1 / ||A^T v||^2 (W_1 = A^T v x^T W_2^T holds with v' = ||A^T v||^2 v). That is
the planted ``mutant:proof-witness`` (refuted with an exact counterexample); the lemma's
statement is unaffected because v is existentially quantified.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from theorems.initialization.eq4_1 import RANK_RTOL, ball, snap
from theorems.initialization.lem5 import norm
from theorems.initialization.thm12 import (
    conditions_exact,
    conditions_float,
    exact_lemma9_start,
    lemma9_start,
)
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Lemma 9.** When h = 2, it is possible to find  $\\mathbf{W}_1, \\mathbf{W}_2, "
    "\\mathbf{x}$  all non zero such that  $\\mathbf{W}_1 = \\mathbf{A}^T \\mathbf{v} "
    "\\mathbf{x}^T \\mathbf{W}_2^T$  and  $\\mathbf{W}_2 = \\mathbf{W}_1^T \\mathbf{A}^T "
    "\\mathbf{u} \\mathbf{x}^T$  and  $\\mathbf{x} \\in "
    "\\mathbf{range}\\left(\\mathbf{W}_2^T \\mathbf{W}_1^T \\mathbf{A}^T\\right)$  for "
    "some  $\\mathbf{v} \\in \\mathbb{R}^{n \\times 1}$  and  $\\mathbf{u} \\in "
    "\\mathbb{R}^{n \\times 1}$ "
)

TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)


def _hypothesis(batch: Batch) -> np.ndarray:
    with np.errstate(all="ignore"):
        s = np.linalg.svd(batch["A"], compute_uv=False)
    return (s[:, -1] > RANK_RTOL * s[:, 0]) & (norm(batch["v"]) > 0)


def make_domain() -> Domain:
    """1 <= n < d <= 4, A of rank n, v != 0 (inputs on the 1/8 grid)."""
    variables = (Integer("n", 1, 3), Integer("d", 2, 4), Matrix("A", "n", "d"),
                 Vector("v", "n"))
    return Domain(variables, hypothesis=_hypothesis,
                  repair=lambda b: {k: (snap(v) if isinstance(v, np.ndarray) else v)
                                    for k, v in b.items()},
                  dims_ok=lambda c: c["n"] < c["d"])


def _float_margin(proof_witness: bool) -> Any:
    """Residuals of the conditions at the proof's construction (least squares over v, u;
    ``proof_witness``: the first identity with the proof's own v), plus the "all non zero"
    requirement (a zero factor counts its size as a violation)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            (W1, W2), x = lemma9_start(batch["A"], batch["v"])
            if proof_witness:
                z = np.einsum("bij,bi->bj", batch["A"], batch["v"])
                first = z[:, :, None] * np.einsum("bj,bij->bi", x, W2)[:, None, :]
                r, size = norm(W1 - first) ** 2, norm(W1) ** 2
            else:
                r, size = conditions_float(batch["A"], [W1, W2], x, "printed")
            zero = np.minimum(np.minimum(norm(W1), norm(W2)), norm(x)) == 0
            return np.where(zero, np.sqrt(size), np.sqrt(r)), np.sqrt(size)

    return margin


def _exact_margin(proof_witness: bool) -> Any:
    """:func:`_float_margin` exactly."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        A, v = lx.matrix(inst["A"]), lx.column(inst["v"])
        if A.ncols() <= A.nrows() or lx.rank(A) != A.nrows() or lx.squared_norm(v) == 0:
            return None
        (W1, W2), x, _ = exact_lemma9_start(A, v)
        if proof_witness:
            r = lx.squared_norm(W1 - A.transpose() * v * x.transpose() * W2.transpose())
            size = lx.squared_norm(W1)
        else:
            r, size = conditions_exact(A, [W1, W2], x, "printed")
        if min(lx.squared_norm(W1), lx.squared_norm(W2), lx.squared_norm(x)) == 0:
            r = size
        return ball(r, digits), ball(size, digits)

    return margin_hp


def construction_property(proof_witness: bool = False) -> Property:
    """The proof's construction satisfies the lemma (``proof_witness``: with its own v)."""
    what = "with the proof's v" if proof_witness else "for some v, u"
    return Property(make_domain(), _float_margin(proof_witness), _exact_margin(proof_witness),
                    TOLERANCE, rigorous=True,
                    description=f"Lemma 9's construction satisfies the conditions {what}")


CLAIM = Claim(
    id="INIT-Lem9",
    paper=INIT,
    location="§4.1, Lemma 9 and its proof",
    statement=STATEMENT,
    notes=("The existence is established by the proof's construction; the proof's "
           "computation A^T v x^T x u^T A W_1 = A^T v u^T A W_1 silently uses x^T x = 1, "
           "false unless ||A^T v|| = 1 (then v itself is a witness)."),
    variants=(
        Variant(
            "as-printed",
            "The proof's W_1, W_2, x are non zero and the three conditions hold for some "
            "v, u (exact least-squares residuals are 0).",
            (trials("construction", construction_property(), count=256),
             search("search", construction_property(), evaluations=2000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:proof-witness",
            "Planted (the proof's slip): W_1 = A^T v x^T W_2^T with the proof's own v; "
            "it is off by the factor ||x||^2 = 1 / ||A^T v||^2.",
            (trials("construction", construction_property(True), count=64),
             search("search", construction_property(True), evaluations=1000)),
            expected=Verdict.REFUTED),
    ),
)
