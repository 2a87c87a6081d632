"""CONV-Lem2 — Appendix D.2, Lemma 2 (proof in D.2.3, eqs. (33)-(37)): the invariants.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 2. Suppose the conditions of Theorem 1 are satisfied. Then for all t ∈ N ∪ {0},
    (A(t)) For 1 ≤ j ≤ N−1, ‖W_{j+1}^T(t)W_{j+1}(t) − W_j(t)W_j^T(t)‖_F ≤ 2δ.
    (A'(t)) If t ≥ 1, then for 1 ≤ j ≤ N−1,
        ‖W_{j+1}^T(t)W_{j+1}(t) − W_j(t)W_j^T(t)‖_F
        ≤ ‖W_{j+1}^T(t−1)W_{j+1}(t−1) − W_j(t−1)W_j^T(t−1)‖_F
          + η^2 ‖dL^1/dW W(t−1)‖_F · ‖dL^1/dW W(t−1)‖_σ · 4 · (2‖Φ‖_F)^{2(N−1)/N}.
    (B(t)) If t = 0, then ℓ(t) ≤ ½‖Φ‖_F^2. If t ≥ 1, then
        ℓ(t) ≤ ℓ(t−1) − (η/2) σ_min(W(t−1))^{2(N−1)/N} ‖dL^1/dW(W(t−1))‖_F^2.
    (C(t)) For 1 ≤ j ≤ N, ‖W_j(t)‖_σ ≤ (4‖Φ‖_F)^{1/N}.

Checked exactly along GD trajectories from initializations meeting Theorem 1's hypotheses
(:func:`theorems.convergence.lem1.hypothesis_domain`: depth 1-3, widths 1-3, δ-balanced,
c and η rational at and below their printed bounds), at t = 0, ..., STEPS: layers, losses and
balancedness gaps squared are exact rationals; norms, σ_min^{2(N−1)/N}, (2‖Φ‖_F)^{2(N−1)/N}
and (4‖Φ‖_F)^{1/N} are rigorous balls. The excess is the largest of the four invariants',
each relative to its own bound (A: 2δ; A': the η^2 term; B: the promised decrease, or ½‖Φ‖_F^2
at t = 0; C: (4‖Φ‖_F)^{2/N}). In float64 (ranking only) the balancedness increment of A' is
computed from its exact second-order form: one GD step changes W_{j+1}^T W_{j+1} − W_j W_j^T by
η^2 (G_{j+1}^T G_{j+1} − G_j G_j^T) (G_j = dL/dW_j; the first-order terms cancel identically,
see the symbolic check), so it is resolved even at η ~ 1e-12.

Notes on the proof. (35) prints the increment as η^2 ‖∇‖_F^2 ‖∇‖_σ (…) and then as
4η^2 ‖∇‖_F^2 ‖∇‖_σ^2 (2‖Φ‖_F)^{2(N−1)/N}; both are typos for the statement's
η^2 ‖∇‖_F ‖∇‖_σ · 4(2‖Φ‖_F)^{2(N−1)/N} (each of the two second-order terms is bounded by
‖A‖_σ‖∇‖_σ‖B‖_σ‖∇‖_F‖C‖_σ with layer products ≤ 2(2‖Φ‖_F)^{2(N−1)/N} by Lemma 6), which
is what is checked. (36)-(37) then use ‖∇‖_σ ≤ ‖∇‖_F ≤ ‖Φ‖_F.

Verdict: holds on every instance checked (t ≤ STEPS; "for all t" beyond is not certified).

Mutant: A'(t) with η^3 in place of η^2 (the actual increment is of order η^2).
"""

from __future__ import annotations

from itertools import pairwise

import flint
import numpy as np
import sympy as sp

