"""CONV-Claim4: without approximate balancedness, GD can fail for every learning rate.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", App. C (Claim 4); proof in App. D.6 (eqs. (50)-(51), Lemma 17).

The claim is existential: for every eta > 0, even N and d, a target (Phi = I_d,
sigma_min = 1) such that for every c in (0, 1) some initialization has deficiency margin c
and a loss that never goes below a positive constant. It is checked by building the proof's
construction, *exactly in rationals*:

* c' = max{c, 3/4} (the proof's WLOG), q = 1 - (1 - c')/N (so c' <= q^N < 1 by Bernoulli's
  inequality; q plays c^{1/N} and makes every quantity rational), end-to-end value q^N;
* A = the smallest power of two at least every term of (50), with the last term corrected as
  in CONV-Lem17 (the printed A breaks Lemma 17's base case when c is near 1; the claim only
  needs some A, and any A above the corrected maximum works);
* W_j(0) = diag(A q, 1, ..., 1) for j <= N/2 and diag(q / A, 1, ..., 1) for j > N/2 (51);
* steps(N) exact GD steps (3; 2 for N = 6; ``networks.gd_step`` with the FMPQ backend) on
  1/2 ||W_{1:N} - I||_F^2.

Checked exactly: the deficiency margin c at t = 0 (||W_{1:N}(0) - I||_F <= 1 - c); for
t = 1..steps(N), l(t) >= (2^N - 1)^2 / 2, the layers stay diag(w_j(t), 1, ..., 1), and Lemma 17's
invariant holds for the w_j(t) (one sign, alternating; m >= 2; eta m^{2N-1} >= 20 M). The
inductive step of Lemma 17, certified in CONV-Lem17, then carries the invariant, hence
l(t) >= (2^N - 1)^2 / 2, to every t >= 1: the claim holds for the whole range checked
(eta in [1e-6, 1e6], c in (0, 1 - 1e-9], N in {2, 4, 6}, d in {1, 2, 3}).

Variants: ``as-printed`` (supported: exact certificates plus a search); mutants:
``balanced-init`` (A = 1, i.e. the 0-balanced W_j(0) = diag(q, 1, ..., 1): l(1) is far below
the bound, GD converges) and ``from-t0`` (the bound claimed at t = 0 as well).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.convergence.lem17 import diag_mat, excess_le, largest, lemma_excess, trajectory
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import networks as nw
from verify.core.hp import FMPQ
from verify.domain import Batch, Domain, Instance, Integer, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Assume gradient descent with some learning rate  $\\eta > 0$  is applied to a network "
    "whose depth  $N$  is even, and whose input, output and hidden dimensions  "
    "$d_0, \\dots, d_N$  are all equal to some  $d \\in \\mathbb{N}$ . Then, there exist target "
    "matrices  $\\Phi$  such that the following holds. For any  $c$  with  "
    "$0 < c < \\sigma_{\\min}(\\Phi)$ , there are initializations for which the end-to-end "
    "matrix  $W_{1:N}(0)$  has deficiency margin  $c$  with respect to  $\\Phi$ , and yet "
    "convergence will fail — objective will never go beneath a positive constant."
)

def steps(N: int) -> int:
    """Exact GD steps checked: 3, or 2 for N = 6 (the rationals grow like (2N-1)^t bits)."""
    return 3 if N <= 4 else 2

TOLERANCE = Tolerance(rtol=0.0, atol=0.0)


@dataclass(frozen=True)
class Reading:
    """``balanced``: A = 1 (mutant); ``from_t``: first step at which the loss bound is claimed."""

    balanced: bool = False
    from_t: int = 1


PRINTED = Reading()


def _pow2_at_least(x: Fraction, k: int) -> int:
    """Smallest integer e with (2^e)^k >= x (x > 0)."""
    e = (x.numerator.bit_length() - x.denominator.bit_length()) // k
    while Fraction(2) ** (e * k) < x:
        e += 1
    while Fraction(2) ** ((e - 1) * k) >= x:
        e -= 1
    return e


def amplitude(N: int, eta: Fraction, q: Fraction) -> Fraction:
    """The power of two A >= every term of the corrected (50) at c' = q^N (exact)."""
    c = q ** N
    last = 20 * Fraction(10) ** (2 * N - 1) / (min(eta, Fraction(1)) ** (2 * N)
                                               * (1 - c) ** (2 * N - 1))
    needs = [(eta * N, 2), (2 / (eta * (1 - c) * q ** (N - 1)), 1), (Fraction(2000), 1),
             (20 / eta, 1), (last, 2 * N - 2)]
    return Fraction(2) ** max(_pow2_at_least(x, k) for x, k in needs)


