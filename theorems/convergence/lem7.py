"""CONV-Lem7 — Appendix D.2.2, Lemma 7, eqs. (27)-(32): single-step descent.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 7. Assume the conditions of Theorem 1. Moreover, suppose that for some t, the
    matrices W_1(t), ..., W_N(t) and the end-to-end matrix W(t) := W_{1:N}(t) satisfy the
    following properties:
    1. ‖W_j(t)‖_σ ≤ (4‖Φ‖_F)^{1/N} for 1 ≤ j ≤ N.
    2. ‖W(t) − Φ‖_σ ≤ ‖Φ‖_F.
    3. ‖W_{j+1}^T(t) W_{j+1}(t) − W_j(t) W_j^T(t)‖_F ≤ 2δ for 1 ≤ j ≤ N − 1.
    4. σ_min := σ_min(W(t)) ≥ c.
    Then, after applying a gradient descent update (4) we have that
        L(W(t+1)) − L(W(t)) ≤ −(η/2) σ_min^{2(N−1)/N} ‖dL/dW(W(t))‖_F^2.

Reading. Theorem 1's conditions fix c > 0 (a deficiency margin of some initialization, hence
c ≤ σ_min(Φ): W(0) = Φ realises any such c), δ = c^2/(256 N^3 ‖Φ‖_F^{2(N−1)/N}) and
η ≤ (7) = c^{(4N−2)/N}/(6144 N^3 ‖Φ‖_F^{(6N−4)/N}). The state at time t is otherwise arbitrary
subject to 1-4 — it need not lie on a trajectory — so the checks sample states directly:
W(t) = Φ + t_A ‖Φ‖_F D/‖D‖_σ (condition 2 up to its boundary, in the spectral norm, wider than
the Frobenius ball the trajectories stay in), layers by Procedure 1 plus a perturbation of
size up to the 2δ of condition 3, c = c_frac · min(σ_min(W(t)), σ_min(Φ)) (condition 4 up to
equality), η = η_frac · (7). Depth 1-3, widths 1-3 without bottleneck (condition 4 forces full
rank). Every hypothesis is verified exactly or in certain ball comparisons (an undecided
comparison discards the instance); the GD step, the losses and ‖∇‖_F^2 are exact rationals,
σ_min^{2(N−1)/N} a rigorous ball.

Symbolic check (sympy, from the definitions M = (4B)^{1/N}, B = ‖Φ‖_F, c ≤ σ_min, c ≤ B): each
of the four bounds in (27) is at least (7)'s bound, and each of the two in (28) at least 2δ
(ratios reduce to K(N) (c/B)^{e_1} (c/σ_min)^{e_2} with e_i ≥ 0 and K(N) ≤ 1, checked exactly
for N = 1..200 and in the limit); the M-exponents of (30)'s terms match; the Lemma-5 sums give
δ M^{2(N−2)} (N−1) N (2N−1) ≤ 2δ N^3 M^{2(N−2)}; (3/4)^{(N−1)/N} ≥ 3/4; and (32)'s
−3/4 + 1/24 + 1/8 + 1/24 + 1/24 = −1/2.
Proof typo noted: in the Lemma-5 step the first sum's factor M^{2(N−j)} should be M^{2(N−j−1)}
((17) at index j + 1); with the printed exponent the sum would be of order M^{2(N−1)}, not the
M^{2(N−2)} the proof concludes, but the conclusion is right with the correct exponent.

Verdict: true (certified on every instance checked).

Mutants: σ_min^{(N−1)/N} (half the exponent; false for small targets, where the decrease
rate σ_min^{2(N−1)/N} is far below σ_min^{(N−1)/N}/2); σ_max(W(t)) in place of σ_min
(false when the gradient points along a small singular direction).
"""

from __future__ import annotations

