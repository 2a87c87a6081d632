"""ALIGN-Prop2 (§4.3; App. C eqs. (13)-(17)): an explicit learning rate for linear convergence
under strong alignment.

Printed statement (seed 001, §4.3): "For k in [r], let sigma_k(W_i) denote the kth entry of
Sigma_i in the usSVD of W_i, and let lambda_k, lambda'_k denote the kth entries of Lambda,
Lambda' respectively. Under the conditions of Corollary 1 and assuming that sigma_k(W_i^(0)) > 0
and prod_{i=1}^d sigma_k(W_i^(0)) < lambda'_k / lambda_k for all k in [r], if the learning rate
satisfies gamma <= (n ln 2 / d) min_k sigma_k(W_i^(0))^2 lambda_k / lambda'_k^2 then gradient
descent only updates the top r singular values of the solution and converges linearly to the
global minimum." App. C proves it through eqs. (13)-(17): ``lambda'/lambda - S^(t+1) =
(lambda'/lambda - S^(t)) r^(t)`` with ``r^(t) = 1 - sum_{T subset [d]: |T| > 1} eta^|T|
S^(|T|+1) (lambda'/lambda - S)^(|T|-1) prod_{i in T} sigma_i^-2`` and the rate
``lambda'/lambda - S^(t) <= (lambda'/lambda - S^(0)) (1 - d eta S^(0)^(2-2/d))^t``.

**As printed, refuted (proof typo)**: seed 001 sums over ``|T| > 1`` in eqs. (14), (15) and
(17); the expansion of ``prod_i (sigma_i + eta S/sigma_i (c - S))`` gives ``|T| >= 1`` (seed
000 prints ``>=``). sympy derives the expansion for d = 1..4; at d = 2, sigma = (1/2, 1/2),
c = 1/2, eta = 1/4 the printed (14) misses the |T| = 1 terms. **Corrected** (``|T| >= 1``):
the derivation holds identically, and the printed rate is checked on

* the per-value rule (ALIGN-Cor1's corrected eq. (6)) in ball arithmetic:
  ``|c_k - S_k^(t)| <= (c_k - S_k^(0)) rho_k^t`` for t <= 60, ``rho_k = 1 - d eta_k
  S_k^(0)^(2-2/d)``, over Lemma 3's domain;
* real GD on the network (the engine's float ``gd_step``) from aligned layers with random
  frames, widths 2..3 (bottlenecks), d = 2, 3, on interpolable data meeting the block condition
  (``X = V B_x P^T``, ``Y = U diag(c) V^T X``): every ``S_k(t)`` (read off
  ``F_i^T W_i(t) F_{i-1}``) obeys the rate and the loss goes to 0 at least as fast as
  ``loss(0) max_k rho_k^(2t)``; measured contraction factors are reported.

"Converges to the global minimum" needs interpolable data (Definition 3's invariance includes
that the limit interpolates; App. C ends with App. E's zero-loss argument). Mutant
``dropped-interpolability``: widths (3, 2, 3), X = I, Y = diag(c_1, c_2, y_3) with y_3 above
c_1, c_2: GD converges to diag(c_1, c_2, 0), loss y_3^2/(2n), not the best rank-2 fit
(Eckart-Young). Mutant ``proof-typo-rate``: the proof's ``lambda_k/lambda_k^2`` rate.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.alignment.lem3 import DOMAIN as RULE_DOMAIN
from theorems.alignment.lem3 import run_rule, setup
from theorems.papers import ALIGN
from verify.budget import RunContext
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.alignment import aligned_layers, trajectory
from verify.core.balanced_layers import cayley
from verify.core.hp_linalg import bits
from verify.core.networks import end_to_end
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.figures import curves_svg, with_figures
from verify.results import Figure
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"For  $k \in [r]$ , let  $\sigma_k(W_i)$  denote the kth entry of  "
    r"$\Sigma_i$  in the usSVD of  $W_i$ , and let  $\lambda_k$ ,  $\lambda'_k$  denote the kth "
    r"entries of  $\Lambda$ ,  $\Lambda'$  respectively. Under the conditions of Corollary 1 and "
    r"assuming that  $\sigma_k(W_i^{(0)}) > 0$  and  $\prod_{i=1}^d \sigma_k(W_i^{(0)}) < "
    r"\frac{\lambda'_k}{\lambda_k}$  for all  $k \in [r]$ , if the learning rate satisfies  "
    r"$\gamma \leq \frac{n \ln 2}{d} \cdot \min_k \frac{\sigma_k(W_i^{(0)})^2 \lambda_k}"
    r"{\lambda'_k^2}$  then gradient descent only updates the top r singular values of the "
    r"solution and converges linearly to the global minimum.")

STEPS = 60
NET_STEPS = 80
DEPTH = 3
WIDTH = 3
TOL = Tolerance(rtol=1e-9, atol=1e-12)
NET_TOL = Tolerance(rtol=1e-8, atol=1e-12)


# --------------------------------------------------------------------------- eqs. (14)-(17)


def expansion_terms(sig: list[Any], eta: Any, c: Any, strict: bool) -> Any:
    """The sum of eq. (14): ``sum_{T subset [d], |T| > 1 (strict) or >= 1} eta^|T|
    S^(|T|+1) (c - S)^|T| prod_{i in T} sigma_i^-2``."""
    d = len(sig)
    S = sp.Mul(*sig) if isinstance(sig[0], sp.Basic) else math.prod(sig)
    total: Any = 0
    for size in range(2 if strict else 1, d + 1):
        for T in combinations(range(d), size):
            term = eta ** size * S ** (size + 1) * (c - S) ** size
            for i in T:
                term = term / sig[i] ** 2
            total = total + term
    return total


def derive_expansion(strict: bool) -> tuple[bool, list[Any]]:
    """``c - S^(t+1)`` (from eq. (13), S^(t+1) = prod_i (sigma_i + eta S/sigma_i (c - S)))
    minus eq. (14)'s right-hand side, and eq. (15)/(17)'s factored form, for d = 1..4."""
    eta, c = sp.symbols("eta c", positive=True)
    diffs = []
    for d in range(1, 5):
        sig = list(sp.symbols(f"s1:{d + 1}", positive=True))
        S = sp.Mul(*sig)
        nxt = sp.Mul(*[s + eta * S / s * (c - S) for s in sig])
        rhs14 = c - S - expansion_terms(sig, eta, c, strict)
        r = 1 - sp.cancel(expansion_terms(sig, eta, c, strict) / (c - S))
        diffs.append(sp.simplify(c - nxt - rhs14))
        diffs.append(sp.simplify(c - nxt - (c - S) * r))
    return all(e == 0 for e in diffs), diffs


def eq14_property(strict: bool) -> Property:
    """One step of eq. (13) against eq. (14) (``|T| > 1`` if strict, as printed in 001):
    excess ``|c - S^(1) - rhs(14)|``, on Lemma 3's instances."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        sig, lam, lamp, gamma = setup(batch, "printed", exact=False)
        c, eta = lamp / lam, gamma * lam / batch["n"]
        S1 = run_rule(sig, lam, lamp, gamma, batch["n"], 1)[1]
        S = math.prod(sig)
        rhs = c - S - expansion_terms(sig, eta, c, strict)
        return np.abs(c - S1 - rhs), c

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with flint.ctx.workprec(bits(digits)):
            sig, lam, lamp, gamma = setup(inst, "printed", exact=True)
            c, eta = lamp / lam, gamma * lam / inst["n"]
            S1 = run_rule(sig, lam, lamp, gamma, inst["n"], 1)[1]
            S = math.prod(sig)
            return abs(c - S1 - (c - S - expansion_terms(sig, eta, c, strict))), c

    return Property(RULE_DOMAIN, margin, margin_hp, TOL, rigorous=True,
                    description=f"eq. (14) with |T| {'>' if strict else '>='} 1")


