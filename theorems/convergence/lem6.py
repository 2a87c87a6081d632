"""CONV-Lem6 — Appendix D.2.1, Lemma 6: bounded layer norms.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 6. Suppose nu, C are real numbers satisfying C > 0 and
    0 < nu <= C^{2/N} / (30 N^2). Moreover suppose that the matrices W_1, ..., W_N satisfy
    the following:
    1. For 1 <= j <= N-1, ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F <= nu.
    2. ||W_N ... W_1||_sigma <= C.
    Then for 1 <= j <= N, ||W_j||_sigma <= C^{1/N} * 2^{1/(2N)}.

Tightest admissible constants. The conclusion grows with C and does not involve nu, so the
statement holds for given layers iff it holds with the smallest admissible C: with
``nu_0 = max_j ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F``, nu must satisfy
``nu_0 <= nu <= C^{2/N} / (30 N^2)``, so ``C >= (30 N^2 nu_0)^{N/2}``, and
``C >= ||W_{1:N}||_sigma``. Hence the check (squared) is

    max_j ||W_j||_sigma^2 <= 2^{1/N} max(||W_{1:N}||_sigma^{2/N}, 30 N^2 nu_0),

i.e. balancedness exactly at the boundary ``nu = C^{2/N} / (30 N^2)`` whenever the second
term dominates (nu -> 0+ and C -> ||W_{1:N}|| for exactly balanced layers or a zero product).
Layers: :func:`verify.core.balanced_layers.network_domain` (near-balanced
``U_j Sigma U_{j-1}^T + eps P_j``, depths 1..4 including N = 1, widths 1..3 in every pattern,
zero singular values frequent, eps log-uniform in [1e-6, 1]). The high-precision margin is
rigorous (exact layers; ball enclosures of spectral norms, square and N-th roots).

Mutants: without the factor 2^{1/(2N)}, and with the hypothesis nu <= C^{2/N}/(30 N^2)
dropped (C = ||W_{1:N}||_sigma whatever the balancedness).
"""

from __future__ import annotations

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.balanced_layers import (
    balancedness_sq_exact,
    network_domain,
    network_layers,
    network_layers_exact,
)
from verify.core.hp_linalg import bits, gram
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.measures import balancedness, sigma_max
from verify.core.networks import end_to_end
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 6.** *Suppose  $\nu, C$  are real numbers satisfying  $C > 0$  and  $0 < "
    r"\nu \leq \frac{C^{2/N}}{30N^2}$ . Moreover suppose that the matrices  $W_1, \dots, "
    r"W_N$  satisfy the following:*"
    "\n\n" r"1. For  $1 \leq j \leq N-1$ ,  $\|W_{j+1}^\top W_{j+1} - W_j W_j^\top\|_F \leq \nu$ "
    r"."
    "\n" r"2.  $\|W_N \cdots W_1\|_\sigma \leq C$ ."
    "\n\n" r"Then for  $1 \leq j \leq N$ ,  $\|W_j\|_\sigma \leq C^{1/N} \cdot 2^{1/(2N)}$ .")

DOMAIN = network_domain(perturbed=True)


def _root(x: flint.arb, n: int) -> flint.arb:
    """An enclosure of ``max(x, 0)^{1/n}`` valid also when the ball touches 0."""
    hi = flint.arb(x.upper())
    lo = flint.arb(x.lower())
    top = hi.root(n) if hi > 0 else flint.arb(0)
    bottom = lo.root(n) if lo > 0 else flint.arb(0)
    return bottom.union(top)


def lemma6_property(factor: bool = True, hypothesis: bool = True) -> Property:
    """``max_j ||W_j||^2 <= 2^{1/N} C^{2/N}`` at the smallest admissible C (module docstring);
    ``factor=False`` drops ``2^{1/N}``, ``hypothesis=False`` takes ``C = ||W_{1:N}||``."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws = network_layers(batch)
        N = len(Ws)
        lhs = np.max([sigma_max(W) ** 2 for W in Ws], axis=0)
        c2n = sigma_max(end_to_end(Ws)) ** (2.0 / N)
        if hypothesis:
            c2n = np.maximum(c2n, 30 * N**2 * balancedness(Ws))
        rhs = (2.0 ** (1.0 / N) if factor else 1.0) * c2n
        return lhs - rhs, lhs + rhs

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        Ws = network_layers_exact(inst)
        N = len(Ws)
        with flint.ctx.workprec(bits(digits)):
            lhs = flint.arb(0)
            for W in Ws:
                lhs = lhs.max(eigenvalue_balls(gram(W), digits)[0])
            end = Ws[0]
            for W in Ws[1:]:
                end = W * end
            c2n = _root(eigenvalue_balls(gram(end), digits)[0], N)
            if hypothesis:
                c2n = c2n.max(30 * N**2 * flint.arb(balancedness_sq_exact(Ws)).sqrt())
            rhs = (flint.arb(2).root(N) if factor else 1) * c2n
            return lhs - rhs, lhs + rhs

    what = "max_j ‖W_j‖_σ^2 ≤ " + ("2^{1/N} " if factor else "") + "C^{2/N}"
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=what + (", smallest admissible C" if hypothesis
                                        else ", C = ‖W_1:N‖_σ"))


PRINTED = lemma6_property()
NO_FACTOR = lemma6_property(factor=False)
NO_HYPOTHESIS = lemma6_property(hypothesis=False)

CLAIM = Claim(
    id="CONV-Lem6", paper=CONV, location="Appendix D.2.1, Lemma 6", statement=STATEMENT,
    variants=(
        Variant("as-printed", "the layer-norm bound at the smallest admissible C (ν at the "
                "boundary C^{2/N}/(30N^2) when the balancedness term dominates)",
                (trials("near-balanced-layers", PRINTED, count=256),
                 search("search", PRINTED)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:no-factor", "‖W_j‖_σ ≤ C^{1/N} (the factor 2^{1/(2N)} dropped)",
                (trials("near-balanced-layers", NO_FACTOR, count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:no-nu-hypothesis", "the hypothesis ν ≤ C^{2/N}/(30N^2) dropped",
                (trials("near-balanced-layers", NO_HYPOTHESIS, count=256),),
                expected=Verdict.REFUTED),
    ),
)
