"""CONV-Eq12 — proof of Theorem 1, eqs. (12)-(13): the unrolled descent bound.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    ... we may unroll the inequalities, obtaining:
        L^1(W_{1:N}(t+1))
            ≤ L^1(W_{1:N}(0)) · ∏_{t'=0}^{t} (1 − η · σ_min(W_{1:N}(t'))^{2(N−1)/N}). (12)
    ... Deficiency margin c of W_{1:N}(0) along with Claim 1 thus imply σ_min(W_{1:N}(t')) ≥ c,
    which when inserted back into Equation (12) yields, for every t = 1, 2, 3, ...:
        L^1(W_{1:N}(t)) ≤ L^1(W_{1:N}(0)) · (1 − η · c^{2(N−1)/N})^t. (13)

Both hold under Theorem 1's conditions (from Lemma 1 with ‖dL^1/dW‖_F^2 = 2 L^1). Checked
exactly along GD trajectories of :func:`theorems.convergence.lem1.hypothesis_domain` (depth
1-3, widths 1-3, c, δ, η at and below their printed bounds) for t + 1 = 1, ..., 4 steps: layers
and losses are exact rationals, the products of (12) and the power of (13) are rigorous balls
(σ_min from the exact characteristic polynomial of the Gram matrix). The side facts used by
the proof — every factor 1 − η σ_min^{2(N−1)/N} and 1 − η c^{2(N−1)/N} lies in [0, 1] — are
checked on the same instances. In float64 (ranking only) the loss differences come from the
multilinear increment expansion and 1 − ∏ from ``expm1``/``log1p``, so the margins are
resolved even at η ~ 1e-12.

The excess is divided by the bound's promised decrease L(0)(1 − ∏) (scale 1), so the margin reads
"how much of the promised decrease is missing"; with the first-order decrease at least twice
the promised one, margins are about −1 or lower.

Mutants: σ_min(Φ) in place of c in (13) (σ_min(W(t)) may sit well below σ_min(Φ) when the
margin is small); and (13) with the power t + 1 (off by one; false at t = 0).
"""

from __future__ import annotations

import flint
import numpy as np

from theorems.convergence.lem1 import (
    arb_pow,
    end_to_end_exact,
    exact_setting,
    exact_trajectory,
    float_steps,
    hypothesis_domain,
    setting,
    sigma_rate,
)
from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, frobenius_sq, gram
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.measures import sigma_min
from verify.core.networks import end_to_end
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"$$L^1(W_{1:N}(t+1)) \leq L^1(W_{1:N}(0)) \cdot \prod_{t'=0}^t \left(1 - \eta \cdot "
    r"\sigma_{\min}(W_{1:N}(t'))^{\frac{2(N-1)}{N}}\right). \quad (12)$$ [...] "
    r"Deficiency margin  $c$  of  $W_{1:N}(0)$  along with Claim 1 thus imply  "
    r"$\sigma_{\min}(W_{1:N}(t')) \geq c$ , which when inserted back into Equation (12) "
    r"yields, for every  $t = 1, 2, 3, \dots$ :"
    "\n\n" r"$$L^1(W_{1:N}(t)) \leq L^1(W_{1:N}(0)) \cdot \left(1 - \eta \cdot "
    r"c^{\frac{2(N-1)}{N}}\right)^t. \quad (13)$$")

STEPS = 4


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def unrolled_property(eq13_rate: str = "c", shift: int = 0) -> Property:
    """(12) and (13) for t + 1 = 1..STEPS; ``eq13_rate``: "c" as printed, or "phi"
    (σ_min(Φ), mutant); ``shift``: (13) with exponent t + shift, also at t = 0 when > 0."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        s = setting(batch)
        N = len(s.Ws)
        steps = float_steps(s, STEPS)
        L0 = 0.5 * _fro(end_to_end(s.Ws) - s.Phi) ** 2
        base = s.c if eq13_rate == "c" else sigma_min(s.Phi)
        a13 = s.eta * np.maximum(base, 0.0) ** (2 * (N - 1) / N)
        drop, log12 = np.zeros_like(L0), np.zeros_like(L0)
        rel = []
        if shift:
            promised = -np.expm1(shift * np.log1p(-a13))
            rel.append(L0 * promised / (L0 * promised + 1e-300))
        for t, (Ws, dl) in enumerate(steps, start=1):
            drop = drop + dl
            log12 = log12 + np.log1p(-s.eta * sigma_min(end_to_end(Ws)) ** (2 * (N - 1) / N))
            for promised in (-np.expm1(log12), -np.expm1((t + shift) * np.log1p(-a13))):
                rel.append((drop + L0 * promised) / (L0 * promised + 1e-300))
        return np.max(rel, axis=0), np.ones_like(L0)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb] | None:
        s = exact_setting(inst, digits)
        if s is None:
            return None
        traj = exact_trajectory(s, STEPS)
        losses = [frobenius_sq(end_to_end_exact(Ws) - s.Phi) / 2 for Ws in traj]
        if losses[0] == 0:
            return flint.fmpq(int(shift > 0) - 1), flint.fmpq(1)
        worst = None
        with flint.ctx.workprec(bits(digits)):
            if eq13_rate == "c":
                base2 = flint.arb(s.c) ** 2
            else:
                base2 = eigenvalue_balls(gram(s.Phi), digits)[-1].nonnegative_part()
            a13 = flint.arb(s.eta) * (arb_pow(base2, s.N - 1, s.N) if s.N > 1
                                      else flint.arb(1))
            prod12 = flint.arb(1)
            L0 = flint.arb(losses[0])
            if shift:
                worst = flint.arb(1)
            for t in range(1, STEPS + 1):
                factor = 1 - flint.arb(s.eta) * sigma_rate(end_to_end_exact(traj[t - 1]), s.N,
                                                           digits)
                if not (factor >= 0 and factor <= 1 and a13 <= 1):
                    return flint.arb(1), flint.arb(1)
                prod12 *= factor
                for bound in (L0 * prod12, L0 * (1 - a13) ** (t + shift)):
                    promised = L0 - bound
                    rel = (flint.arb(losses[t]) - bound) / promised
                    worst = rel if worst is None else worst.max(rel)
        return worst, flint.arb(1)

    what = "(12) and (13)" + ("" if eq13_rate == "c" else " with σ_min(Φ) for c") + \
        ("" if not shift else f", (13) with exponent t + {shift}")
    return Property(hypothesis_domain(), margin, margin_hp, Tolerance(1e-9, 0.0),
                    rigorous=True, description=what + f", t + 1 = 1..{STEPS}, exact")


PRINTED = unrolled_property()

CLAIM = Claim(
    id="CONV-Eq12", paper=CONV, location="proof of Theorem 1, eqs. (12)-(13)",
    statement=STATEMENT,
    notes=f"Checked exactly for t + 1 = 1..{STEPS} from initializations meeting Theorem 1's "
          "hypotheses; margins are relative to the promised decrease L(0)(1 − ∏).",
    variants=(
        Variant("as-printed", "(12) and (13) along exact GD trajectories",
                (trials("exact-unrolled", PRINTED, count=256, certify=True),
                 search("unrolled-search", PRINTED, evaluations=4000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:sigma-phi", "(13) with σ_min(Φ) in place of the margin c",
                (trials("exact-unrolled", unrolled_property(eq13_rate="phi"), count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:off-by-one", "(13) with exponent t + 1 in place of t (and so also "
                "claimed at t = 0)",
                (trials("exact-unrolled", unrolled_property(shift=1), count=256),),
                expected=Verdict.REFUTED),
    ),
)