def eq14_counterexample() -> Instance:
    """d = 2, n = 1, sigma^(0) = (1/2, 1/2), lambda = 1, S^(0) = c/2 (c = 1/2), gamma at half
    the bound."""
    F = Fraction
    return {"d": 2, "n": 1, "sig": np.array([F(1, 2)] * 4, dtype=object), "lam": F(1),
            "q": F(1, 2), "g": F(1, 2), "snap": F(1)}


def derive_printed() -> SymbolicOutcome:
    holds, diffs = derive_expansion(strict=True)
    return SymbolicOutcome(
        holds, "eqs. (14)/(15)/(17) with |T| > 1 (seed 001) differ from the expansion of "
        f"prod_i (sigma_i + eta S/sigma_i (c - S)): at d = 1 the difference is {diffs[0]} "
        "(the |T| = 1 terms are missing)", None if holds else eq14_counterexample())


def derive_corrected() -> SymbolicOutcome:
    holds, diffs = derive_expansion(strict=False)
    return SymbolicOutcome(
        holds, "eq. (13) => eqs. (14), (15)-(17) with |T| >= 1 (seed 000) identically for "
        "d = 1..4" if holds else f"expansion differs: {diffs}")


# --------------------------------------------------------------------------- rate, per value


def rate_property(rate: str = "printed") -> Property:
    """``|c - S^(t)| <= (c - S^(0)) (1 - d eta S^(0)^(2-2/d))^t`` for t <= STEPS (a diverging
    run is cut at ``|S| > 4c``, clipped in float, which keeps every violation)."""

    def check(S: list[Any], c: Any, rho: Any) -> Any:
        return [abs(c - s) - (c - S[0]) * rho ** t for t, s in enumerate(S)]

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        sig, lam, lamp, gamma = setup(batch, rate, exact=False)
        d, c = batch["d"], lamp / lam
        eta = gamma * lam / batch["n"]
        with np.errstate(all="ignore"):
            S = list(np.clip(run_rule(sig, lam, lamp, gamma, batch["n"], STEPS),
                             -4 * c, 4 * c))
            rho = 1 - d * eta * S[0] ** (2 - 2 / d)
            excess = np.nanmax(np.array(check(S, c, rho)), axis=0)
        return np.nan_to_num(excess, nan=np.inf, posinf=1e300), c

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with flint.ctx.workprec(bits(digits)):
            sig, lam, lamp, gamma = setup(inst, rate, exact=True)
            d, c = inst["d"], lamp / lam
            eta = gamma * lam / inst["n"]
            S = run_rule(sig, lam, lamp, gamma, inst["n"], STEPS,
                         stop=lambda s: bool(abs(s) > 4 * c))
            rho = 1 - d * eta * S[0] ** flint.arb(flint.fmpq(2 * d - 2, d))
            worst = None
            for e in check(S, c, rho):
                worst = e if worst is None else worst.max(e)
            return worst, c

    return Property(RULE_DOMAIN, margin, margin_hp, TOL, rigorous=True,
                    description=f"per-value rate (1 - d eta S0^(2-2/d))^t, {rate} learning rate")


