"""CONV-Lem5 — Appendix D.2.1, Lemma 5, eqs. (16)-(18): approximate balancedness.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 5. Suppose that d_N <= d_{N-1}, d_0 <= d_1, and that for some nu > 0, M > 0, the
    matrices W_j in R^{d_j x d_{j-1}}, 1 <= j <= N satisfy, for 1 <= j <= N-1,
        ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F <= nu,     (15)
    and for 1 <= j <= N, ||W_j||_sigma <= M. Then, for 1 <= j <= N,
        ||W_{1:j}^T W_{1:j} - (W_1^T W_1)^j||_F <= 3/2 nu M^{2(j-1)} j^2,     (16)
    and
        ||W_{j:N} W_{j:N}^T - (W_N W_N^T)^{N-j+1}||_F <= 3/2 nu M^{2(N-j)} (N-j+1)^2.   (17)
    Moreover, if sigma_min denotes the minimum singular value of W_{1:N}, sigma_{1,min}
    denotes the minimum singular value of W_1 and sigma_{N,min} denotes the minimum singular
    value of W_N, then
        sigma_min^2 - 3/2 nu M^{2(N-1)} N^2 <= { sigma_{N,min}^{2N} : d_N >= d_0.
                                                { sigma_{1,min}^{2N} : d_N <= d_0.   (18)

Verdict: (16) and (17) hold; (18) as printed is **false** — its two cases are swapped. The
proof derives ``sigma_{N,min}^{2N} >= sigma_min^2 - ...`` under "Suppose first that
d_N <= d_0" (the (d_N, d_N) entry of the eigenvalues of W_{1:N} W_{1:N}^T is sigma_min^2 only
then) and the sigma_{1,min} bound when d_0 <= d_N. Appendix D.2.2 only uses
``max{lambda_D^N, lambda_E^N} >= sigma_min^2 - ...``, which the corrected form implies, so the
slip does not propagate to Lemma 7 or Theorem 1. Exact
counterexample (N = 2, d = (1, 2, 2), exactly 0-balanced, so any nu > 0 and M = 1 qualify):
``W_1 = [1; 0]``, ``W_2 = diag(1, 0)``: ``W_2^T W_2 = W_1 W_1^T = diag(1, 0)``,
``W_{1:2} = [1; 0]`` has sigma_min = 1, but d_N = 2 >= d_0 = 1 and sigma_{N,min} = 0, so (18)
would need ``1 - 6 nu <= 0``. The ``corrected`` variant swaps the cases (sigma_{N,min} when
d_N <= d_0, sigma_{1,min} when d_N >= d_0), which is what the proof shows.

Checks. The statement is monotone in nu and M, so it holds iff it holds at the tightest
admissible values ``nu = max_j ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F`` (balancedness exactly at
nu; nu -> 0+ for exactly balanced layers) and ``M = max_j ||W_j||_sigma``. Layers are
``W_j = U_j Sigma U_{j-1}^T + eps P_j`` (:func:`verify.core.balanced_layers.network_domain`:
depths 1..4, widths 1..3 with d_N <= d_{N-1}, d_0 <= d_1, zero singular values frequent,
eps log-uniform in [1e-6, 1]). The high-precision margin is rigorous: exact rational layers,
exact Frobenius norms (square roots as balls) and ball enclosures of the extreme eigenvalues
of Gram matrices (:mod:`verify.core.hp_spectrum`).

Mutants: (16) without the factor M^{2(j-1)}; (16) with 3/2 replaced by 1/8; the corrected
(18) without its slack term.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.balanced_layers import (
    balancedness_sq_exact,
    network_domain,
    network_layers,
    network_layers_exact,
)
from verify.core.hp_linalg import bits, frobenius_sq, gram
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.measures import balancedness, sigma_max, sigma_min
from verify.core.networks import end_to_end
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 5.** *Suppose that  $d_N \leq d_{N-1}, d_0 \leq d_1$ , and that for some  "
    r"$\nu > 0, M > 0$ , the matrices  $W_j \in \mathbb{R}^{d_j \times d_{j-1}}, 1 \leq j "
    r"\leq N$  satisfy, for  $1 \leq j \leq N-1$ ,*"
    "\n\n" r"$$\|W_{j+1}^\top W_{j+1} - W_j W_j^\top\|_F \leq \nu, \quad (15)$$"
    "\n\n" r"and for  $1 \leq j \leq N$ ,  $\|W_j\|_\sigma \leq M$ . Then, for  $1 \leq j \leq "
    r"N$ ,"
    "\n\n" r"$$\|W_{1:j}^\top W_{1:j} - (W_1^\top W_1)^j\|_F \leq \frac{3}{2}\nu \cdot "
    r"M^{2(j-1)}j^2, \quad (16)$$"
    "\n\n" r"and"
    "\n\n" r"$$\|W_{j:N} W_{j:N}^\top - (W_N W_N^\top)^{N-j+1}\|_F \leq \frac{3}{2}\nu \cdot "
    r"M^{2(N-j)}(N-j+1)^2. \quad (17)$$"
    "\n\n" r"Moreover, if  $\sigma_{\min}$  denotes the minimum singular value of  $W_{1:N}$ ,  "
    r"$\sigma_{1,\min}$  denotes the minimum singular value of  $W_1$  and  "
    r"$\sigma_{N,\min}$  denotes the minimum singular value of  $W_N$ , then"
    "\n\n" r"$$\sigma_{\min}^2 - \frac{3}{2}\nu M^{2(N-1)}N^2 \leq \begin{cases} "
    r"\sigma_{N,\min}^{2N} & : d_N \geq d_0. \\ \sigma_{1,\min}^{2N} & : d_N \leq d_0. "
    r"\end{cases} \quad (18)$$")


def _dims_ok(d: Mapping[str, int]) -> bool:
    N = d["N"]
    return d[f"d{N}"] <= d[f"d{N - 1}"] and d["d0"] <= d["d1"]


DOMAIN = network_domain(perturbed=True, dims_ok=_dims_ok)


# --------------------------------------------------------------------------- float64


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def _T(A: np.ndarray) -> np.ndarray:
    return np.swapaxes(A, -1, -2)


def nu_M(Ws: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Tightest (nu, M): the balancedness (15) and the largest spectral norm."""
    return balancedness(Ws), np.max([sigma_max(W) for W in Ws], axis=0)


