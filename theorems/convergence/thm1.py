"""CONV-Thm1 — §3.2, Theorem 1, eqs. (7)-(8): linear convergence of GD.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Theorem 1. Assume that gradient descent is initialized such that the end-to-end matrix
    W_{1:N}(0) has deficiency margin c > 0 with respect to the target Φ, and the weights
    W_1(0), ..., W_N(0) are δ-balanced with δ = c^2/(256 · N^3 · ‖Φ‖_F^{2(N−1)/N}). Suppose
    also that the learning rate η meets:
        η ≤ c^{(4N−2)/N} / (6144 · N^3 · ‖Φ‖_F^{(6N−4)/N}).   (7)
    Then, for any ε > 0 and:
        T ≥ 1/(η · c^{2(N−1)/N}) · log(ℓ(0)/ε),   (8)
    the loss at iteration T of gradient descent — ℓ(T) — is no greater than ε.

Reformulation used by the checks: for a given T, (8) admits exactly the ε ≥ ℓ(0) exp(−η
c^{2(N−1)/N} T), so the conclusion is "ℓ(T) ≤ ℓ(0) exp(−η c^{2(N−1)/N} T) for every T ≥ 0"
(the symbolic check derives this equivalence). The excess is divided by the promised decrease
ℓ(0)(1 − exp(−a T)), a = η c^{2(N−1)/N}.

Verdict: holds on every instance checked. Instances meet the hypotheses exactly as in
CONV-Lem1 (:func:`theorems.convergence.lem1.hypothesis_domain`: depth 1-3, widths 1-3,
δ-balanced by construction, c and η rational below their printed bounds, verified exactly).

* ``printed-rate``: η at the printed bound (7) (η_frac ∈ [0.999, 1]), c ≥ half its largest
  admissible value, GD run to T = 10 000 steps, the conclusion checked at every 1000-th
  step, i.e. at the printed T of (8) for ε = ℓ(0) exp(−a T). float64 runs rank the
  instances (where they cannot resolve the promised decrease, mostly N = 3 with η ~ 1e-10,
  the float margin is a placeholder −1); every instance is re-run in ball arithmetic (arb,
  the core's :func:`verify.core.networks.gd_step` with
  :class:`verify.core.hp.ArbBackend`), so the check certifies the finite horizon. Rates
  a are small ((7)'s constants, a ≤ (c/‖Φ‖_F)^{(6N−4)/N}/(6144 N^3)): the horizon reaches
  a T ≤ 0.4 for N = 1 (ε down to ~0.67 ℓ(0)) and ~2e-3 for N = 3; the per-step inequalities
  that carry the proof to any T are checked exactly in CONV-Lem1 and CONV-Eq12.
* ``search``: the whole hypothesis space (c_frac, η_frac down to 0.01, W(0) anywhere in the
  margin ball, Φ of any scale), horizon 1 000 steps. Where the promised decrease is below
  1e-8 ℓ(0) or below the accumulated rounding (1e-12 t ‖Φ‖_F ‖W(0) − Φ‖_F), or ℓ(0) is below
  1e-16 ‖Φ‖_F^2, float64 GD cannot resolve it (steps below the weights' ulp, or a loss made
  of rounding); those float margins are nan and the instances are left to the exact
  per-step checks of CONV-Lem1/CONV-Eq12.

Mutant: (8) without the factor c^{2(N−1)/N} (T ≥ log(ℓ(0)/ε)/η), false once c < 1
(checked at the printed rate, horizon 1 000).
"""

from __future__ import annotations

import flint
import numpy as np
import sympy as sp

