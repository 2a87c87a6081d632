"""CONV-Eq11 — §3.2.2, eqs. (10)-(11): end-to-end gradient flow of balanced layers.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    ... we would like to show:
        d/dτ L^1(W_{1:N}(τ)) ≤ −½ σ_min(W_{1:N}(τ))^{2(N−1)/N} · ‖dL^1/dW(W_{1:N}(τ))‖_F^2. (10)
    We will see that a stronger version of Equation (10) holds, namely, one without the 1/2
    factor (which only appears due to discretization). By (Theorem 1 and Claim 1 in) Arora et
    al. (2018), the weights W_1(τ), ..., W_N(τ) remain balanced throughout the entire
    optimization, and that implies the end-to-end matrix W_{1:N}(τ) moves according to the
    following differential equation:
        vec(Ẇ_{1:N}(τ)) = −P_{W_{1:N}(τ)} · vec(dL^1/dW(W_{1:N}(τ))), (11)
    where vec(A) ... stands for vectorization in column-first order, and P_{W_{1:N}(τ)} is a
    positive semidefinite matrix whose eigenvalues are all greater than or equal to
    σ_min(W_{1:N}(τ))^{2(N−1)/N}.

P is not printed here; it is the operator of Arora et al. (2018), Theorem 1 (used also in
Appendix D.2.2): P_W = Σ_{j=1}^N (W^⊤W)^{(j−1)/N} ⊗ (WW^⊤)^{(N−j)/N}.

Verdict: holds (certified on exact instances). Checks, on 0-balanced layers
W_j = U_j Σ_j U_{j−1}^⊤ (rational Cayley frames U_j, shared rational singular values s,
:func:`verify.core.balanced_layers.network_domain`: depth 1-4, widths 1-3, bottlenecks and zero
singular values included) and any target Φ:

* ``dynamics`` (11): the end-to-end velocity of the layer-wise flow, Ẇ = Σ_j W_{j+1:N} Ẇ_j
  W_{1:j−1} with Ẇ_j = −∂L^N/∂W_j (the core's exact :func:`verify.core.networks.
  layer_gradients`), equals −P vec(W − Φ), exactly. The fractional powers are exact: with
  W = U_N diag(s^N) U_0^⊤, (WW^⊤)^{p/N} = U_N diag(s^{2p}) U_N^⊤, certified as the PSD N-th
  root of (WW^⊤)^p in the check itself.
* ``eigenvalues``: P is symmetric PSD and P − σ_min(W)^{2(N−1)/N} I is PSD, decided exactly
  (characteristic-polynomial sign pattern), with σ_min(W) certified exactly.
* ``descent`` (10) without ½: ⟨∇L, Ẇ⟩ ≤ −σ_min^{2(N−1)/N} ‖∇L‖_F^2, exactly.
* ``flow``: gradient flow (:func:`verify.core.flow.gradient_flow`) from the balanced layers to
  τ = 1; at the state reached, dL/dτ = −Σ_j ‖∂L^N/∂W_j‖_F^2 is compared with (10) without ½
  (evaluated exactly at the float state, which is balanced up to the integration error).

Mutants: the eigenvalue bound N σ_min^{2(N−1)/N} (true only when WW^⊤ is isotropic); (10)
with factor 2 (false already for N = 1, where P = I).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.balanced_layers import (
    cayley,
    cayley_exact,
    network_domain,
    network_layers,
    network_layers_exact,
)
from verify.core.flow import gradient_flow
from verify.core.hp import FMPQ
from verify.core.hp_linalg import (
    bits,
    frobenius_sq,
    gram,
    identity,
    is_psd,
    sigma_min_equals,
    to_fmpq_mat,
)
from verify.core.hp_spectrum import eigenvalue_balls
from verify.core.measures import balancedness, sigma_min
from verify.core.networks import WhitenedLoss, end_to_end, layer_gradients
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"$$\frac{d}{d\tau} L^1(W_{1:N}(\tau)) \leq -\frac{1}{2} "
    r"\sigma_{\min}(W_{1:N}(\tau))^{\frac{2(N-1)}{N}} \cdot \left\| "
    r"\frac{dL^1}{dW}(W_{1:N}(\tau)) \right\|_F^2. \quad (10)$$"
    "\n\n" r"We will see that a stronger version of Equation (10) holds, namely, one without the "
    r" $1/2$  factor (which only appears due to discretization)."
    "\n\n" r"By (Theorem 1 and Claim 1 in) Arora et al. (2018), the weights  $W_1(\tau), \dots, "
    r"W_N(\tau)$  remain balanced throughout the entire optimization, and that implies "
    r"the end-to-end matrix  $W_{1:N}(\tau)$  moves according to the following "
    r"differential equation:"
    "\n\n" r"$$\text{vec}(\dot{W}_{1:N}(\tau)) = -P_{W_{1:N}(\tau)} \cdot "
    r"\text{vec}\left(\frac{dL^1}{dW}(W_{1:N}(\tau))\right), \quad (11)$$"
    "\n\n" r"where  $\text{vec}(A)$ , for an arbitrary matrix  $A$ , stands for vectorization in "
    r"column-first order, and  $P_{W_{1:N}(\tau)}$  is a positive semidefinite matrix "
    r"whose eigenvalues are all greater than or equal to  "
    r"$\sigma_{\min}(W_{1:N}(\tau))^{2(N-1)/N}$ .")

MAX_DEPTH, MAX_WIDTH = 4, 3
BASE = network_domain(max_depth=MAX_DEPTH, max_width=MAX_WIDTH)


def _dims_ok(d: Mapping[str, int]) -> bool:
    return BASE.dims_ok(d) and d["dN"] == d[f"d{d['N']}"]


DOMAIN = Domain((*BASE.variables, Integer("dN", 1, MAX_WIDTH),
                 Matrix("Phi", "dN", "d0", -2.0, 2.0)), dims_ok=_dims_ok)


# --------------------------------------------------------------------------- float64


def _T(A: np.ndarray) -> np.ndarray:
    return np.swapaxes(A, -1, -2)


def frame_power(batch: Batch, side: str, p: int) -> np.ndarray:
    """(W W^T)^{p/N} (``side='out'``) or (W^T W)^{p/N} (``'in'``) from the parametrisation:
    W = U_N diag(s^N) U_0^T, so the power is U diag(s^{2p}) U^T (zero-padded; p = 0: I).
    (eigh of W W^T would magnify the rounding of near-zero eigenvalues by the N-th root.)"""
    N = int(batch["N"])
    U = cayley(batch[f"U{N}"] if side == "out" else batch["U0"])
    widths = [int(batch[f"d{j}"]) for j in range(N + 1)]
    s = np.maximum(batch["s"], 0.0) * batch["scale"][:, None]
    rank = min(s.shape[1], *widths)
    t = np.zeros(U.shape[:2])
    t[:, :rank] = s[:, :rank] ** (2 * p)
    if p == 0:
        t[:] = 1.0
    return (U * t[:, None, :]) @ _T(U)


def p_matrix(batch: Batch) -> np.ndarray:
    """P_W = Σ_j (W^T W)^{(j−1)/N} ⊗ (W W^T)^{(N−j)/N}, batched (column-first vec)."""
    N = int(batch["N"])
    P = sum(np.einsum("bik,bjl->bijkl", frame_power(batch, "in", j - 1),
                      frame_power(batch, "out", N - j)) for j in range(1, N + 1))
    n = P.shape[1] * P.shape[2]
    return P.reshape(P.shape[0], n, n)


def vec(A: np.ndarray) -> np.ndarray:
    """Column-first vectorisation of a stack (B, m, n) -> (B, m n)."""
    return _T(A).reshape(A.shape[0], -1)


def _velocity(Ws: list[np.ndarray], grads: list[np.ndarray]) -> np.ndarray:
    """Ẇ = Σ_j W_{j+1:N} (−g_j) W_{1:j−1} (chain rule of the end-to-end product)."""
    total = 0.0
    for j, g in enumerate(grads):
        term = -g
        for W in Ws[j + 1:]:
            term = W @ term
        for W in reversed(Ws[:j]):
            term = term @ W
        total = total + term
    return total


def _rate(W: np.ndarray, N: int) -> np.ndarray:
    return sigma_min(W) ** (2 * (N - 1) / N) if N > 1 else np.ones(W.shape[0])


# --------------------------------------------------------------------------- exact


def _exact_setup(inst: Instance) -> dict[str, Any]:
    N = int(inst["N"])
    Ws = network_layers_exact(inst)
    W = Ws[0]
    for V in Ws[1:]:
        W = V * W
    Phi = to_fmpq_mat(inst["Phi"])
    UN, U0 = cayley_exact(inst[f"U{N}"]), cayley_exact(inst["U0"])
    widths = [int(inst[f"d{j}"]) for j in range(N + 1)]
    scale = Fraction(inst["scale"])
    s = [max(Fraction(v), Fraction(0)) * scale for v in inst["s"]]
    s = [flint.fmpq(v.numerator, v.denominator) for v in s]
    rank = min(len(s), *widths)
    return {"N": N, "Ws": Ws, "W": W, "Phi": Phi, "UN": UN, "U0": U0, "s": s, "rank": rank}


def _root_power(U: flint.fmpq_mat, s: list[flint.fmpq], rank: int, p: int) -> flint.fmpq_mat:
    """U diag(t_i^p) U^T with t_i = s_i^2 (i < rank) and 0 beyond: (WW^T)^{p/N}."""
    d = U.nrows()
    diag = [(s[i] ** 2) ** p if i < rank else flint.fmpq(int(p == 0)) for i in range(d)]
    D = flint.fmpq_mat(d, d, [diag[i] if i == j else 0 for i in range(d) for j in range(d)])
    return U * D * U.transpose()


def _kron(A: flint.fmpq_mat, B: flint.fmpq_mat) -> flint.fmpq_mat:
    m, n, p, q = A.nrows(), A.ncols(), B.nrows(), B.ncols()
    return flint.fmpq_mat(m * p, n * q, [A[i // p, j // q] * B[i % p, j % q]
                                         for i in range(m * p) for j in range(n * q)])


def _vec(A: flint.fmpq_mat) -> flint.fmpq_mat:
    return flint.fmpq_mat(A.nrows() * A.ncols(), 1,
                          [A[i, j] for j in range(A.ncols()) for i in range(A.nrows())])


def exact_p(e: dict[str, Any]) -> flint.fmpq_mat | None:
    """P_W exactly, or None if a fractional power fails its certificate (X PSD, X^N = S^p)."""
    N, W = e["N"], e["W"]
    A, B = W.transpose() * W, W * W.transpose()
    P = None
    for j in range(1, N + 1):
        Aj = _root_power(e["U0"], e["s"], e["rank"], j - 1)
        Bj = _root_power(e["UN"], e["s"], e["rank"], N - j)
        for X, S, p in ((Aj, A, j - 1), (Bj, B, N - j)):
            if X**N != S**p or not is_psd(X):
                return None
        term = _kron(Aj, Bj)
        P = term if P is None else P + term
    return P


def exact_sigma_rate(e: dict[str, Any]) -> flint.fmpq | None:
    """σ_min(W)^{2(N−1)/N}, exact (σ_min(W) certified), or None."""
    N, W = e["N"], e["W"]
    k = min(W.nrows(), W.ncols())
    smin = min(e["s"][:k]) if e["rank"] >= k else flint.fmpq(0)
    if not sigma_min_equals(W, smin**N):
        return None
    return smin ** (2 * (N - 1)) if N > 1 else flint.fmpq(1)


def _exact_velocity(e: dict[str, Any]) -> flint.fmpq_mat:
    grads = layer_gradients(e["Ws"], WhitenedLoss(_object(e["Phi"])), xp=FMPQ)
    Ws = e["Ws"]
    total = None
    for j, g in enumerate(grads):
        term = g * -1
        for W in Ws[j + 1:]:
            term = W * term
        for W in reversed(Ws[:j]):
            term = term * W
        total = term if total is None else total + term
    return total


def _object(M: flint.fmpq_mat) -> np.ndarray:
    return np.array([[M[i, j] for j in range(M.ncols())] for i in range(M.nrows())],
                    dtype=object)


def _inner(A: flint.fmpq_mat, B: flint.fmpq_mat) -> flint.fmpq:
    return sum((a * b for a, b in zip(A.entries(), B.entries(), strict=True)), flint.fmpq(0))


# --------------------------------------------------------------------------- properties


def dynamics_property() -> Property:
    """(11): vec(Ẇ) = −P vec(∇L)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws = network_layers(batch)
        W = end_to_end(Ws)
        grads = layer_gradients(Ws, WhitenedLoss(batch["Phi"]))
        v = vec(_velocity(Ws, grads))
        Pg = np.einsum("bij,bj->bi", p_matrix(batch), vec(W - batch["Phi"]))
        return np.linalg.norm(v + Pg, axis=-1), \
            np.linalg.norm(v, axis=-1) + np.linalg.norm(Pg, axis=-1)

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb] | None:
        e = _exact_setup(inst)
        P = exact_p(e)
        if P is None:
            return flint.arb(1), flint.arb(1)
        v = _vec(_exact_velocity(e))
        Pg = P * _vec(e["W"] - e["Phi"])
        return flint.arb(frobenius_sq(v + Pg)).sqrt(), \
            flint.arb(frobenius_sq(v)).sqrt() + flint.arb(frobenius_sq(Pg)).sqrt()

    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description="(11) with P_W = Σ_j (W^T W)^{(j−1)/N} ⊗ (W W^T)^{(N−j)/N}")