from theorems.convergence.lem1 import (
    arb_pow,
    end_to_end_exact,
    exact_setting,
    exact_trajectory,
    hypothesis_domain,
    setting,
    sigma_rate,
)
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, frobenius_sq, gram
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.increments import product_increment, whitened_loss_increment
from verify.core.measures import sigma_max, sigma_min
from verify.core.networks import WhitenedLoss, end_to_end, layer_gradients
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 2.** *Suppose the conditions of Theorem 1 are satisfied. Then for all  $t "
    r"\in \mathbb{N} \cup \{0\}$ ,*"
    "\n\n" r"$$(\mathcal{A}(t)) \text{ For } 1 \leq j \leq N-1, \|W_{j+1}^\top(t)W_{j+1}(t) - "
    r"W_j(t)W_j^\top(t)\|_F \leq 2\delta.$$"
    "\n\n" r"$$(\mathcal{A}'(t)) \text{ If } t \geq 1, \text{ then for } 1 \leq j \leq N-1,$$"
    "\n\n" r"$$\begin{aligned} &\|W_{j+1}^\top(t)W_{j+1}(t) - W_j(t)W_j^\top(t)\|_F \\ &\leq "
    r"\|W_{j+1}^\top(t-1)W_{j+1}(t-1) - W_j(t-1)W_j^\top(t-1)\|_F \\ &\quad + \eta^2 "
    r"\left\| \frac{dL^1}{dW} W(t-1) \right\|_F \cdot \left\| \frac{dL^1}{dW} W(t-1) "
    r"\right\|_\sigma \cdot 4 \cdot (2\|\Phi\|_F)^{2(N-1)/N}. \end{aligned}$$"
    "\n\n" r"$$(\mathcal{B}(t)) \text{ If } t = 0, \text{ then } \ell(t) \leq "
    r"\frac{1}{2}\|\Phi\|_F^2. \text{ If } t \geq 1, \text{ then}$$"
    "\n\n" r"$$\ell(t) \leq \ell(t-1) - \frac{\eta}{2}\sigma_{\min}(W(t-1))^{\frac{2(N-1)}{N}} "
    r"\left\| \frac{dL^1}{dW}(W(t-1)) \right\|_F^2.$$"
    "\n\n" r"$$(\mathcal{C}(t)) \text{ For } 1 \leq j \leq N, \|W_j(t)\|_\sigma \leq "
    r"(4\|\Phi\|_F)^{1/N}.$$")

STEPS = 3


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def _gaps(Ws: list[np.ndarray]) -> list[np.ndarray]:
    return [np.swapaxes(b, -1, -2) @ b - a @ np.swapaxes(a, -1, -2) for a, b in pairwise(Ws)]