def _matrix_power(A: np.ndarray, p: int) -> np.ndarray:
    return np.linalg.matrix_power(A, p)


def products_property(eq: int, constant: float = 1.5, with_M: bool = True) -> Property:
    """(16) (``eq = 16``) or (17) (``eq = 17``) for every j, at the tightest (nu, M)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws = network_layers(batch)
        N = len(Ws)
        nu, M = nu_M(Ws)
        excess, scale = [], []
        for j in range(1, N + 1):
            if eq == 16:
                P = end_to_end(Ws[:j])
                lhs = _fro(_T(P) @ P - _matrix_power(_T(Ws[0]) @ Ws[0], j))
                p, n = j - 1, j
            else:
                P = end_to_end(Ws[j - 1:])
                lhs = _fro(P @ _T(P) - _matrix_power(Ws[-1] @ _T(Ws[-1]), N - j + 1))
                p, n = N - j, N - j + 1
            rhs = constant * nu * (M ** (2 * p) if with_M else 1.0) * n**2
            excess.append(lhs - rhs)
            scale.append(lhs + rhs + M ** (2 * n))
        return np.max(excess, axis=0), np.max(scale, axis=0)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        Ws = network_layers_exact(inst)
        N = len(Ws)
        with flint.ctx.workprec(bits(digits)):
            nu, M2 = nu_M_exact(Ws, digits)
            excess, scale = None, None
            for j in range(1, N + 1):
                if eq == 16:
                    P = _product(Ws[:j])
                    lhs = _fro_ball(P.transpose() * P - (Ws[0].transpose() * Ws[0]) ** j)
                    p, n = j - 1, j
                else:
                    P = _product(Ws[j - 1:])
                    WN = Ws[-1] * Ws[-1].transpose()
                    lhs = _fro_ball(P * P.transpose() - WN ** (N - j + 1))
                    p, n = N - j, N - j + 1
                rhs = _arb(constant) * nu * (M2**p if with_M else 1) * n**2
                e, s = lhs - rhs, lhs + rhs + M2**n
                excess = e if excess is None else excess.max(e)
                scale = s if scale is None else scale.max(s)
            return excess, scale

    what = f"({eq}) with constant {constant}" + ("" if with_M else " and no M factor")
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=what + ", at ν = balancedness, M = max ‖W_j‖_σ")


def sigma_min_property(swapped: bool, slack: bool = True) -> Property:
    """(18) as printed (``swapped=False``) or with its cases swapped (the corrected form)."""

    def cases(dN: int, d0: int) -> tuple[bool, bool]:
        """(use sigma_{N,min}, use sigma_{1,min})."""
        if swapped:
            return dN <= d0, dN >= d0
        return dN >= d0, dN <= d0

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws = network_layers(batch)
        N = len(Ws)
        nu, M = nu_M(Ws)
        K = 1.5 * nu * M ** (2 * (N - 1)) * N**2 if slack else 0.0 * nu
        smin2 = sigma_min(end_to_end(Ws)) ** 2
        use_N, use_1 = cases(Ws[-1].shape[-2], Ws[0].shape[-1])
        excess = np.full_like(nu, -np.inf)
        for used, W in ((use_N, Ws[-1]), (use_1, Ws[0])):
            if used:
                excess = np.maximum(excess, smin2 - K - sigma_min(W) ** (2 * N))
        return excess, smin2 + K + M ** (2 * N)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        Ws = network_layers_exact(inst)
        N = len(Ws)
        with flint.ctx.workprec(bits(digits)):
            nu, M2 = nu_M_exact(Ws, digits)
            K = _arb(1.5) * nu * M2 ** (N - 1) * N**2 if slack else flint.arb(0)
            smin2 = _lambda_min(_product(Ws), digits)
            use_N, use_1 = cases(Ws[-1].nrows(), Ws[0].ncols())
            excess = None
            for used, W in ((use_N, Ws[-1]), (use_1, Ws[0])):
                if used:
                    e = smin2 - K - _lambda_min(W, digits) ** N
                    excess = e if excess is None else excess.max(e)
            return excess, smin2 + K + M2**N

    what = "(18) with the cases swapped" if swapped else "(18) as printed"
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=what + ("" if slack else " without slack"))


# --------------------------------------------------------------------------- exact helpers


def _arb(x: float | Fraction) -> flint.arb:
    f = Fraction(x)
    return flint.arb(flint.fmpq(f.numerator, f.denominator))


def _fro_ball(A: flint.fmpq_mat) -> flint.arb:
    return flint.arb(frobenius_sq(A)).sqrt()


def _product(Ws: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    out = Ws[0]
    for W in Ws[1:]:
        out = W * out
    return out


def _lambda_min(A: flint.fmpq_mat, digits: int) -> flint.arb:
    """``sigma_min(A)^2`` (the ``min(m, n)``-th squared singular value), as a ball."""
    return eigenvalue_balls(gram(A), digits)[-1]


def nu_M_exact(Ws: list[flint.fmpq_mat], digits: int) -> tuple[flint.arb, flint.arb]:
    """Balls of the tightest nu and of M^2 for exact layers."""
    nu = flint.arb(balancedness_sq_exact(Ws)).sqrt()
    M2 = flint.arb(0)
    for W in Ws:
        M2 = M2.max(eigenvalue_balls(gram(W), digits)[0])
    return nu, M2


# --------------------------------------------------------------------------- the counterexample


def printed_counterexample() -> Instance:
    """N = 2, d = (1, 2, 2): W_1 = [1; 0], W_2 = diag(1, 0) (exactly 0-balanced), in the
    parametrisation of :data:`DOMAIN` (all Cayley factors the identity, P = 0)."""
    widths = (1, 2, 2, 1, 1)
    inst: dict[str, Any] = {"N": 2, "k": 1, **{f"d{j}": w for j, w in enumerate(widths)}}
    for j, w in enumerate(widths):
        inst[f"U{j}"] = np.zeros((w, w), dtype=object) + Fraction(0)
    for j in range(1, len(widths)):
        inst[f"P{j}"] = np.zeros((widths[j], widths[j - 1]), dtype=object) + Fraction(0)
    inst.update(s=np.array([Fraction(1)], dtype=object), scale=Fraction(1),
                eps=Fraction(1, 10**6))
    return inst


EQ16, EQ17 = products_property(16), products_property(17)
EQ18_PRINTED, EQ18_CORRECTED = sigma_min_property(False), sigma_min_property(True)


def _explicit() -> SymbolicOutcome:
    inst = printed_counterexample()
    Ws = network_layers_exact(inst)
    details = (f"W_1 = {Ws[0].entries()}, W_2 = {Ws[1].entries()} (row-major): exactly "
               "0-balanced, sigma_min(W_2 W_1) = 1, d_N = 2 >= d_0 = 1 and sigma_{N,min} = 0, "
               "so (18) as printed requires 1 - 6ν <= 0")
    return SymbolicOutcome(False, details, counterexample=inst)


CLAIM = Claim(
    id="CONV-Lem5", paper=CONV, location="Appendix D.2.1, Lemma 5, eqs. (16)-(18)",
    statement=STATEMENT,
    notes="(18) as printed has its two cases swapped relative to its proof; Appendix D.2.2 "
          "only uses max{λ_D^N, λ_E^N} >= σ_min^2 - ..., which the corrected form implies, so "
          "the slip is harmless downstream. (16) and (17) hold and are far from tight.",
    variants=(
        Variant("as-printed", "(16), (17) and (18) as printed at the tightest ν, M",
                (symbolic("explicit-counterexample-18", _explicit,
                          replay=EQ18_PRINTED.margin_hp),
                 trials("eq-16", EQ16, count=256), search("eq-16-search", EQ16),
                 trials("eq-17", EQ17, count=256), search("eq-17-search", EQ17),
                 trials("eq-18", EQ18_PRINTED, count=256),
                 search("eq-18-search", EQ18_PRINTED)),
                expected=Verdict.REFUTED),
        Variant("corrected", "(18) with its cases swapped: σ_{N,min}^{2N} when d_N ≤ d_0 and "
                "σ_{1,min}^{2N} when d_N ≥ d_0 (what the proof establishes); (16), (17) "
                "unchanged",
                (trials("eq-16", EQ16, count=256), search("eq-16-search", EQ16),
                 trials("eq-17", EQ17, count=256), search("eq-17-search", EQ17),
                 trials("eq-18", EQ18_CORRECTED, count=256),
                 search("eq-18-search", EQ18_CORRECTED)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:no-m-factor", "(16) without the factor M^{2(j−1)}",
                (trials("eq-16", products_property(16, with_M=False), count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:constant", "(16) with 3/2 replaced by 1/8",
                (trials("eq-16", products_property(16, constant=0.125), count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:no-slack", "corrected (18) without the term (3/2)ν M^{2(N−1)} N^2",
                (trials("eq-18", sigma_min_property(True, slack=False), count=256),),
                expected=Verdict.REFUTED),
    ),
)
