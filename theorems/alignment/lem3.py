"""ALIGN-Lem3 (App. C, proof of Proposition 2): the products of the k-th singular values stay in
``(0, lambda'_k / lambda_k]``.

Printed statement (seed 001, App. C): "Lemma 3. 0 < S^(j) <= lambda'_k / lambda_k for all
j >= 0." Here ``S^(t) = prod_{i=1}^d sigma_i^(t)`` and the values follow the per-value update
rule of App. C, ``sigma_i^(t+1) = sigma_i^(t) + gamma/n prod_{j != i} sigma_j^(t) (lambda'_k -
lambda_k prod_j sigma_j^(t))`` (the corrected eq. (6) of ALIGN-Cor1, whose exact GD check shows
that aligned GD follows it), i.e. eq. (13) with ``eta = gamma lambda_k / n``. The hypotheses are
"the original assumptions in Proposition 2": ``sigma_i^(0) > 0``, ``S^(0) < lambda'_k /
lambda_k`` (the proof uses ``<=``; the boundary is sampled too) and ``gamma <= (n ln 2 / d)
min_i sigma_i^(0)^2 lambda_k / lambda'_k^2`` (Proposition 2 leaves i unbound; the proof uses the
minimum over i).

Checks: sympy derives eq. (13) from the App. C rule; trials and a search iterate the rule
for ``STEPS`` steps over depths 1..4, sample sizes 1..4, learning rates up to the bound (the
bound itself included) and initial products up to the target, in ball arithmetic (``ln 2`` is
irrational); the instances with S^(0) on the target keep a ball around 0, so the variant is
supported rather than certified.

Mutant: the learning-rate bound with the proof's typo ``lambda_k / lambda_k^2`` (= 1/lambda_k,
losing the factor ``(lambda_k / lambda'_k)^2``) lets S overshoot ``lambda'_k / lambda_k``.
"""

from __future__ import annotations

import math
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.alignment.cor1 import update_rule
from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"$0 < S^{(j)} \le \frac{\lambda'_k}{\lambda_k}$  for all  $j \ge 0$ .")

DEPTH = 4
STEPS = 60
"""Steps of the update rule per instance."""
TOL = Tolerance(rtol=1e-9, atol=1e-12)
RATES = ("printed", "proof-typo")
"""Learning-rate bound: Proposition 2's ``lambda_k / lambda'_k^2``, or the proof's typo
``lambda_k / lambda_k^2``."""


def _repair(batch: Batch) -> Batch:
    """Where ``snap < 1/4`` put S^(0) on the target (q = 1) and gamma on its bound (g = 1);
    where ``snap < 1/8`` make all sigma_i^(0) equal (balanced)."""
    out = dict(batch)
    snap = batch["snap"]
    out["q"] = np.where(snap < 1 / 4, 1.0, batch["q"])
    out["g"] = np.where(snap < 1 / 4, 1.0, batch["g"])
    sig = batch["sig"].copy()
    sig[snap < 1 / 8] = sig[snap < 1 / 8, :1]
    out["sig"] = sig
    return out


DOMAIN = Domain((Integer("d", 1, DEPTH), Integer("n", 1, 4), Vector("sig", DEPTH, 0.05, 2.0),
                 Real("lam", 0.05, 4.0, log=True), Real("q", 0.02, 1.0, log=True),
                 Real("g", 0.01, 1.0), Real("snap", 0.0, 1.0)), repair=_repair)
"""sigma_i^(0) = sig[:d] > 0, lambda_k = lam, lambda'_k = lam S^(0) / q (so S^(0) = q
lambda'_k/lambda_k <= lambda'_k/lambda_k), gamma = g times the learning-rate bound."""


def rate_bound(sig: Any, lam: Any, lamp: Any, n: int, d: int, rate: str, ln2: Any) -> Any:
    """Proposition 2's ``(n ln 2 / d) min_i sigma_i^(0)^2 lambda_k / lambda'_k^2`` (or the
    proof's typo ``lambda_k / lambda_k^2``)."""
    smin = sig[0]
    for s in sig[1:d]:
        smin = np.minimum(smin, s) if isinstance(smin, np.ndarray) else min(smin, s)
    ratio = lam / lamp ** 2 if rate == "printed" else lam / lam ** 2
    return n * ln2 / d * smin ** 2 * ratio


def setup(inst: Any, rate: str, exact: bool) -> tuple[list[Any], Any, Any, Any]:
    """``(sigma^(0), lambda_k, lambda'_k, gamma)`` of an instance (batched float, or arb)."""
    d, n = inst["d"], inst["n"]
    if exact:
        conv = [flint.arb(flint.fmpq(v.numerator, v.denominator)) for v in inst["sig"][:d]]
        lam, q, g = (flint.arb(flint.fmpq(inst[k].numerator, inst[k].denominator))
                     for k in ("lam", "q", "g"))
        ln2 = flint.arb.log(flint.arb(2))
    else:
        conv = [inst["sig"][:, i] for i in range(d)]
        lam, q, g, ln2 = inst["lam"], inst["q"], inst["g"], math.log(2)
    S0 = conv[0]
    for s in conv[1:]:
        S0 = S0 * s
    lamp = lam * S0 / q
    return conv, lam, lamp, g * rate_bound(conv, lam, lamp, n, d, rate, ln2)