def invariants_property(eta_power: int = 2) -> Property:
    """A, A', B, C at t = 0..STEPS; ``eta_power``: the power of η in A' (2 as printed)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        s = setting(batch)
        N, B = len(s.Ws), _fro(s.Phi)
        loss = WhitenedLoss(s.Phi)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = [0.5 * _fro(end_to_end(s.Ws) - s.Phi) ** 2 / (0.5 * B**2) - 1]
            Ws = s.Ws
            for t in range(STEPS + 1):
                rel += [sigma_max(W) ** 2 / (4 * B) ** (2 / N) - 1 for W in Ws]
                rel += [_fro(X) / (2 * s.delta) - 1 for X in _gaps(Ws)]
                if t == STEPS:
                    break
                W = end_to_end(Ws)
                grads = layer_gradients(Ws, loss)
                deltas = [-s.eta[:, None, None] * g for g in grads]
                dl = whitened_loss_increment(W, product_increment(Ws, deltas), s.Phi)
                g2 = _fro(W - s.Phi) ** 2
                promised = 0.5 * s.eta * sigma_min(W) ** (2 * (N - 1) / N) * g2
                rel.append((dl + promised) / (promised + 1e-300))
                term = s.eta**eta_power * np.sqrt(g2) * sigma_max(W - s.Phi) * 4 * \
                    (2 * B) ** (2 * (N - 1) / N)
                for X, (ga, gb) in zip(_gaps(Ws), pairwise(grads), strict=True):
                    dX = s.eta[:, None, None] ** 2 * (np.swapaxes(gb, -1, -2) @ gb
                                                      - ga @ np.swapaxes(ga, -1, -2))
                    inc = (2 * np.sum(X * dX, axis=(-2, -1)) + _fro(dX) ** 2) / \
                        (_fro(X + dX) + _fro(X) + 1e-300)
                    rel.append((inc - term) / (term + 1e-300))
                Ws = [W_ + d for W_, d in zip(Ws, deltas, strict=True)]
        return np.nan_to_num(np.max(rel, axis=0), nan=-1.0), np.ones_like(B)

    def margin_hp(inst: Instance, digits: int) -> tuple | None:
        s = exact_setting(inst, digits)
        if s is None:
            return None
        N = s.N
        traj = exact_trajectory(s, STEPS)
        B2 = frobenius_sq(s.Phi)
        with flint.ctx.workprec(bits(digits)):
            Bf = flint.arb(B2).sqrt()
            two_delta = 2 * flint.arb(s.c) ** 2 / (256 * N**3 * arb_pow(Bf, 2 * (N - 1), N))
            c_bound = arb_pow(4 * Bf, 2, N)
            a_factor = 4 * arb_pow(2 * Bf, 2 * (N - 1), N) * flint.arb(s.eta) ** eta_power
            losses = [frobenius_sq(end_to_end_exact(Ws) - s.Phi) / 2 for Ws in traj]
            worst = flint.arb(losses[0]) / (flint.arb(B2) / 2) - 1
            gaps = [[flint.arb(frobenius_sq(b.transpose() * b - a * a.transpose())).sqrt()
                     for a, b in pairwise(Ws)] for Ws in traj]
            for t, Ws in enumerate(traj):
                for L in Ws:
                    worst = worst.max(eigenvalue_balls(gram(L), digits)[0] / c_bound - 1)
                for g in gaps[t]:
                    worst = worst.max(g / two_delta - 1)
                if t == 0:
                    continue
                W = end_to_end_exact(traj[t - 1])
                g2 = frobenius_sq(W - s.Phi)
                if g2 == 0:
                    continue
                promised = flint.arb(s.eta) * sigma_rate(W, N, digits) * flint.arb(g2) / 2
                worst = worst.max((flint.arb(losses[t] - losses[t - 1]) + promised) / promised)
                spectral = eigenvalue_balls(gram(W - s.Phi), digits)[0].nonnegative_part().sqrt()
                term = a_factor * flint.arb(g2).sqrt() * spectral
                for now, before in zip(gaps[t], gaps[t - 1], strict=True):
                    worst = worst.max((now - before - term) / term)
        return worst, flint.arb(1)

    what = "A, A', B, C" + ("" if eta_power == 2 else f" (A' with η^{eta_power})")
    return Property(hypothesis_domain(), margin, margin_hp, Tolerance(1e-9, 0.0),
                    rigorous=True, description=f"{what} at t = 0..{STEPS}, exact")


def derive_first_order_cancellation() -> SymbolicOutcome:
    """One GD step changes W_{j+1}^T W_{j+1} − W_j W_j^T by η^2 (G_{j+1}^T G_{j+1} − G_j G_j^T):
    the first-order terms cancel (entrywise sympy, N = 3, widths (2, 2, 2, 1)); the two
    second-order terms are W_{1:j} ∇^T W_{j+2:N} W_{j+2:N}^T ∇ W_{1:j}^T and
    W_{j+1:N}^T ∇ W_{1:j−1}^T W_{1:j−1} ∇^T W_{j+1:N}."""
    eta = sp.Symbol("eta")
    widths = (2, 2, 2, 1)
    Ws = [sp.Matrix(widths[j + 1], widths[j], sp.symbols(f"w{j}_0:{widths[j] * widths[j + 1]}"))
          for j in range(3)]
    Phi = sp.Matrix(1, 2, sp.symbols("p0:2"))
    W = Ws[2] * Ws[1] * Ws[0]
    loss = sum(e**2 for e in (W - Phi)) / 2
    grads = [sp.Matrix(M.rows, M.cols, lambda i, k, M=M: sp.diff(loss, M[i, k])) for M in Ws]
    D = W - Phi
    formula = [Ws[1].T * Ws[2].T * D, Ws[2].T * D * Ws[0].T, D * (Ws[1] * Ws[0]).T]
    eq14 = all(sp.expand(g - f) == sp.zeros(*g.shape) for g, f in zip(grads, formula,
                                                                         strict=True))
    new = [M - eta * G for M, G in zip(Ws, grads, strict=True)]
    ok = eq14
    for j in range(2):
        change = (new[j + 1].T * new[j + 1] - new[j] * new[j].T) - \
            (Ws[j + 1].T * Ws[j + 1] - Ws[j] * Ws[j].T)
        second = eta**2 * (grads[j + 1].T * grads[j + 1] - grads[j] * grads[j].T)
        ok = ok and sp.expand(change - second) == sp.zeros(*change.shape)
    return SymbolicOutcome(bool(ok), "dL/dW_j = W_{j+1:N}^T ∇ W_{1:j−1}^T (14) and the "
                           "balancedness change of one GD step is η^2 (G_{j+1}^T G_{j+1} − "
                           "G_j G_j^T) exactly (first-order terms cancel), entrywise for "
                           f"widths {widths}: {ok}")


PRINTED = invariants_property()

CLAIM = Claim(
    id="CONV-Lem2", paper=CONV, location="App. D.2, Lemma 2; D.2.3 eqs. (33)-(37)",
    statement=STATEMENT,
    notes=f"Exact GD trajectories for t = 0..{STEPS} from Theorem 1's hypothesis domain; "
          "(35) prints the increment with ‖∇‖_F^2 ‖∇‖_σ and ‖∇‖_F^2 ‖∇‖_σ^2 (typos); the "
          "statement's ‖∇‖_F ‖∇‖_σ form is checked and is what the proof's bounds give.",
    variants=(
        Variant("as-printed", f"A, A', B, C at t = 0..{STEPS}, exact",
                (symbolic("first-order-cancellation", derive_first_order_cancellation),
                 trials("exact-invariants", PRINTED, count=128, certify=True),
                 search("search", PRINTED, evaluations=2000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:eta-cubed", "A'(t) with η^3 in place of η^2",
                (trials("exact-invariants", invariants_property(eta_power=3), count=128,
                        certify=True),),
                expected=Verdict.REFUTED),
    ),
)
