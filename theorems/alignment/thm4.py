"""ALIGN-Thm4 (App. D, Theorem 4): non-square generalization of Theorem 1 (strong alignment).

Printed: "Let f: R^{k_0} -> R^{k_d} be a linear fully connected network as in Equation (1), and
let r = min(k_0, ..., k_n). Strong alignment is an invariant of training under the squared
loss on the dataset (X, Y) if and only if there exist orthonormal matrices U in R^{k_d x k_d},
V in R^{k_0 x k_0} such that U^T Y X^T V = [[Lambda', 0], [0, A_1]] and V^T X X^T V =
[[Lambda, 0], [0, A_2]] for diagonal r x r matrices Lambda, Lambda' and arbitrary A_1 in
R^{(k_0-r) x (k_d-r)}, A_2 in R^{(k_0-r) x (k_0-r)}."

"Strong alignment is an invariant" is Definition 3 with all frames frozen: *some*
initialization keeps every frame for all t and its limit has zero training error; the Remarks
of §3 add a non-zero gradient at initialization and data interpolable by a linear map (the
proof: "The rank of X must be at least the rank of Y in order for the data to be linearly
interpolated"). Same typos as Lemma 2 (k_n for k_d; A_1's shape), :mod:`theorems.alignment.lem2`.

**If: refuted** when the widths have a bottleneck (r < min(k_0, k_d)). Block data with
``A_1 != 0`` (``F_0^T X = [S_x P_1^T; Z_x P_2^T]``, ``F_d^T Y = [S_y P_1^T; Z_y P_2^T]``, X of
full row rank, so Y = (Y X^+) X is linearly interpolable) meet the condition exactly, yet
``rank Y > r``: every network through a width-r layer has ``rank(f(X)) <= r``, so no
initialization reaches zero training error. Smallest: widths (2, 1, 2), X = Y = I_2 (U = V =
I, Lambda = Lambda' = A_1 = A_2 = 1). The proof's last line ("the solution given by the
pseudoinverse which obviously has a loss of zero") ignores A_1. With A_1 = 0 the 'if' holds:
the witness init keeps its frames (exact, K = 3 steps; Lemma 2) and ``W B = A`` at the limit
``U diag(lambda'/lambda) V^T`` gives zero loss (``(M - W) B (M - W)^T = 0`` for Y = M X);
measured from Proposition 2's initialization in the square case (ALIGN-Thm1's check).

**Only if: refuted** by ALIGN-Thm1's exact "landing" counterexamples (square layers, where
the condition is Theorem 1's and r = k): a full-rank or rank-deficient aligned initialization
reaches zero loss in one step and is stationary, all frames frozen, on data violating the
condition. The proof rests on Lemma 2's 'only if' and its unstated genericity.

**Corrected:** 'if' with ``A_1 = 0``; 'only if' for initializations whose top r singular
values are non-zero at t = 0, 1 and whose products move in the first step (Lemma 2's
corrected version, exact).
"""

from __future__ import annotations

from typing import Any

import flint

from theorems.alignment.lem2 import (
    block_data,
    block_defect,
    domain,
    generic_only_if_property,
    if_property,
    one_condition_property,
    widths,
)
from theorems.alignment.thm1 import convergence_property, only_if_property
from theorems.papers import ALIGN
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.exact_margin import exact_margin
from verify.domain import Domain, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Theorem 4.** Let  $f: \mathbb{R}^{k_0} \to \mathbb{R}^{k_d}$  be a linear fully "
             r"connected network as in Equation (1), and let  $r = \min(k_0, \ldots, k_n)$ . "
             r"Strong alignment is an invariant of training under the squared loss on the "
             r"dataset (X, Y) if and only if there exist orthonormal matrices  $U \in "
             r"\mathbb{R}^{k_d \times k_d}$ ,  $V \in \mathbb{R}^{k_0 \times k_0}$  such that "
             r"$$U^T Y X^T V = \begin{bmatrix} \Lambda' & \mathbf{0} \\ \mathbf{0} & A_1 "
             r"\end{bmatrix}, \quad and \quad V^T X X^T V = \begin{bmatrix} \Lambda & "
             r"\mathbf{0} \\ \mathbf{0} & A_2 \end{bmatrix}$$ for diagonal  $r \times r$  "
             r"matrices  $\Lambda, \Lambda'$  and arbitrary  $A_1 \in \mathbb{R}^{(k_0-r)"
             r"\times(k_d-r)}, A_2 \in \mathbb{R}^{(k_0-r)\times(k_0-r)}$ .")

