r"""BIAS-Cor2: Corollary 2 of "A Unifying View on Implicit Bias in Training Linear Neural
Networks" (App A.2; proof App D.2: Theorem 2 with ``S = U_l = I_d``), as printed::

    **Corollary 2.** Consider an L-layer linear diagonal network (11). If there exists
    lambda > 0 such that the initial directions w̄_1, ..., w̄_L ... satisfy
    [w̄_l]_j^2 - [w̄_L]_j^2 >= lambda for all l in [L-1] and j in [d], then the training loss
    L(Theta_diag(t)) -> 0. If we additionally assume that X^T r(t) converges in direction,
    then beta_diag(Theta_diag(t)) converges in a direction that aligns with a stationary point
    z^inf of  minimize ||z||_{2/L} s.t. y_i x_i^T z >= 1.

Checked with the machinery of :mod:`theorems.implicit_bias.thm2` on the diagonal network of
the shared engine (:func:`verify.core.max_margin.arc_length_flow`), ``as-printed``:
supported (asymptotic, never certified):

* symbolic: eq. (9) with ``S = U_l = I_d`` is ``M_diag`` entrywise (``x_j`` on the diagonal,
  0 elsewhere), Theorem 2's gap becomes ``[w̄_l]_j^2 - [w̄_L]_j^2`` and its z-form objective
  ``||S^{-T} z||_{2/L} = ||z||_{2/L}`` (L = 2, 3, d = 2, 3, exact);
* loss -> 0 (L in {2, 3}; measured: ``log L`` decreasing, ``L <= 1e-6`` at the end);
* the limit (L = 3 only): admissible only with measured directional convergence of beta and
  of ``X^T r`` (the corollary's ASSUMPTION, measured, not proven); distance to a stationary
  point (App D.1 KKT defect of the measured direction, or chord to a KKT point found by
  vertex enumeration / multi-start) <= 0.05;
* the limit at L = 2 (the convex l1 problem; ``limit-l2-depth2``,
  :func:`theorems.implicit_bias.thm2.depth2_check`) on a RESTRICTED TRIAL SAMPLER, not a
  hypothesis of the corollary: only data whose l1 max-margin solution z* is nondegenerate
  with a strictly positive dual certificate mu and ``|[A^T mu]_j| <= 1/2`` off the support
  (so z* is unique and the predicted off-support decay ``||beta||^{-(1 - a)}`` is at least
  ``||beta||^{-1/2}``). The flow is followed in arc-length doublings to minimum margin 1e5;
  admissible only if every segment finished, beta's changes per record decay with measured
  exponent (in ``||beta||``) >= half the predicted one, their geometric tail is <= 0.01 and
  ``X^T r`` moved <= 0.05 over the last record; the measured chord distances to z*/||z*|| on
  the last three records are fitted by ``D + C ||beta||^{-(1-a)}`` and ``|D|`` + rms residual
  must be <= 0.05 (measured: distances 1e-8..1e-3 at the end, exponents 0.5..1.06, margins
  <= 8e-4; standard budget 14 of 16 sampled instances admissible);
* a small search over L = 3 instances (uniform and structured sampling).

Planted mutants (refuted, fixed replayable instances): the l2 max-margin direction (L = 3;
and at L = 2 with ``x = [1 3]``, extrapolated distance 0.32); for
L = 3 the l1 problem; the initialisation gap dropped (``w̄_1 = w̄_2``, L = 2, ``y x <= 0``).
"""

from __future__ import annotations

import itertools

import sympy

from theorems.implicit_bias import thm2
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, symbolic, trials
from verify.claims import Claim, Variant
from verify.verdicts import Verdict

STATEMENT = (
    r"**Corollary 2.** Consider an  $L$ -layer linear diagonal network (11). If there exists  "
    r"$\lambda > 0$  such that the initial directions  $\bar{\mathbf{w}}_1, \dots, "
    r"\bar{\mathbf{w}}_L$  of the network parameters satisfy  $[\bar{\mathbf{w}}_l]_j^2 - "
    r"[\bar{\mathbf{w}}_L]_j^2 \geq \lambda$  for all  $l \in [L-1]$  and  $j \in [d]$ , then "
    r"the training loss  $\mathcal{L}(\Theta_{\text{diag}}(t)) \rightarrow 0$ . If we "
    r"additionally assume that  $\mathbf{X}^T \mathbf{r}(t)$  converges in direction, then  "
    r"$\beta_{\text{diag}}(\Theta_{\text{diag}}(t))$  converges in a direction that aligns "
    r"with a stationary point  $\mathbf{z}^\infty$  of" "\n\n"
    r"$$\text{minimize}_{\mathbf{z} \in \mathbb{R}^d} \quad \|\mathbf{z}\|_{2/L} \quad "
    r"\text{subject to} \quad y_i \mathbf{x}_i^T \mathbf{z} \geq 1, \quad \forall i \in [n].$$"
)


