"""CONV-Lem13: the end-to-end matrix of a Gaussian-initialised network with d_N = 1 is
rotation-invariant.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", Appendix D.5 (Lemma 13). Footnote 13: a distribution of V ∈ R^d is
rotation-invariant if V and OV have the same distribution for every orthogonal O.

As printed:

    Lemma 13. "Let N, d_0, ..., d_{N−1} ∈ N, and set d_N = 1. Suppose W_j ∈ R^{d_j×d_{j−1}} for
    1 ≤ j ≤ N, are matrices whose entries are i.i.d. Gaussians with mean 0 and standard
    deviation s. Then, the distribution of W_{1:N} is rotation-invariant."

Checks:

* symbolic: the proof's step — the entries of W_1 O are jointly Gaussian (linear in W_1) with
  covariance E[(W_1 O)_{ij} (W_1 O)_{kl}] = s^2 δ_ik (O^T O)_jl = s^2 δ_ik δ_jl, derived with
  exact Gaussian moments for explicit orthogonal O (a rotation with a symbolic angle and a
  rational 3 × 3 Cayley rotation), so W_1 O ~ W_1 and W_{1:N} O = W_N ··· W_2 (W_1 O) ~ W_{1:N};
* Monte Carlo: a consequence that identifies the law of the direction — for a rotation-
  invariant V (V ≠ 0 a.s.), <V/‖V‖, v> for a unit v has the law of a coordinate of a uniform
  point of the sphere, so P(<V/‖V‖, v> >= τ) equals the closed form I_{1−τ^2}((d−1)/2, 1/2)/2
  (τ >= 0). The layers are sampled directly (16384 draws per width profile), the probability
  compared with the closed form through two one-sided Clopper-Pearson bounds (confidence
  1 − 1e-9 each); v (any direction of R^{d_0}) and τ in [−0.95, 0.95] are searched, N <= 3,
  d_0 in [2, 6], hidden widths in [1, 3] (width-1 bottlenecks included).

Verdict: true (supported; the symbolic step is the proof).

Variants:

* ``as-printed``.
* ``mutant:nonzero-mean``: entries with mean s instead of 0 (then W_{1:N} leans towards the
  all-ones direction and its law is not rotation-invariant).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.papers import CONV
from verify import probability
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import bits, fmpq
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Let  $N, d_0, \\dots, d_{N-1} \\in \\mathbb{N}$ , and set  $d_N = 1$ . Suppose  $W_j \\in "
    "\\mathbb{R}^{d_j \\times d_{j-1}}$  for  $1 \\leq j \\leq N$ , are matrices whose entries "
    "are i.i.d. Gaussians with mean 0 and standard deviation  $s$ . Then, the distribution of  "
    "$W_{1:N}$  is rotation-invariant."
)

TOLERANCE = Tolerance(rtol=1e-9, atol=0.0)
MC_SAMPLES = 1 << 14
MAX_DEPTH, MAX_WIDTH = 3, 3


@dataclass(frozen=True)
class Reading:
    """``mean``: the entries' mean in units of s (0 printed)."""

    mean: float = 0.0


PRINTED = Reading()


def widths(dims: Mapping[str, int]) -> tuple[int, ...]:
    """(d_0, ..., d_N) with d_N = 1."""
    N = int(dims["N"])
    return (int(dims["d0"]), *(int(dims[f"d{j}"]) for j in range(1, N)), 1)


def _dims_ok(dims: Mapping[str, int]) -> bool:
    return all(dims[f"d{j}"] == 1 for j in range(dims["N"], MAX_DEPTH))


@lru_cache(maxsize=128)
def _directions(w: tuple[int, ...], mean: float) -> np.ndarray:
    """W_{1:N}/||W_{1:N}|| for MC_SAMPLES draws of the layers (s = 1: the direction does not
    depend on s when the mean is a multiple of s), shape (MC_SAMPLES, d_0)."""
    rng = probability.fixed_rng("CONV-Lem13", *w)
    layers = [layer + mean for layer in probability.gaussian_layers(rng, w, 1.0, MC_SAMPLES)]
    W = layers[0]
    for layer in layers[1:]:
        W = layer @ W
    return W[:, 0, :] / np.linalg.norm(W[:, 0, :], axis=1, keepdims=True)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _count(w: tuple[int, ...], v: np.ndarray, tau: float, reading: Reading) -> int:
    return int(np.count_nonzero(_directions(w, reading.mean) @ _unit(v) >= tau))


def _sf_arb(d: int, tau: Fraction) -> flint.arb:
    """P(<x, e> >= tau) for x uniform on the unit sphere of R^d, in balls."""
    u = flint.arb(fmpq(abs(tau)))
    tail = probability.sphere_coordinate_sf_arb(d, u) if tau != 0 else flint.arb(1) / 2
    return tail if tau >= 0 else 1 - tail