# --------------------------------------------------------------------------- network GD


def _net_repair(batch: Batch) -> Batch:
    """Where ``snap < 1/4``, all layers start with equal values (balanced) and gamma sits on
    its bound."""
    out = dict(batch)
    snap = batch["snap"]
    sg = batch["Sg"].copy()
    sg[snap < 1 / 4] = sg[snap < 1 / 4, :1, :]
    out["Sg"] = sg
    out["g"] = np.where(snap < 1 / 4, 1.0, batch["g"])
    return out


def _widths(batch: Any) -> list[int]:
    return [int(batch[f"k{i}"]) for i in range(batch["d"] + 1)]


NET_DOMAIN = Domain(
    (Integer("d", 2, DEPTH), *(Integer(f"k{i}", 2, WIDTH) for i in range(DEPTH + 1)),
     Integer("n", 3, 4), *(Matrix(f"R{i}", f"k{i}", f"k{i}") for i in range(DEPTH + 1)),
     Matrix("P", "n", "n"), Vector("sx", WIDTH, 0.3, 2.0), Matrix("Xb", WIDTH, 4),
     Matrix("Sg", DEPTH, WIDTH, 0.2, 1.5), Vector("q", WIDTH, 0.05, 0.95),
     Real("g", 0.05, 1.0), Real("snap", 0.0, 1.0)),
    repair=_net_repair)