def derive_substitution() -> SymbolicOutcome:
    """Eq. (9) with ``S = U_l = I_d`` equals ``M_diag(x)`` entrywise; ``|[I^T w]_j|^2 =
    [w]_j^2`` for real w; ``S^{-T} = I``."""
    for L, d in itertools.product((2, 3), (2, 3)):
        x = sympy.Matrix(d, 1, lambda a, b: sympy.Symbol(f"x{a}", real=True))
        M = thm2.eq9_tensor(sympy.eye(d), [sympy.eye(d)] * L, x)
        for idx, val in M.items():
            expected = x[idx[0]] if len(set(idx)) == 1 else 0
            if sympy.expand(val - expected) != 0:
                return SymbolicOutcome(False, f"L={L}, d={d}: entry {idx} is {val}")
        w = sympy.Matrix(d, 1, lambda a, b: sympy.Symbol(f"w{a}", real=True))
        c = sympy.eye(d).T * w
        if any(sympy.expand(c[j] * sympy.conjugate(c[j]) - w[j] ** 2) != 0 for j in range(d)):
            return SymbolicOutcome(False, "gap does not reduce")
    return SymbolicOutcome(True, "S = U_l = I_d: eq. (9) = M_diag (x_j on the diagonal, 0 "
                           "elsewhere), gap -> [w̄_l]_j^2 - [w̄_L]_j^2, ||S^{-T} z|| = ||z|| "
                           "(L = 2, 3; d = 2, 3)")


ARCH = "diagonal"

CLAIM = Claim(
    id="BIAS-Cor2",
    paper=BIAS,
    location="App A.2 Corollary 2; proof App D.2 (Theorem 2 with S = U_l = I_d, App D.1)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Stationary point in App D.1's KKT sense. The directional convergence of X^T r is "
           "an ASSUMPTION of the corollary: measured on every instance; instances where it (or "
           "beta's direction) is not observed are inadmissible. Loss -> 0 checked for L = 2, "
           "3; the limit for L = 3 and, on a sampler restricted to unique l1 solutions with "
           "dual slack (off-support |[A^T mu]_j| <= 1/2), for L = 2. n <= 3, d <= 3, "
           "gap >= 1e-3, alpha in [1/2, 2]."),
    variants=(
        Variant(
            "as-printed",
            "Corollary 2 as printed: loss -> 0 (measured, L = 2, 3) and, ASSUMING X^T r "
            "converges in direction (measured), beta's limit direction (measured, L = 3; and L = "
            "2 on data with a unique l1 solution and dual slack <= 1/2, a sampler restriction) "
            "is stationary for the l_(2/L) max-margin problem",
            (
                symbolic("substitution-into-theorem-2", derive_substitution),
                *thm2.corollary_checks(ARCH),
                thm2.depth2_check(),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:l2",
            "planted: the limit direction is the l2 max-margin classifier (L = 3, x = [1 2])",
            (trials("limit-is-l2", thm2.L2, sampler=thm2.fixed_sampler(thm2.L2_INSTANCE),
                    count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:l2-depth2",
            "planted: at L = 2 the limit direction is the l2 max-margin classifier (x = [1 3]: "
            "the limit is the l1 max-margin vertex [0 1/3], chord 0.33 away)",
            (trials("limit-l2-depth2", thm2.DEPTH2_L2,
                    sampler=thm2.fixed_sampler(thm2.DEPTH2_L2_INSTANCE), count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:l1",
            "planted: for L = 3 the limit is stationary for the l1 (not l_(2/3)) problem",
            (trials("limit-is-l1", thm2.L1, sampler=thm2.fixed_sampler(thm2.L1_INSTANCE),
                    count=8),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:no-init-gap",
            "planted: hypothesis dropped (w̄_1 = w̄_2, L = 2, y x <= 0): the layers stay "
            "equal, beta = w ⊙ w >= 0 and the loss stays >= 1",
            (trials("loss-to-zero", thm2.no_gap_property(),
                    sampler=thm2.fixed_sampler(thm2.NO_GAP_INSTANCE), count=8),),
            expected=Verdict.REFUTED,
        ),
    ),
)