from typing import Any

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.convergence.lem1 import (
    LAYER_BOX,
    MAX_DEPTH,
    MAX_WIDTH,
    ExactSetting,
    Setting,
    arb_pow,
    delta_bound,
    dims_ok,
    end_to_end_exact,
    eta_bound,
    exact_trajectory,
    float_steps,
    fro,
    rational_below,
    widths_of,
)
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.balanced_init import balanced_initialization
from verify.core.balanced_layers import balancedness_sq_exact
from verify.core.hp import FMPQ
from verify.core.hp_linalg import (
    bits,
    frobenius_sq,
    gram,
    identity,
    is_psd,
    sigma_min_at_least,
    to_fmpq_mat,
)
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.measures import balancedness, sigma_max, sigma_min
from verify.core.networks import end_to_end
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 7.** *Assume the conditions of Theorem 1. Moreover, suppose that for some  "
    r"$t$ , the matrices  $W_1(t), \dots, W_N(t)$  and the end-to-end matrix  $W(t) := "
    r"W_{1:N}(t)$  satisfy the following properties:*"
    "\n\n" r"1.  $\|W_j(t)\|_\sigma \leq (4\|\Phi\|_F)^{1/N}$  for  $1 \leq j \leq N$ ."
    "\n" r"2.  $\|W(t) - \Phi\|_\sigma \leq \|\Phi\|_F$ ."
    "\n" r"3.  $\|W_{j+1}^\top(t)W_{j+1}(t) - W_j(t)W_j^\top(t)\|_F \leq 2\delta$  for  $1 "
    r"\leq j \leq N-1$ ."
    "\n" r"4.  $\sigma_{\min} := \sigma_{\min}(W(t)) \geq c$ ."
    "\n\n" r"Then, after applying a gradient descent update (4) we have that"
    "\n\n" r"$$L(W(t+1)) - L(W(t)) \leq -\frac{\eta}{2} \sigma_{\min}^{2(N-1)/N} \left\| "
    r"\frac{dL}{dW}(W(t)) \right\|_F^2.$$")


def _phi(batch: Batch) -> np.ndarray:
    return batch["Phi0"] * batch["phi_scale"][:, None, None]


def _repair(batch: Batch) -> Batch:
    """W(t) at spectral distance t_A ‖Φ‖_F from Φ; Procedure-1 layers perturbed by at most
    the 2δ of half the largest admissible c (condition 3 with room to spare)."""
    N = int(batch["N"])
    Phi = _phi(batch)
    D = batch["A"]
    D = D / np.where(sigma_max(D) > 0, sigma_max(D), 1.0)[:, None, None]
    A = Phi + (batch["t_A"] * fro(Phi))[:, None, None] * D
    Ws = balanced_initialization(A, widths_of(batch))
    c_pre = 0.5 * batch["c_frac"] * np.minimum(sigma_min(A), sigma_min(Phi))
    with np.errstate(divide="ignore", invalid="ignore"):
        two_delta = np.nan_to_num(2 * delta_bound(c_pre, fro(Phi), N))
    M = np.max([sigma_max(W) for W in Ws], axis=0)
    s = np.minimum(batch["eps_frac"] * two_delta / (4 * M + 2), 1.0)
    out = dict(batch)
    for j, W in enumerate(Ws, start=1):
        P = batch[f"P{j}"]
        P = P / np.where(fro(P) > 0, fro(P), 1.0)[:, None, None]
        out[f"W{j}"] = np.clip(W + s[:, None, None] * P, -LAYER_BOX, LAYER_BOX)
    return out


def setting(batch: Batch) -> Setting:
    N = int(batch["N"])
    Ws = [batch[f"W{j}"] for j in range(1, N + 1)]
    Phi = _phi(batch)
    c = batch["c_frac"] * np.minimum(sigma_min(end_to_end(Ws)), sigma_min(Phi))
    with np.errstate(divide="ignore", invalid="ignore"):
        return Setting(Ws, Phi, c, delta_bound(c, fro(Phi), N),
                       batch["eta_frac"] * eta_bound(c, fro(Phi), N))


def _hypothesis(batch: Batch) -> np.ndarray:
    s = setting(batch)
    N = len(s.Ws)
    B = fro(s.Phi)
    layer_ok = np.all([sigma_max(W) <= (4 * B) ** (1 / N) for W in s.Ws], axis=0)
    return (s.c > 0) & layer_ok & (sigma_max(end_to_end(s.Ws) - s.Phi) <= B) & \
        (balancedness(s.Ws) <= 2 * s.delta)