"""Aligned layers F_i diag(Sg[i-1]) F_{i-1}^T (Cayley frames), X = V B_x P^T with B_x =
diag(sx) (+) Xb-block, targets c_k = S_k(0)/q_k, Y = U diag(c) V^T X, gamma = g x bound."""


def network_setup(batch: Batch) -> dict[str, Any]:
    """Frames, layers, data, targets c_k, lambda_k and gamma of a network batch."""
    d, n = batch["d"], batch["n"]
    ks = _widths(batch)
    r = min(ks)
    F = [cayley(batch[f"R{i}"]) for i in range(d + 1)]
    B = batch["Sg"].shape[0]
    sig = [batch["Sg"][:, i, :r] for i in range(d)]
    S0 = np.prod(np.stack(sig), axis=0)
    c = S0 / batch["q"][:, :r]
    Bx = np.zeros((B, ks[0], n))
    idx = np.arange(r)
    Bx[:, idx, idx] = batch["sx"][:, :r]
    Bx[:, r:, r:] = batch["Xb"][:, : ks[0] - r, : n - r]
    X = F[0] @ Bx @ np.swapaxes(cayley(batch["P"]), -1, -2)
    D = np.zeros((B, ks[d], ks[0]))
    D[:, idx, idx] = c
    Y = F[d] @ D @ np.swapaxes(F[0], -1, -2) @ X
    lam = batch["sx"][:, :r] ** 2
    lamp = c * lam
    smin = np.min(np.stack(sig), axis=0)
    bound = n * math.log(2) / d * np.min(smin ** 2 * lam / lamp ** 2, axis=-1)
    W = aligned_layers(F, [batch["Sg"][:, i] for i in range(d)])
    return {"F": F, "W": W, "X": X, "Y": Y, "c": c, "lam": lam, "S0": S0,
            "gamma": batch["g"] * bound, "r": r}