def eigen_property(factor: str = "one") -> Property:
    """P symmetric PSD with λ_min(P) ≥ κ σ_min^{2(N−1)/N} (κ = 1 as printed, N: mutant)."""

    def kappa(N: int) -> int:
        return 1 if factor == "one" else N

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws, N = network_layers(batch), int(batch["N"])
        W = end_to_end(Ws)
        lam = np.linalg.eigvalsh(p_matrix(batch))
        bound = kappa(N) * _rate(W, N)
        return bound - lam[:, 0], bound + np.abs(lam[:, -1])

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.fmpq, flint.fmpq] | None:
        e = _exact_setup(inst)
        P, rate = exact_p(e), exact_sigma_rate(e)
        if P is None or rate is None or P != P.transpose():
            return flint.fmpq(1), flint.fmpq(1)
        bound = rate * kappa(e["N"])
        n = P.nrows()
        holds = is_psd(P - identity(n) * bound)
        scale = bound + sum((abs(v) for v in P.entries()), flint.fmpq(0))
        if holds:
            return flint.fmpq(0), scale
        return _violation(P, bound), scale

    what = "λ_min(P) ≥ σ_min^{2(N−1)/N}" if factor == "one" else "λ_min(P) ≥ N σ_min^{2(N−1)/N}"
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=what + ", exact")