def domain() -> Domain:
    variables: list[Any] = [Integer("N", 1, MAX_DEPTH), Integer("dN", 1, MAX_WIDTH)]
    variables += [Integer(f"d{j}", 1, MAX_WIDTH) for j in range(MAX_DEPTH + 1)]
    variables += [Matrix("Phi0", "dN", "d0", -2.0, 2.0), Matrix("A", "dN", "d0", -2.0, 2.0),
                  Real("phi_scale", 0.05, 4.0, log=True), Real("t_A", 0.0, 1.0),
                  Real("c_frac", 0.01, 1.0, log=True), Real("eta_frac", 0.01, 1.0, log=True),
                  Real("eps_frac", 0.0, 1.0)]
    variables += [Matrix(f"P{j}", f"d{j}", f"d{j - 1}", -1.0, 1.0)
                  for j in range(1, MAX_DEPTH + 1)]
    variables += [Matrix(f"W{j}", f"d{j}", f"d{j - 1}", -LAYER_BOX, LAYER_BOX)
                  for j in range(1, MAX_DEPTH + 1)]
    return Domain(tuple(variables), hypothesis=_hypothesis, repair=_repair, dims_ok=dims_ok)


def exact_state(inst: Instance, digits: int) -> ExactSetting | None:
    """The state and Theorem 1's constants, exactly: None unless conditions 1-4, c ≤ σ_min(Φ)
    and η ≤ (7) hold (exactly, or as certain ball comparisons)."""
    N = int(inst["N"])
    Ws = [to_fmpq_mat(inst[f"W{j}"]) for j in range(1, N + 1)]
    Phi = to_fmpq_mat(inst["Phi0"]) * FMPQ.scalar(inst["phi_scale"])
    W = end_to_end_exact(Ws)
    B2 = frobenius_sq(Phi)
    with flint.ctx.workprec(bits(digits)):
        low = eigenvalue_balls(gram(W), digits)[-1].min(eigenvalue_balls(gram(Phi), digits)[-1])
        if not low > 0:
            return None
        c = rational_below(low.sqrt() * FMPQ.scalar(inst["c_frac"]))
        if not (c > 0 and sigma_min_at_least(W, c) and sigma_min_at_least(Phi, c)):
            return None
        G = gram(W - Phi)
        if not is_psd(identity(G.nrows()) * B2 - G):
            return None
        for L in Ws:
            if not eigenvalue_balls(gram(L), digits)[0] ** N <= 16 * flint.arb(B2):
                return None
        phi_fro = flint.arb(B2).sqrt()
        delta = flint.arb(c) ** 2 / (256 * N**3 * arb_pow(phi_fro, 2 * (N - 1), N))
        if not flint.arb(balancedness_sq_exact(Ws)) <= 4 * delta**2:
            return None
        bound = arb_pow(flint.arb(c), 4 * N - 2, N) / (
            6144 * N**3 * arb_pow(phi_fro, 6 * N - 4, N))
        eta = rational_below(bound * FMPQ.scalar(inst["eta_frac"]))
        if not eta > 0:
            return None
    return ExactSetting(Ws, Phi, c, eta, N)


def _rate_power(W: flint.fmpq_mat, N: int, digits: int, power: int, base: str) -> flint.arb:
    """σ^{power (N−1)/N} with σ = σ_min(W) ("min") or σ_max(W) ("max"), as a ball."""
    with flint.ctx.workprec(bits(digits)):
        lams = eigenvalue_balls(gram(W), digits)
        lam = (lams[-1] if base == "min" else lams[0]).nonnegative_part()
        return arb_pow(lam, power * (N - 1), 2 * N) if N > 1 else flint.arb(1)