from theorems.convergence.lem1 import (
    arb_pow,
    end_to_end_exact,
    exact_setting,
    hypothesis_domain,
    setting,
)
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp import arb_backend, precision
from verify.core.hp_linalg import frobenius_sq
from verify.core.networks import WhitenedLoss, gd, value_and_gd_step
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Theorem 1.** *Assume that gradient descent is initialized such that the "
    r"end-to-end matrix  $W_{1:N}(0)$  has deficiency margin  $c > 0$  with respect to "
    r"the target  $\Phi$ , and the weights  $W_1(0), \dots, W_N(0)$  are  $\delta$ "
    r"-balanced with  $\delta = c^2 / (256 \cdot N^3 \cdot \|\Phi\|_F^{2(N-1)/N})$ . "
    r"Suppose also that the learning rate  $\eta$  meets:*"
    "\n\n" r"$$\eta \leq \frac{c^{(4N-2)/N}}{6144 \cdot N^3 \cdot \|\Phi\|_F^{(6N-4)/N}}. \quad "
    r"(7)$$"
    "\n\n" r"Then, for any  $\epsilon > 0$  and:"
    "\n\n" r"$$T \geq \frac{1}{\eta \cdot c^{2(N-1)/N}} \cdot \log \left( "
    r"\frac{\ell(0)}{\epsilon} \right), \quad (8)$$"
    "\n\n" r"the loss at iteration  $T$  of gradient descent —  $\ell(T)$  — is no greater than  "
    r"$\epsilon$ .")

HORIZON, EVERY = 10_000, 1_000
SEARCH_HORIZON, SEARCH_EVERY = 1_000, 250
RESOLVABLE = 1e-8
FLOAT_NOISE = 1e-12
"""Float64 GD perturbs ℓ by about ulp · ‖Φ‖_F · ‖W − Φ‖_F per step; promised decreases below
FLOAT_NOISE · t · ‖Φ‖_F · ‖W(0) − Φ‖_F (a generous multiple) are not resolved either."""
"""Promised relative decreases below this are beyond float64 GD (steps below the ulp of the
weights): such float margins are nan (not ranked); their exact per-step content is CONV-Lem1's."""


def rate_property(horizon: int, every: int, printed_rate: bool, with_c: bool = True,
                  unresolved: float = np.nan) -> Property:
    """ℓ(t) ≤ ℓ(0) exp(−a t) at t = every, 2 every, ..., horizon (a = η c^{2(N−1)/N}, or η
    without the c factor). ``unresolved``: the float margin given where float64 cannot
    resolve the promised decrease (nan: not ranked; a number: ranked there and left to the
    ball-arithmetic re-run)."""
    domain = hypothesis_domain(c_frac=(0.5, 1.0), eta_frac=(0.999, 1.0), t_W=(0.05, 0.9)) \
        if printed_rate else hypothesis_domain()

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        s = setting(batch)
        N = len(s.Ws)
        ok = s.c > 0
        eta = np.where(ok, s.eta, 0.0)
        a = eta * (np.maximum(s.c, 0.0) ** (2 * (N - 1) / N) if with_c else 1.0)
        traj = gd(s.Ws, WhitenedLoss(s.Phi), eta, horizon, record_every=every)
        L0 = traj.losses[0]
        phi2 = np.sum(s.Phi**2, axis=(-2, -1))
        rel = []
        for t, Lt in zip(traj.steps[1:], traj.losses[1:], strict=True):
            promised = -L0 * np.expm1(-a * t)
            noise = FLOAT_NOISE * t * np.sqrt(phi2 * 2 * L0)
            resolvable = (promised > RESOLVABLE * L0) & (promised > noise) & \
                (L0 > RESOLVABLE**2 * phi2)
            rel.append(np.where(resolvable, (Lt - L0 + promised) / np.maximum(promised, 1e-300),
                                np.where(L0 > 0, unresolved, 0.0)))
        return np.max(rel, axis=0), np.ones_like(L0)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb] | None:
        s = exact_setting(inst, digits)
        if s is None:
            return None
        L0 = frobenius_sq(end_to_end_exact(s.Ws) - s.Phi) / 2
        if L0 == 0:
            return flint.fmpq(-1), flint.fmpq(1)
        xp = arb_backend(digits)
        loss = WhitenedLoss(np.asarray([[s.Phi[i, j] for j in range(s.Phi.ncols())]
                                        for i in range(s.Phi.nrows())], dtype=object))
        worst = None
        with precision(xp):
            a = flint.arb(s.eta) * (arb_pow(flint.arb(s.c) ** 2, s.N - 1, s.N)
                                    if with_c and s.N > 1 else 1)
            Ws = [flint.arb_mat(W) for W in s.Ws]
            for t in range(1, horizon + 1):
                _, Ws = value_and_gd_step(Ws, loss, s.eta, xp=xp)
                if t % every:
                    continue
                prod = Ws[0]
                for W in Ws[1:]:
                    prod = W * prod
                Lt = xp.sum_squares(prod - loss.data(xp)["Phi"]) / 2
                promised = L0 * (1 - (-a * t).exp())
                rel = (Lt - L0 + promised) / promised
                worst = rel if worst is None else worst.max(rel)
        return worst, flint.arb(1)

    what = "ℓ(t) ≤ ℓ(0) exp(−η c^{2(N−1)/N} t)" if with_c else "ℓ(t) ≤ ℓ(0) exp(−η t)"
    return Property(domain, margin, margin_hp, Tolerance(1e-9, 0.0), rigorous=True,
                    description=f"{what} for t ≤ {horizon}" +
                    (", η at the printed bound" if printed_rate else ""))