def _violation(P: flint.fmpq_mat, bound: flint.fmpq) -> flint.fmpq:
    """A rational r > 0 with P − (bound − r) I not PSD (bisection), so that λ_min(P) <
    bound − r: a certified lower bound of the violation."""
    n = P.nrows()
    lo, hi = flint.fmpq(0), bound
    for _ in range(60):
        mid = (lo + hi) / 2
        if is_psd(P - identity(n) * (bound - mid)):
            hi = mid
        else:
            lo = mid
    return lo


def descent_property(factor: int = 1) -> Property:
    """(10) without ½ (``factor = 1``): ⟨∇L, Ẇ⟩ ≤ −factor σ_min^{2(N−1)/N} ‖∇L‖_F^2."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws, N = network_layers(batch), int(batch["N"])
        W = end_to_end(Ws)
        G = W - batch["Phi"]
        v = _velocity(Ws, layer_gradients(Ws, WhitenedLoss(batch["Phi"])))
        dL = np.sum(G * v, axis=(-2, -1))
        rhs = factor * _rate(W, N) * np.sum(G * G, axis=(-2, -1))
        return dL + rhs, np.abs(dL) + rhs

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.fmpq, flint.fmpq] | None:
        e = _exact_setup(inst)
        rate = exact_sigma_rate(e)
        if rate is None:
            return flint.fmpq(1), flint.fmpq(1)
        G = e["W"] - e["Phi"]
        dL = _inner(G, _exact_velocity(e))
        rhs = rate * factor * frobenius_sq(G)
        return dL + rhs, abs(dL) + rhs

    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=f"(10) with factor {factor} in place of ½, exact")


def flow_property() -> Property:
    """At the state reached by gradient flow to τ = 1: −Σ_j ‖g_j‖^2 ≤ −σ_min^{2(N−1)/N} ‖G‖^2."""

    def end_state(batch: Batch) -> list[np.ndarray]:
        res = gradient_flow(network_layers(batch), WhitenedLoss(batch["Phi"]), 1.0)
        return res.weights

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws, N = end_state(batch), int(batch["N"])
        W = end_to_end(Ws)
        G = W - batch["Phi"]
        g2 = sum(np.sum(g * g, axis=(-2, -1))
                 for g in layer_gradients(Ws, WhitenedLoss(batch["Phi"])))
        rhs = _rate(W, N) * np.sum(G * G, axis=(-2, -1))
        ok = balancedness(Ws) < 1e-6
        return np.where(ok, rhs - g2, np.nan), g2 + rhs

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb] | None:
        batch = {k: (np.asarray(v, dtype=float)[None] if isinstance(v, np.ndarray)
                     else (float(v) if isinstance(v, Fraction) else v))
                 for k, v in inst.items()}
        batch["scale"] = np.array([batch["scale"]])
        N = int(inst["N"])
        Ws = [to_fmpq_mat(W[0]) for W in end_state(batch)]
        Phi = to_fmpq_mat(inst["Phi"])
        W = Ws[0]
        for V in Ws[1:]:
            W = V * W
        G = W - Phi
        grads = layer_gradients(Ws, WhitenedLoss(_object(Phi)), xp=FMPQ)
        g2 = sum((frobenius_sq(g) for g in grads), flint.fmpq(0))
        with flint.ctx.workprec(bits(digits)):
            lam = eigenvalue_balls(gram(W), digits)[-1].nonnegative_part()
            rate = lam ** (flint.arb(N - 1) / N) if N > 1 else flint.arb(1)
            rhs = rate * flint.arb(frobenius_sq(G))
            return rhs - g2, rhs + g2

    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-7, 1e-10),
                    description="(10) without ½ at the state of the gradient flow at τ = 1")


DYNAMICS, EIGEN, DESCENT = dynamics_property(), eigen_property(), descent_property()

CLAIM = Claim(
    id="CONV-Eq11", paper=CONV, location="§3.2.2, eqs. (10)-(11)",
    statement=STATEMENT,
    notes="P_W is taken from Arora et al. (2018), Theorem 1 (not printed in this paper). "
          "(10) is checked in its stronger form without ½, which implies the printed one.",
    variants=(
        Variant("as-printed", "(11) with P_W PSD, λ_min(P_W) ≥ σ_min^{2(N−1)/N}, and (10) "
                "without ½, for 0-balanced layers",
                (trials("dynamics", DYNAMICS, count=128, certify=True),
                 search("dynamics-search", DYNAMICS, evaluations=4000),
                 trials("eigenvalues", EIGEN, count=128, certify=True),
                 search("eigenvalues-search", EIGEN, evaluations=4000),
                 trials("descent", DESCENT, count=128, certify=True),
                 trials("flow", flow_property(), count=32)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:n-times", "eigenvalues of P at least N σ_min^{2(N−1)/N}",
                (trials("eigenvalues", eigen_property("N"), count=128),),
                expected=Verdict.REFUTED),
        Variant("mutant:factor-two", "(10) with −2 σ_min^{2(N−1)/N} ‖∇L‖^2 (factor 2)",
                (trials("descent", descent_property(2), count=128),),
                expected=Verdict.REFUTED),
    ),
)
