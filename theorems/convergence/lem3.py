"""CONV-Lem3 — Appendix D.2.1, Lemma 3 (Bhatia 1997, Exercise IV.3.5; Weyl / Mirsky).

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    For a matrix A, let Sing(A) denote the rectangular diagonal matrix of the same size,
    whose diagonal elements are the singular values of A arranged in non-increasing order
    (starting from the (1, 1) position).
    Lemma 3 (Bhatia (1997), Exercise IV.3.5). For any two matrices A, B of the same size,
    ||Sing(A) - Sing(B)||_sigma <= ||A - B||_sigma and
    ||Sing(A) - Sing(B)||_F <= ||A - B||_F.

``Sing(A) - Sing(B)`` is rectangular diagonal, so its spectral norm is ``max_i |s_i(A) -
s_i(B)|`` and its Frobenius norm ``(sum_i (s_i(A) - s_i(B))^2)^{1/2}`` over the ``min(m, n)``
ordered singular values. Instances: ``B = A + t E`` with ``t`` log-uniform in
``[1e-4, 10]``; entries of A and E with ``|x| < 0.3`` are set to 0, so that rank-deficient,
diagonal, coinciding-singular-value and equality cases (``E`` diagonal like ``A``) occur. The
high-precision margin encloses every ordered singular value rigorously
(:mod:`verify.core.hp_spectrum`) and the Frobenius norm of ``A - B`` exactly.

Mutants: the Frobenius left side bounded by the spectral norm of ``A - B`` (norms mixed), and
the singular values of B paired in the wrong (non-decreasing) order.
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, frobenius_sq, to_fmpq_mat
from verify.core.hp_spectrum import sorted_singular_value_balls, spectral_norm_ball
from verify.core.measures import sigma_max, singular_values
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"For a matrix  $A$ , let  $\text{Sing}(A)$  denote the rectangular diagonal matrix "
    r"of the same size, whose diagonal elements are the singular values of  $A$  arranged "
    r"in non-increasing order (starting from the  $(1, 1)$  position)."
    "\n\n" r"**Lemma 3** (Bhatia (1997), Exercise IV.3.5). *For any two matrices  $A, B$  of the "
    r"same size,  $\|\text{Sing}(A) - \text{Sing}(B)\|_\sigma \leq \|A - B\|_\sigma$  and "
    r" $\|\text{Sing}(A) - \text{Sing}(B)\|_F \leq \|A - B\|_F$ .*")

SPARSITY = 0.3
"""Raw entries smaller than this in absolute value are set to 0."""

DOMAIN = Domain((Integer("m", 1, 4), Integer("n", 1, 4),
                 Matrix("A", "m", "n", -2.0, 2.0), Matrix("E", "m", "n", -2.0, 2.0),
                 Real("t", 1e-4, 10.0, log=True)))


def _sparse(M: np.ndarray) -> np.ndarray:
    return np.where(np.abs(M) < SPARSITY, 0.0, M)


def matrices(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``(A, B)`` with ``B = A + t E`` (sparsified A and E) for a batch."""
    A = _sparse(batch["A"])
    return A, A + batch["t"][:, None, None] * _sparse(batch["E"])


def matrices_exact(inst: Instance) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    """Exact twin of :func:`matrices`."""
    def sparse(M: Any) -> np.ndarray:
        return np.vectorize(lambda v: 0 if abs(v) < SPARSITY else v, otypes=[object])(M)

    A = to_fmpq_mat(sparse(inst["A"]))
    t = inst["t"]
    return A, A + to_fmpq_mat(sparse(inst["E"])) * flint.fmpq(t.numerator, t.denominator)


def lemma3_property(norm: str, rhs_norm: str | None = None, reverse: bool = False) -> Property:
    """``||Sing(A) - Sing(B)||_norm <= ||A - B||_rhs_norm`` (``rhs_norm`` defaults to
    ``norm``); ``reverse`` pairs the singular values of B in non-decreasing order."""
    rhs_norm = rhs_norm or norm

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, B = matrices(batch)
        sa, sb = singular_values(A), singular_values(B)
        if reverse:
            sb = sb[..., ::-1]
        diff = sa - sb
        lhs = np.abs(diff).max(axis=-1) if norm == "sigma" else np.sqrt(np.sum(diff**2, -1))
        rhs = sigma_max(A - B) if rhs_norm == "sigma" else np.linalg.norm(A - B, axis=(-2, -1))
        return lhs - rhs, lhs + rhs + sa[..., 0] + sb.max(axis=-1)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        A, B = matrices_exact(inst)
        with flint.ctx.workprec(bits(digits)):
            sa = sorted_singular_value_balls(A, digits)
            sb = sorted_singular_value_balls(B, digits)
            if reverse:
                sb = sb[::-1]
            diffs = [a - b for a, b in zip(sa, sb, strict=True)]
            if norm == "sigma":
                lhs = _max_ball([abs(x) for x in diffs])
            else:
                lhs = sum((x * x for x in diffs), flint.arb(0)).sqrt()
            if rhs_norm == "sigma":
                rhs = spectral_norm_ball(A - B, digits)
            else:
                rhs = flint.arb(frobenius_sq(A - B)).sqrt()
            return lhs - rhs, lhs + rhs + sa[0] + sb[0]

    what = (f"‖Sing(A) − Sing(B){' reversed' if reverse else ''}‖_{norm} ≤ "
            f"‖A − B‖_{rhs_norm}")
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=what)


def _max_ball(balls: list[flint.arb]) -> flint.arb:
    """An enclosure of the maximum of the values enclosed by ``balls``."""
    out = balls[0]
    for b in balls[1:]:
        out = out.max(b)
    return out


SPECTRAL, FROBENIUS = lemma3_property("sigma"), lemma3_property("F")
MIXED = lemma3_property("F", rhs_norm="sigma")
REVERSED = lemma3_property("F", reverse=True)

CLAIM = Claim(
    id="CONV-Lem3", paper=CONV, location="Appendix D.2.1, Lemma 3", statement=STATEMENT,
    variants=(
        Variant("as-printed", "both inequalities, ordered singular values enclosed rigorously",
                (trials("spectral", SPECTRAL, count=256), search("spectral-search", SPECTRAL),
                 trials("frobenius", FROBENIUS, count=256),
                 search("frobenius-search", FROBENIUS)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:mixed-norms", "‖Sing(A) − Sing(B)‖_F ≤ ‖A − B‖_σ (norms mixed)",
                (trials("frobenius-vs-spectral", MIXED, count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:reversed-order", "the singular values of B paired in non-decreasing "
                "order (the ordering in Sing dropped)",
                (trials("frobenius", REVERSED, count=256),),
                expected=Verdict.REFUTED),
    ),
)