def prop(reading: Reading = PRINTED) -> Property:
    """P(<W/||W||, v> >= tau) equals the uniform-sphere value: excess = distance of the exact
    value outside the two-sided Clopper-Pearson interval (<= 0 inside)."""

    def margin(batch: Batch):
        w = widths(batch)
        v, tau = batch["v"], batch["tau"]
        counts = np.array([_count(w, vi, ti, reading) for vi, ti in zip(v, tau, strict=True)])
        lower, upper = probability.clopper_pearson(counts, MC_SAMPLES)
        p = probability.sphere_coordinate_sf(w[0], tau)
        return np.maximum(lower - p, p - upper), np.maximum(p, counts / MC_SAMPLES)

    def margin_hp(instance: Instance, digits: int):
        w = widths(instance)
        v = np.array([float(x) for x in instance["v"]])
        tau = Fraction(instance["tau"])
        if np.linalg.norm(v) < 1e-3 or not -1 < tau < 1:
            return None
        count = _count(w, v, float(tau), reading)
        lower, upper = probability.clopper_pearson_hp(count, MC_SAMPLES, digits=digits)
        with flint.ctx.workprec(bits(digits)):
            p = _sf_arb(w[0], tau)
            lo = flint.arb(mpmath.nstr(lower, digits + 5))
            hi = flint.arb(mpmath.nstr(upper, digits + 5))
            return (lo - p).max(p - hi), p.max(flint.arb(count) / MC_SAMPLES)

    domain = Domain((Integer("N", 1, MAX_DEPTH), Integer("d0", 2, 6),
                     *(Integer(f"d{j}", 1, MAX_WIDTH) for j in range(1, MAX_DEPTH)),
                     Vector("v", "d0"), Real("tau", -0.95, 0.95)),
                    hypothesis=lambda b: np.linalg.norm(b["v"], axis=1) >= 1e-3,
                    dims_ok=_dims_ok)
    return Property(domain, margin, margin_hp, TOLERANCE, rigorous=False,
                    description="P(<W/||W||, v> >= tau) = uniform-sphere value")


# --------------------------------------------------------------------------- symbolic


def _cayley(K: sp.Matrix) -> sp.Matrix:
    """(I - K)(I + K)^{-1}: orthogonal for skew-symmetric K (rational for rational K)."""
    eye = sp.eye(K.shape[0])
    return (eye - K) * (eye + K).inv()


def derive_rotation_step() -> SymbolicOutcome:
    """Covariance of the entries of W_1 O from exact Gaussian moments, for a rotation with a
    symbolic angle (d_0 = 2, d_1 = 2) and a rational Cayley rotation (d_0 = 3, d_1 = 2)."""
    s, theta = sp.symbols("s theta", positive=True)
    lines, ok = [], True
    K = sp.Matrix([[0, sp.Rational(1, 2), -1], [-sp.Rational(1, 2), 0, sp.Rational(2, 3)],
                   [1, -sp.Rational(2, 3), 0]])
    cases = (("rotation by theta", sp.Matrix([[sp.cos(theta), -sp.sin(theta)],
                                              [sp.sin(theta), sp.cos(theta)]])),
             ("Cayley rotation of a rational skew matrix", _cayley(K)))
    for name, O in cases:
        d0, d1 = O.shape[0], 2
        W = sp.Matrix(d1, d0, lambda i, j: sp.Symbol(f"w{i}_{j}"))
        WO = list(W * O)
        orth = sp.simplify(O.T * O - sp.eye(d0)) == sp.zeros(d0, d0)
        cov_ok = True
        for p in range(len(WO)):
            for q in range(p, len(WO)):
                e = sp.simplify(probability.gaussian_expectation(WO[p] * WO[q], list(W), s))
                cov_ok &= sp.simplify(e - (s**2 if p == q else 0)) == 0
        mean_ok = all(probability.gaussian_expectation(x, list(W), s) == 0 for x in WO)
        good = orth and cov_ok and mean_ok
        ok &= good
        lines.append(f"{name} (d_1 = {d1}, d_0 = {d0}): O^T O = I, E[(W_1 O)] = 0 and "
                     f"Cov((W_1 O)_p, (W_1 O)_q) = s^2 [p = q] [{'ok' if good else 'FAILED'}]")
    lines.append("W_1 O is linear in W_1, hence jointly Gaussian: mean 0 and covariance s^2 I "
                 "identify the law of W_1; W_{1:N} O = W_N ... W_2 (W_1 O) with W_2, ..., W_N "
                 "independent of W_1, so W_{1:N} O ~ W_{1:N}")
    return SymbolicOutcome(bool(ok), "; ".join(lines))


# --------------------------------------------------------------------------- claim


def _checks(reading: Reading) -> tuple:
    p = prop(reading)
    return trials("direction", p, count=256), search("direction-search", p, evaluations=2000)


CLAIM = Claim(
    id="CONV-Lem13",
    paper=CONV,
    location="App. D.5, Lemma 13 (footnote 13 for the definition)",
    statement=STATEMENT,
    variants=(
        Variant("as-printed", "N <= 3, d_0 in [2, 6], hidden widths <= 3: the proof's "
                "covariance step derived; direction law tested by Monte Carlo",
                (symbolic("rotation-step", derive_rotation_step), *_checks(PRINTED)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:nonzero-mean", "entries with mean s (instead of 0)",
                _checks(Reading(mean=1.0)), expected=Verdict.REFUTED),
    ),
    notes=(
        "The symbolic check is the proof (covariance of W_1 O from exact Gaussian moments). "
        "The Monte Carlo check tests the law of the direction W/||W|| (uniform on the sphere "
        "under rotation invariance) against the incomplete-beta closed form with two-sided "
        "Clopper-Pearson bounds, 16384 direct draws of the layers per width profile. "
        "d_0 = 1 (invariance under O = -1, i.e. symmetry) is not sampled."
    ),
)