_BASE = domain(frames=False)
BOTTLENECK_DOMAIN = Domain(
    _BASE.variables, repair=_BASE.repair,
    dims_ok=lambda dm: _BASE.dims_ok(dm) and dm["n"] >= dm["k0"] and
    min(dm[f"k{i}"] for i in range(dm["d"] + 1)) < min(dm["k0"], dm[f"k{dm['d']}"]))
"""Widths with a bottleneck r < min(k_0, k_d), n >= k_0 (X can have full row rank)."""


def bottleneck_property() -> Property:
    """Block data meeting the condition (exactly), X of full row rank: zero training error
    needs ``rank Y <= r`` (every network here has rank <= r). Excess: ``rank Y - r``."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        r = min(widths(inst))
        F, X, Y = block_data(inst, r)
        if X.rank() < X.nrows() or block_defect(F, X, Y, r) != 0:
            return None
        return flint.fmpq(Y.rank() - r), flint.fmpq(1)

    return Property(BOTTLENECK_DOMAIN, exact_margin(margin_hp), margin_hp,
                    Tolerance(rtol=0.0, atol=0.0), rigorous=True,
                    description="condition holds => zero training error reachable (rank Y <= r)")


CLAIM = Claim(
    id="ALIGN-Thm4",
    paper=ALIGN,
    location="App. D, Theorem 4 (seed 000: same statement, Proposition 2 numbered 1)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Both directions fail as printed. 'If': with a bottleneck r < min(k_0, k_d) the "
           "condition allows A_1 != 0, and then no network of these widths interpolates "
           "(exact rank certificate), e.g. widths (2, 1, 2), X = Y = I. (If the Remarks' 'a "
           "linear network that achieves loss zero' is read as a network of the given widths, "
           "those data are excluded; the proof itself uses 'rank X >= rank Y'.) 'Only if': "
           "ALIGN-Thm1's exact landing counterexamples (square layers). Typos as in Lemma 2: "
           "r = min(k_0, ..., k_n) for min(k_0, ..., k_d); A_1 is (k_d - r) x (k_0 - r). "
           "Zero training error is a limit (asymptotic); frozen frames are certified for K "
           "exact steps and by induction."),
    variants=(
        Variant("as-printed",
                "condition => frozen frames (exact) and zero-error reachable (rank "
                "certificate); strong invariance (exact, landing) => condition",
                (trials("if-frozen", if_property(), count=64),
                 trials("if-zero-error", bottleneck_property(), count=64),
                 trials("only-if", only_if_property(), count=32)),
                expected=Verdict.REFUTED),
        Variant("corrected",
                "'if' with A_1 = 0 (frozen frames, exact; loss -> 0 measured, square case); "
                "'only if' for initializations with non-zero top r singular values at t = 0, 1 "
                "whose products move",
                (trials("if-frozen", if_property(zero_a1=True), count=64),
                 trials("if-converges", convergence_property(), count=16),
                 trials("generic-only-if", generic_only_if_property(), count=128),
                 search("generic-only-if-search", generic_only_if_property(),
                        evaluations=800)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:one-condition",
                "only V^T X X^T V required in block form: the witness init keeps its frames",
                (trials("frozen", one_condition_property(), count=64),),
                expected=Verdict.REFUTED),
    ),
)