def _loss(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    R = Y - end_to_end(W) @ X
    return np.sum(R ** 2, axis=(-2, -1)) / (2 * X.shape[-1])


def network_run(batch: Batch) -> dict[str, Any]:
    """Float GD on the network; per-value products S_k(t), losses and rates rho_k."""
    s = network_setup(batch)
    traj = trajectory(s["W"], s["X"], s["Y"], s["gamma"], NET_STEPS)
    d, r, F = batch["d"], s["r"], s["F"]
    S = []
    for W in traj:
        diag = [np.diagonal(np.swapaxes(F[i + 1], -1, -2) @ W[i] @ F[i], axis1=-2,
                            axis2=-1)[:, :r] for i in range(d)]
        S.append(np.prod(np.stack(diag), axis=0))
    eta = s["gamma"][:, None] * s["lam"] / batch["n"]
    rho = 1 - d * eta * s["S0"] ** (2 - 2 / d)
    loss = np.array([_loss(W, s["X"], s["Y"]) for W in traj])
    return {**s, "S": np.array(S), "rho": rho, "loss": loss}


def network_property() -> Property:
    """Real GD: ``|c_k - S_k(t)| <= (c_k - S_k(0)) rho_k^t`` and ``loss(t) <= loss(0)
    max_k rho_k^(2t)`` for t <= NET_STEPS. Float only: the re-check re-runs the float GD on
    the exact instance (the per-value rule that GD follows is certified exactly in ALIGN-Cor1
    and checked in ball arithmetic by ``rate-rule``)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        run = network_run(batch)
        t = np.arange(NET_STEPS + 1)[:, None, None]
        c, S, rho = run["c"], run["S"], run["rho"]
        rate = np.abs(c - S) - (c - S[0]) * rho ** t
        loss = run["loss"]
        bound = loss[0] * np.max(rho, axis=-1) ** (2 * t[:, :, 0])
        excess = np.maximum(np.max(rate, axis=(0, 2)),
                            np.max(loss - bound, axis=0) / np.maximum(np.max(c, axis=-1), 1))
        return excess, np.max(c, axis=-1)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        batch = {k: (v if isinstance(v, int) else
                     np.asarray(v, dtype=float)[None] if isinstance(v, np.ndarray)
                     else np.array([float(v)])) for k, v in inst.items()}
        excess, scale = margin(batch)
        return float(excess[0]), float(scale[0])

    return Property(NET_DOMAIN, margin, margin_hp, NET_TOL,
                    description="network GD obeys the per-value rate; loss -> 0 linearly")


def convergence_figure(ctx: RunContext) -> list[Figure]:
    """Measured gaps ``|c_k - S_k(t)|`` of one drawn network against the printed bound
    ``(c_k - S_k(0)) rho_k^t``, with the measured contraction factors in the title."""
    rng = ctx.rng("figure")
    dims = NET_DOMAIN.all_dims()[int(rng.integers(len(NET_DOMAIN.all_dims())))]
    batch = NET_DOMAIN.repair(NET_DOMAIN.sample(rng, 1, dims))
    run = network_run(batch)
    t = np.arange(NET_STEPS + 1)
    series = {}
    measured = []
    for k in range(run["r"]):
        gap = np.abs(run["c"][0, k] - run["S"][:, 0, k])
        rho = run["rho"][0, k]
        series[f"|c_{k + 1} - S_{k + 1}(t)| (GD)"] = (t, gap)
        series[f"bound, rho_{k + 1} = {rho:.4f}"] = (t, gap[0] * rho ** t)
        measured.append((gap[-1] / gap[0]) ** (1 / NET_STEPS) if gap[0] > 0 else 0.0)
    series["loss (GD)"] = (t, run["loss"][:, 0])
    title = ("Prop. 2: measured contraction " + ", ".join(f"{m:.4f}" for m in measured)
             + " vs printed rho")
    return [Figure(title, curves_svg(series, "ALIGN-Prop2", "GD step t", "value"))]


# --------------------------------------------------------------------------- global minimum


MUT_DOMAIN = Domain((Integer("n", 3, 3), Vector("c", 2, 0.5, 1.5), Real("y3", 2.0, 4.0),
                     Vector("sig", 2, 0.2, 0.6), Real("g", 0.2, 1.0)))
"""Widths (3, 2, 3), X = I_3, Y = diag(c_1, c_2, y3) (identity frames, so the block condition
holds with r = 2 and Lambda = I, Lambda' = diag(c)); sigma_k(W_1) = sigma_k(W_2) = sig_k."""


def mutant_property() -> Property:
    """``loss(T) <= L* + (loss(0) - L*) max_k rho_k^(2T)`` with L* the best rank-2 loss
    (Eckart-Young: y3 > c_k, so L* = min(c)^2/(2n)). The hp re-check runs the per-value rule
    in ball arithmetic (the third value is never updated: widths (3, 2, 3))."""

    def parts(inst: Any, exact: bool) -> tuple[Any, ...]:
        n = inst["n"]
        ln2 = flint.arb.log(flint.arb(2)) if exact else math.log(2)
        conv = (lambda v: flint.arb(flint.fmpq(v.numerator, v.denominator))) if exact else \
            (lambda v: v)
        c = [conv(v) for v in (inst["c"][0], inst["c"][1])] if exact else \
            [inst["c"][:, 0], inst["c"][:, 1]]
        sig = [conv(inst["sig"][0]), conv(inst["sig"][1])] if exact else \
            [inst["sig"][:, 0], inst["sig"][:, 1]]
        y3, g = conv(inst["y3"]), conv(inst["g"])
        bounds = [n * ln2 / 2 * sig[k] ** 2 / c[k] ** 2 for k in range(2)]
        gamma = g * (bounds[0].min(bounds[1]) if exact else np.minimum(*bounds))
        return n, c, sig, y3, gamma

    def evaluate(S: list[list[Any]], n: int, c: list[Any], y3: Any, rho: Any,
                 exact: bool) -> tuple[Any, Any]:
        loss0 = (sum((c[k] - S[k][0]) ** 2 for k in range(2)) + y3 ** 2) / (2 * n)
        lossT = (sum((c[k] - S[k][-1]) ** 2 for k in range(2)) + y3 ** 2) / (2 * n)
        best = (c[0].min(c[1]) if exact else np.minimum(*c)) ** 2 / (2 * n)
        return lossT - best - (loss0 - best) * rho ** (2 * NET_STEPS), loss0

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n, c, sig, y3, gamma = parts(batch, exact=False)
        B = y3.shape[0]
        W1 = np.zeros((B, 2, 3))
        W2 = np.zeros((B, 3, 2))
        for k in range(2):
            W1[:, k, k] = sig[k]
            W2[:, k, k] = sig[k]
        X = np.broadcast_to(np.eye(3), (B, 3, 3)).copy()
        Y = np.zeros((B, 3, 3))
        Y[:, 0, 0], Y[:, 1, 1], Y[:, 2, 2] = c[0], c[1], y3
        traj = trajectory([W1, W2], X, Y, gamma, NET_STEPS)
        S0 = [sig[k] ** 2 for k in range(2)]
        eta = gamma / n
        rho = np.maximum(*[1 - 2 * eta * S0[k] for k in range(2)])
        loss0, lossT = _loss(traj[0], X, Y), _loss(traj[-1], X, Y)
        best = np.minimum(*c) ** 2 / (2 * n)
        return lossT - best - (loss0 - best) * rho ** (2 * NET_STEPS), loss0

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with flint.ctx.workprec(bits(digits)):
            n, c, sig, y3, gamma = parts(inst, exact=True)
            S = [run_rule([sig[k], sig[k]], flint.arb(1), c[k], gamma, n, NET_STEPS)
                 for k in range(2)]
            eta = gamma / n
            rho = (1 - 2 * eta * S[0][0]).max(1 - 2 * eta * S[1][0])
            return evaluate(S, n, c, y3, rho, exact=True)

    return Property(MUT_DOMAIN, margin, margin_hp, TOL, rigorous=True,
                    description="non-interpolable data: GD reaches the best rank-2 loss")


CLAIM = Claim(
    id="ALIGN-Prop2",
    paper=ALIGN,
    location="§4.3; App. C eqs. (13)-(17) (seed 000: Proposition 1, App. C)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Seed 000 numbers this Proposition 1. Differences: 001 prints |T| > 1 in eqs. (14), "
           "(15) and (17), 000 prints |T| >= 1, which is what the expansion gives (001's are "
           "typos: the as-printed variant is refuted by the derivation, the corrected one uses "
           ">=). Both print the rate in the proof as 'lambda_k/lambda_k^2' (typo for "
           "lambda_k/lambda'_k^2; a mutant). The statement's sigma_k(W_i^(0)) has i unbound; "
           "the proof uses min_i. 'Global minimum' is zero loss (App. E), which needs "
           "interpolable data (Definition 3's invariance); 'only updates the top r singular "
           "values' is ALIGN-Cor1's corrected eq. (6), checked exactly there."),
    variants=(
        Variant("as-printed",
                "eqs. (14), (15), (17) as printed in seed 001 (|T| > 1), with the rate",
                (symbolic("derivation-eq14-17", derive_printed,
                          replay=eq14_property(strict=True).margin_hp),
                 trials("eq14", eq14_property(strict=True), count=64),
                 trials("rate-rule", rate_property(), count=256)),
                expected=Verdict.REFUTED),
        Variant("corrected",
                "|T| >= 1 in eqs. (14), (15), (17) (as in seed 000); the printed rate holds for "
                "the per-value rule (ball arithmetic) and for real GD on the network, whose loss "
                "goes to 0 linearly",
                (symbolic("derivation-eq14-17", derive_corrected),
                 trials("eq14", eq14_property(strict=False), count=64),
                 trials("rate-rule", rate_property(), count=256),
                 search("rate-rule-search", rate_property()),
                 with_figures(trials("rate-network", network_property(), count=64),
                              convergence_figure)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:dropped-interpolability",
                "converges to the global minimum without interpolable data: widths (3, 2, 3), "
                "X = I, Y = diag(c_1, c_2, y_3), y_3 > c_k",
                (trials("global-min", mutant_property(), count=32),),
                expected=Verdict.REFUTED),
        Variant("mutant:proof-typo-rate",
                "the rate with the proof's lambda_k/lambda_k^2",
                (trials("rate-rule", rate_property("proof-typo"), count=256),),
                expected=Verdict.REFUTED),
    ),
)