def construction(N: int, d: int, eta: Fraction, c: Fraction,
                 reading: Reading) -> tuple[list[Any], Fraction]:
    """The exact initial layers (FMPQ) and q (c^{1/N} of the proof)."""
    q = 1 - (1 - max(c, Fraction(3, 4))) / N
    A = Fraction(1) if reading.balanced else amplitude(N, eta, q)
    ones = [FMPQ.scalar(1)] * (d - 1)
    layers = [diag_mat(FMPQ, [FMPQ.scalar(A * q if j < N // 2 else q / A), *ones])
              for j in range(N)]
    return layers, q


@cache
def claim_excess(N: int, d: int, eta: Fraction, c: Fraction, reading: Reading) -> flint.fmpq:
    """Max of the normalised excesses: margin c at t = 0, and for t = 1..steps(N) the loss bound,
    the diag(w, 1, ..., 1) form and Lemma 17's invariant (all exact; cached, since the float
    tier and the exact re-check evaluate the same instance)."""
    layers, _ = construction(N, d, eta, c, reading)
    loss = nw.WhitenedLoss(np.eye(d))
    bound = FMPQ.scalar(Fraction((2 ** N - 1) ** 2, 2))
    eta_q = FMPQ.scalar(eta)
    dist_sq = FMPQ.sum_squares(nw.end_to_end(layers, FMPQ) - diag_mat(FMPQ, [FMPQ.scalar(1)] * d))
    excesses = [excess_le(dist_sq, FMPQ.scalar((1 - c) ** 2))]
    if reading.from_t == 0:
        excesses.append(excess_le(bound, loss.value(nw.end_to_end(layers, FMPQ), FMPQ)))
    for t, ws in enumerate(trajectory(layers, eta_q, steps(N), FMPQ, np.eye(d)), start=1):
        excesses.append(excess_le(bound, loss.value(nw.end_to_end(ws, FMPQ), FMPQ)))
        rest = [abs(w[i, k] - int(i == k)) for w in ws for i in range(d) for k in range(d)
                if (i, k) != (0, 0)]
        excesses.append(largest([FMPQ.scalar(0), *rest]))
        excesses.append(lemma_excess([w[0, 0] for w in ws], 1 if t % 2 else -1, eta_q, N, FMPQ))
    return largest(excesses)


def _domain() -> Domain:
    """N even in {2, 4, 6}; d in {1, 2, 3}; eta log-uniform in [1e-6, 1e6]; gap = 1 - c
    log-uniform in [1e-9, 1) (c in (0, 1 - 1e-9])."""
    return Domain(variables=(Integer("N", 2, 6), Integer("d", 1, 3),
                             Real("eta", 1e-6, 1e6, log=True),
                             Real("gap", 1e-9, 1.0, log=True, open_high=True)),
                  dims_ok=lambda dims: dims["N"] % 2 == 0)


def _exact(instance: Instance) -> tuple[int, int, Fraction, Fraction] | None:
    N, d = instance["N"], instance["d"]
    eta, gap = Fraction(instance["eta"]), Fraction(instance["gap"])
    if N % 2 or d < 1 or eta <= 0 or not 0 < gap < 1:
        return None
    return N, d, eta, 1 - gap


def _margin(reading: Reading) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """Float tier: the same exact computation, rounded (float64 overflows within two steps)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = len(batch["eta"])
        out = np.empty(n)
        for i in range(n):
            N, d, eta, c = _exact({"N": batch["N"], "d": batch["d"], "eta": batch["eta"][i],
                                   "gap": batch["gap"][i]})
            value = claim_excess(N, d, eta, c, reading)
            out[i] = int(value.p) / int(value.q)
        return out, np.ones(n)

    return margin


def _margin_hp(reading: Reading) -> Callable[[Instance, int], tuple | None]:
    def margin_hp(instance: Instance, digits: int) -> tuple | None:
        args = _exact(instance)
        if args is None:
            return None
        return claim_excess(*args, reading), flint.fmpq(1)

    return margin_hp


def prop(reading: Reading) -> Property:
    """Claim 4's construction as an exact property."""
    return Property(_domain(), _margin(reading), _margin_hp(reading), TOLERANCE, rigorous=True,
                    description="margin c at t = 0, loss >= (2^N-1)^2/2 and Lemma 17 for t >= 1")


def sampler(rng: np.random.Generator, total: int) -> list[Batch]:
    """Log-uniform eta, gap per (N, d), plus the grid of eta decades x gaps near 0 and 1."""
    batches = []
    for N in (2, 4, 6):
        for d in (1, 2, 3):
            size = max(1, total // 18)
            batches.append({"N": N, "d": d,
                            "eta": np.exp(rng.uniform(np.log(1e-6), np.log(1e6), size)),
                            "gap": np.exp(rng.uniform(np.log(1e-9), 0.0, size))})
        etas, gaps = np.meshgrid(10.0 ** np.arange(-6, 7, 4), [0.999, 0.25, 1e-3, 1e-9])
        batches.append({"N": N, "d": 1 + N // 3, "eta": etas.ravel(), "gap": gaps.ravel()})
    return batches


# --------------------------------------------------------------------------- symbolic


def _is_zero(expr: sp.Expr) -> bool:
    return sp.simplify(expr) == 0


@cache
def derive_reduction() -> SymbolicOutcome:
    """Sympy: (a) diag(w_j, 1) layers stay of that form under GD on 1/2 ||W_{1:N} - I||_F^2
    (entrywise gradients, d = 2, N = 2, 4), the first entries following the scalar step;
    (b) l >= (2^N - 1)^2 / 2 when every |w_j| >= 2 with one sign (N even); (c) Bernoulli:
    (1 - g/N)^N >= 1 - g on [0, 1]; (d) margin: ||W_{1:N}(0) - I||_F = 1 - q^N <= 1 - c."""
    steps: dict[str, bool] = {}
    eta = sp.Symbol("eta", positive=True)
    for N in (2, 4):
        mats = [sp.Matrix(2, 2, sp.symbols(f"a{j}_0:4", real=True)) for j in range(N)]
        w = sp.symbols(f"w0:{N}", real=True)
        W = sp.eye(2)
        for M in mats:
            W = M * W
        loss = sp.Rational(1, 2) * sum(e ** 2 for e in (W - sp.eye(2)))
        at = {}
        for j, M in enumerate(mats):
            at.update({M[0, 0]: w[j], M[0, 1]: 0, M[1, 0]: 0, M[1, 1]: 1})
        scalar = sp.Rational(1, 2) * (sp.Mul(*w) - 1) ** 2
        ok = True
        for j, M in enumerate(mats):
            new = [sp.simplify((M[i] - eta * sp.diff(loss, M[i])).subs(at)) for i in range(4)]
            ok &= (_is_zero(new[0] - (w[j] - eta * sp.diff(scalar, w[j])))
                   and new[1] == 0 and new[2] == 0 and new[3] == 1)
        steps[f"d = 2, N = {N}: diag(w_j, 1) is preserved and w_j follows the scalar step"] = ok
    P, g = sp.symbols("P g", nonnegative=True)
    for N in (2, 4, 6):
        loss_gap = _is_zero(sp.expand((P - 1) ** 2 - (2 ** N - 1) ** 2
                                      - (P - 2 ** N) * (P + 2 ** N - 2)))
        f = (1 - g / N) ** N - (1 - g)
        bernoulli = (f.subs(g, 0) == 0
                     and _is_zero(sp.diff(f, g) - (1 - (1 - g / N) ** (N - 1))))
        steps[f"N = {N}: (P-1)^2 - (2^N-1)^2 = (P - 2^N)(P + 2^N - 2) >= 0 for P >= 2^N; "
              "f(g) = (1-g/N)^N - (1-g) has f(0) = 0 and f' = 1 - (1-g/N)^(N-1) >= 0"] = (
            loss_gap and bernoulli)
    details = "; ".join(f"{text} [{'ok' if ok else 'FAILED'}]" for text, ok in steps.items())
    return SymbolicOutcome(all(steps.values()), details)


def _variant(name: str, description: str, reading: Reading, expected: Verdict,
             with_symbolic: bool = False) -> Variant:
    p = prop(reading)
    checks = (trials("construction", p, sampler=sampler, count=144),
              search("construction-search", p, evaluations=800))
    if with_symbolic:
        checks = (symbolic("reduction", derive_reduction), *checks)
    return Variant(name, description, checks, expected=expected)


CLAIM = Claim(
    id="CONV-Claim4",
    paper=CONV,
    location="App. C (Claim 4); App. D.6, eqs. (50)-(51), Lemma 17",
    statement=STATEMENT,
    variants=(
        _variant("as-printed",
                 "Phi = I_d; for each eta, c the exact construction (51) with a power-of-two A "
                 "above the corrected (50): margin c at t = 0, loss >= (2^N-1)^2/2 and Lemma "
                 "17's invariant for t = 1..steps(N) (extended to all t by Lemma 17's certified "
                 "inductive step)", PRINTED, Verdict.SUPPORTED, with_symbolic=True),
        _variant("mutant:balanced-init",
                 "the same claim for the 0-balanced initialization W_j(0) = diag(q, 1, ..., 1) "
                 "(A = 1): the imbalance is dropped", Reading(balanced=True), Verdict.REFUTED),
        _variant("mutant:from-t0", "the loss bound (2^N - 1)^2 / 2 claimed from t = 0 on",
                 Reading(from_t=0), Verdict.REFUTED),
    ),
    notes=(
        "Existential claim, verified through the proof's construction in exact rationals with "
        "A corrected as in CONV-Lem17 (the printed A of (50) breaks Lemma 17 for c near 1, "
        "although the loss still explodes in the examples run). 'supported' rather than "
        "'certified' only because search checks never certify; the trials certify exactly."
    ),
)