def run_rule(sig: list[Any], lam: Any, lamp: Any, gamma: Any, n: int, steps: int,
             stop: Any = None) -> list[Any]:
    """``S^(0), ..., S^(steps)`` under the App. C rule (ALIGN-Cor1's corrected update);
    ``stop(S)`` (optional) ends the run early, e.g. once a violation is certain (a diverging
    run would otherwise make ball arithmetic blow up)."""
    s = [[v] for v in sig]
    out = []
    for t in range(steps + 1):
        S = s[0][0]
        for row in s[1:]:
            S = S * row[0]
        out.append(S)
        if t == steps or (stop is not None and stop(S)):
            break
        s = update_rule(s, [lam], [lamp], gamma, n, printed=False)
    return out


def lemma_property(rate: str = "printed") -> Property:
    """``max_{t <= STEPS} max(S^(t) - lambda'/lambda, -S^(t)) <= 0`` (a diverging float run
    is clipped to ``|S| <= 4 lambda'/lambda``, which keeps the sign of every violation)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        sig, lam, lamp, gamma = setup(batch, rate, exact=False)
        c = lamp / lam
        with np.errstate(all="ignore"):
            S = np.clip(np.array(run_rule(sig, lam, lamp, gamma, batch["n"], STEPS)),
                        -4 * c, 4 * c)
            excess = np.nanmax(np.maximum(S - c, -S), axis=0)
        return np.nan_to_num(excess, nan=np.inf, posinf=1e300), c

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        with flint.ctx.workprec(bits(digits)):
            sig, lam, lamp, gamma = setup(inst, rate, exact=True)
            c = lamp / lam
            worst = None
            for S in run_rule(sig, lam, lamp, gamma, inst["n"], STEPS,
                              stop=lambda S: bool(S > c) or bool(S <= 0)):
                for e in (S - c, -S):
                    worst = e if worst is None else worst.max(e)
            return worst, c

    return Property(DOMAIN, margin, margin_hp, TOL, rigorous=True,
                    description=f"0 < S^(t) <= lambda'/lambda for t <= {STEPS} ({rate} rate)")


def derive_eq13() -> SymbolicOutcome:
    """Eq. (13) from the App. C rule: with ``eta = gamma lambda / n`` and ``S = prod sigma_j``,
    ``gamma/n prod_{j != i} sigma_j (lambda' - lambda S) = eta S / sigma_i (lambda'/lambda -
    S)`` for d = 1..4 (the rule itself is :func:`theorems.alignment.cor1.update_rule`)."""
    ok = []
    for d in range(1, DEPTH + 1):
        sig = sp.symbols(f"s1:{d + 1}", positive=True)
        lam, lamp, gamma, n = sp.symbols("lambda lambda_p gamma n", positive=True)
        rule = update_rule([[s] for s in sig], [lam], [lamp], gamma, n, printed=False)
        S = sp.Mul(*sig)
        eta = gamma * lam / n
        ok.extend(sp.simplify(rule[i][0] - (sig[i] + eta * S / sig[i] * (lamp / lam - S))) == 0
                  for i in range(d))
    holds = all(ok)
    return SymbolicOutcome(holds, "eq. (13) equals the App. C per-value rule identically for "
                           "d = 1..4" if holds else f"eq. (13) differs: {ok}")


CLAIM = Claim(
    id="ALIGN-Lem3",
    paper=ALIGN,
    location="App. C (proof of Proposition 2; seed 000: proof of Proposition 1)",
    statement=STATEMENT,
    notes=("Seed 000 prints the same lemma inside its 'Proof of Proposition 1' (= 001's "
           "Proposition 2). The hypotheses are Proposition 2's: sigma_i^(0) > 0, S^(0) < "
           "lambda'_k/lambda_k (the induction starts from <=; the boundary is sampled) and "
           "gamma <= (n ln 2/d) min_i sigma_i^(0)^2 lambda_k/lambda'_k^2 (i unbound in the "
           "statement; the proof's minimum over i). Both files print the proof's rate as "
           "'lambda_k/lambda_k^2', a typo for lambda_k/lambda'_k^2 (kept as a mutant, which "
           "fails). 'For all j' is checked for j <= 60 (S is monotone, so later steps only "
           "approach the target)."),
    variants=(
        Variant("as-printed",
                "0 < S^(j) <= lambda'_k/lambda_k for j <= 60 under Proposition 2's hypotheses "
                "(ball arithmetic)",
                (symbolic("derivation-eq13", derive_eq13),
                 trials("lemma", lemma_property(), count=256),
                 search("lemma-search", lemma_property())),
                expected=Verdict.SUPPORTED),
        Variant("mutant:proof-typo-rate",
                "learning-rate bound with lambda_k/lambda_k^2 (the proof's typo) instead of "
                "lambda_k/lambda'_k^2",
                (trials("lemma", lemma_property("proof-typo"), count=256),),
                expected=Verdict.REFUTED),
    ),
)