def _derive() -> SymbolicOutcome:
    """(8) ⟺ ε ≥ ℓ(0) exp(−a T), and 1 − x ≤ exp(−x) (the step from (13) to (8))."""
    a, T, l0, eps, x = sp.symbols("a T ell0 epsilon x", positive=True)
    t_star = sp.log(l0 / eps) / a
    checks = [sp.simplify(l0 * sp.exp(-a * t_star) - eps) == 0]
    f = sp.exp(-x) - (1 - x)
    checks.append(f.subs(x, 0) == 0)
    checks.append(sp.simplify(sp.diff(f, x) - (1 - sp.exp(-x))) == 0)
    checks.append(sp.solve(sp.Eq(l0 * sp.exp(-a * T), eps), T) == [t_star.expand(force=True)]
                  or sp.simplify(sp.solve(sp.Eq(l0 * sp.exp(-a * T), eps), T)[0] - t_star)
                  == 0)
    if all(checks):
        return SymbolicOutcome(True, "T* = log(ℓ0/ε)/a solves ℓ0 exp(−a T) = ε, so (8) ⟺ "
                                     "ε ≥ ℓ0 exp(−a T); 1 − x ≤ exp(−x) (equal at 0, "
                                     "derivative 1 − exp(−x) ≥ 0) turns (13) into (8)")
    return SymbolicOutcome(False, f"symbolic steps failed: {checks}")


PRINTED_RATE = rate_property(HORIZON, EVERY, printed_rate=True, unresolved=-1.0)
SEARCH = rate_property(SEARCH_HORIZON, SEARCH_EVERY, printed_rate=False)

CLAIM = Claim(
    id="CONV-Thm1", paper=CONV, location="§3.2, Theorem 1, eqs. (7), (8)",
    statement=STATEMENT,
    notes=f"GD is run at the printed rate (7) to T = {HORIZON} steps and re-run in ball "
          "arithmetic; with (7)'s constants this covers log(ℓ(0)/ε) up to ~1 for N = 1 but "
          "only ~1e-3 for N = 3. The per-step facts behind any T (Lemma 1, eqs. (12)-(13)) "
          "are checked exactly in CONV-Lem1 and CONV-Eq12.",
    variants=(
        Variant("as-printed", "ℓ(T) ≤ ε for every T allowed by (8), under (7) and the "
                "margin/balancedness hypotheses",
                (symbolic("symbolic-8", _derive),
                 trials("printed-rate", PRINTED_RATE, count=32, certify=True),
                 search("search", SEARCH, evaluations=800)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:no-c", "(8) without the factor c^{2(N−1)/N}: T ≥ log(ℓ(0)/ε)/η",
                (trials("printed-rate", rate_property(SEARCH_HORIZON, SEARCH_EVERY,
                                                      printed_rate=True, with_c=False),
                        count=64),),
                expected=Verdict.REFUTED),
    ),
)