def descent_property(power: int = 2, base: str = "min") -> Property:
    """The conclusion with σ^{power (N−1)/N}, σ = σ_min ("min", printed) or σ_max:
    excess = L(W(t+1)) − L(W(t)) + (η/2) σ^{…} ‖∇‖_F^2, scale (η/2) σ^{…} ‖∇‖_F^2."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        s = setting(batch)
        N = len(s.Ws)
        (Ws, dl), = float_steps(s, 1)
        W = end_to_end(Ws)
        sig = sigma_min(W) if base == "min" else sigma_max(W)
        rate = 0.5 * s.eta * sig ** (power * (N - 1) / N) * fro(W - s.Phi) ** 2
        return dl + rate, rate + 1e-300

    def margin_hp(inst: Instance, digits: int) -> tuple | None:
        s = exact_state(inst, digits)
        if s is None:
            return None
        before, after = exact_trajectory(s, 1)
        W, W1 = end_to_end_exact(before), end_to_end_exact(after)
        g2 = frobenius_sq(W - s.Phi)
        dl = (frobenius_sq(W1 - s.Phi) - g2) / 2
        with flint.ctx.workprec(bits(digits)):
            rate = flint.arb(s.eta) * _rate_power(W, s.N, digits, power, base) * \
                flint.arb(g2) / 2
            return flint.arb(dl) + rate, rate

    what = ("σ_min" if base == "min" else "σ_max") + f"^({power}(N−1)/N)"
    return Property(domain(), margin, margin_hp, Tolerance(1e-9, 0.0), rigorous=True,
                    description=f"one GD step decreases L by (η/2) {what} ‖∇‖_F^2, exact")


def sampler(rng: np.random.Generator, total: int) -> list[Batch]:
    """Half uniform over the domain (every admissible width pattern), half anisotropic
    states: Φ = diag(2, u) (u ∈ [0.02, 0.5]) and W(t) = Φ − t_A ‖Φ‖_F e_2 e_2^T with
    σ_min(W(t)) between 0 and u, so that ∇ points along the small singular direction (N = 2, 3,
    square widths 2)."""
    dom = domain()
    combos = dom.all_dims()
    batches = [dom.sample(rng, max(1, total // 16), combos[int(rng.integers(len(combos)))])
               for _ in range(8)]
    for N in (2, 3):
        n = max(2, total // 4)
        dims = {"N": N, "dN": 2, **{f"d{j}": (2 if j <= N else 1)
                                    for j in range(MAX_DEPTH + 1)}}
        raw = {k_: v for k_, v in dom.sample(rng, n, dims).items()}
        u = rng.uniform(0.02, 0.5, n)
        raw["Phi0"] = np.zeros((n, 2, 2))
        raw["Phi0"][:, 0, 0], raw["Phi0"][:, 1, 1] = 2.0, u
        raw["A"] = np.zeros((n, 2, 2))
        raw["A"][:, 1, 1] = -1.0
        raw["t_A"] = rng.uniform(0.05, 0.95, n) * u / np.sqrt(4 + u**2)
        batches.append(dom.repair(raw))
    return batches


# --------------------------------------------------------------------------- symbolic


def _ratio_ok(ratio: sp.Expr, N: sp.Symbol, x: sp.Symbol, y: sp.Symbol) -> bool:
    """ratio = K(N) x^{e1(N)} y^{e2(N)} with x = c/B, y = c/σ_min in (0, 1]: e1, e2 ≥ 0 and
    K ≤ 1 for N = 1..200 (exact) and as N → ∞."""
    expr = sp.expand_power_base(sp.powsimp(sp.expand_power_exp(ratio), force=True), force=True)
    e1 = sp.simplify(sp.diff(sp.log(expr), x) * x)
    e2 = sp.simplify(sp.diff(sp.log(expr), y) * y)
    K = sp.simplify(expr / (x**e1 * y**e2))
    if K.free_symbols - {N} or e1.free_symbols - {N} or e2.free_symbols - {N}:
        return False
    funcs = [sp.lambdify(N, f, "mpmath") for f in (K, e1, e2)]
    with mpmath.workdps(30):
        values = [[f(mpmath.mpf(n)) for f in funcs] for n in range(1, 201)]
    limit = sp.limit(K, N, sp.oo)
    return all(k <= 1 and a >= 0 and b >= 0 for k, a, b in values) and \
        bool(sp.N(limit) <= 1)


def derive_constants() -> SymbolicOutcome:
    """(27), (28), (30), the Lemma-5 sums and (32), from the definitions (module docstring)."""
    N = sp.Symbol("N", positive=True, integer=True)
    x, y, B = sp.symbols("x y B", positive=True)
    c = x * B
    sig = c / y
    M = (4 * B) ** (1 / N)
    eta7 = c ** ((4 * N - 2) / N) / (6144 * N**3 * B ** ((6 * N - 4) / N))
    two_delta = c**2 / (128 * N**3 * B ** (2 * (N - 1) / N))
    bounds27 = [1 / (2 * M ** (N - 2) * B * N),
                sig ** (2 * (N - 1) / N) / (24 * 2 * M ** (3 * N - 4) * N**2 * B),
                sig ** (2 * (N - 1) / N) / (24 * N**2 * M ** (4 * (N - 1))),
                sig ** (2 * (N - 1) / (3 * N)) / (24 * 4 * M ** (6 * N - 8) * N**4 * B**2)
                ** sp.Rational(1, 3)]
    bounds28 = [sig ** (2 * (N - 1) / N) / (8 * N**3 * M ** (2 * (N - 2))),
                sig**2 / (6 * N**2 * M ** (2 * (N - 1)))]
    steps: dict[str, bool] = {}
    for i, b in enumerate(bounds27, start=1):
        steps[f"(7) ≤ (27) term {i}"] = _ratio_ok(eta7 / b, N, x, y)
    for i, b in enumerate(bounds28, start=1):
        steps[f"2δ ≤ (28) term {i}"] = _ratio_ok(two_delta / b, N, x, y)
    k = sp.Symbol("k", positive=True, integer=True)
    steps["(30) M-exponents k(N−1)+N−k = 2N−2+(k−1)(N−2)"] = sp.expand(
        k * (N - 1) + N - k - (2 * N - 2 + (k - 1) * (N - 2))) == 0
    steps["(30) C(N,k) ≤ N^k, Σ_{k≥2} z^{k−1} ≤ 2z for z ≤ 1/2"] = all(
        sp.binomial(n, kk) <= n**kk for n in range(1, 30) for kk in range(2, n + 1)) and \
        sp.simplify(sp.Rational(1, 2) / (1 - sp.Rational(1, 2)) - 1) == 0
    i = sp.Symbol("i", integer=True, positive=True)
    sums = 2 * 3 * sp.summation(i**2, (i, 1, N - 1))
    steps["Lemma-5 sums: 6 Σ_{i<N} i^2 = (N−1)N(2N−1) ≤ 2N^3"] = \
        sp.expand(sums - (N - 1) * N * (2 * N - 1)) == 0 and \
        sp.expand(2 * N**3 - (N - 1) * N * (2 * N - 1)) == sp.expand(3 * N**2 - N)
    steps["(3/4)^{(N−1)/N} ≥ 3/4"] = all(
        sp.Rational(3, 4) ** sp.Rational(n - 1, n) >= sp.Rational(3, 4) for n in range(1, 200))
    steps["(32): −3/4 + 1/24 + 1/8 + 1/24 + 1/24 = −1/2"] = \
        -sp.Rational(3, 4) + sp.Rational(1, 24) * 3 + sp.Rational(1, 8) == -sp.Rational(1, 2)
    details = "; ".join(f"{k_} [{'ok' if v else 'FAILED'}]" for k_, v in steps.items())
    return SymbolicOutcome(all(steps.values()), details + ". With M = (4B)^{1/N}, B = ‖Φ‖_F, "
                           "x = c/B ≤ 1, y = c/σ_min ≤ 1; proof typo: the first Lemma-5 sum "
                           "needs M^{2(N−j−1)} (printed M^{2(N−j)})")


PRINTED = descent_property()

CLAIM = Claim(
    id="CONV-Lem7", paper=CONV, location="App. D.2.2, Lemma 7, eqs. (27)-(32)",
    statement=STATEMENT,
    notes="States sampled directly under conditions 1-4 (not only on trajectories), up to "
          "their boundaries: ‖W − Φ‖_σ up to ‖Φ‖_F, σ_min(W) = c, η at (7). The first-order "
          "decrease is at least η σ_min^{2(N−1)/N} ‖∇‖^2, twice the claimed one, so margins "
          "are about −1 or lower. Proof typo in the Lemma-5 step (exponent M^{2(N−j)}, should "
          "be M^{2(N−j−1)}); the lemma's constants are derived symbolically.",
    variants=(
        Variant("as-printed", "one exact GD step from states meeting conditions 1-4",
                (symbolic("constants", derive_constants),
                 trials("exact-step", PRINTED, sampler=sampler, count=256, certify=True),
                 search("search", PRINTED, evaluations=4000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:half-exponent", "σ_min^{(N−1)/N} in place of σ_min^{2(N−1)/N}",
                (trials("exact-step", descent_property(power=1), count=256),),
                expected=Verdict.REFUTED),
        Variant("mutant:sigma-max", "σ_max(W(t)) in place of σ_min(W(t))",
                (trials("exact-step", descent_property(base="max"), sampler=sampler,
                        count=256),),
                expected=Verdict.REFUTED),
    ),
)
