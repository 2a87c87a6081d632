"""CONV-Eq14 — Appendix D, eq. (14): the GD update (4) written with end-to-end gradients.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Also, for weights W_j ∈ R^{d_j×d_{j−1}}, j = 1, ..., N of a linear neural network, we
    generalize the notation W_{1:N}, and define W_{j:j'} := W_j W_{j−1} ⋯ W_{j'} for every
    1 ≤ j ≤ j' ≤ N. Note that W_{j:j'}^⊤ = W_j^⊤ W_{j+1}^⊤ ⋯ W_{j'}^⊤. Then, by a simple
    gradient calculation, the gradient descent updates (4) can be written as
        W_j(t+1) = W_j(t) − η W_{j+1:N}^⊤(t) · dL/dW(W(t)) · W_{1:j−1}^⊤(t),  1 ≤ j ≤ N, (14)
    where we define W_{1:0}(t) := I_{d_0} and W_{N+1:N}(t) := I_{d_N} for completeness.

Reading. The printed definition "W_{j:j'} := W_j W_{j−1} ⋯ W_{j'}" with j ≤ j' is garbled
(the indices cannot descend from j to j' ≥ j); the transpose identity printed next to it and
W_{1:N} = W_N ⋯ W_1 (§2) fix the meaning W_{j:j'} = W_{j'} W_{j'−1} ⋯ W_j, used here. With it
(14) is the chain rule for L^N(W_1, ..., W_N) = L(W_N ⋯ W_1), L(W) = ½‖W − Φ‖_F^2.

Verdict: holds (certified). Checks:

* ``symbolic``: for every width pattern with N ≤ 3 and widths ≤ 2 (28 patterns, non-square
  and bottleneck layers included) sympy differentiates L^N entrywise with respect to explicit
  symbols and expands the difference with (14)'s gradient W_{j+1:N}^⊤ (W − Φ) W_{1:j−1}^⊤.
* ``exact-step``: the core's GD step (:func:`verify.core.networks.gd_step` with the exact
  rational backend) against (14) evaluated with explicit products, exactly, on random
  networks (depth 1-4, widths 1-3, zero layers and rank-deficient layers from the search).
* ``finite-differences``: central differences of L^N along a random direction against
  ⟨(14)'s gradients, direction⟩ (float64; re-checked exactly with h = 10^-30).

Mutants: the literal ascending product W_{j+1} W_{j+2} ⋯ W_N in place of W_N ⋯ W_{j+1}
(square layers, N ≥ 3); and the gradient of ‖W − Φ‖_F^2 (factor 2) in place of L's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp import FMPQ, to_backend
from verify.core.hp_linalg import frobenius_sq, identity, to_fmpq_mat
from verify.core.networks import WhitenedLoss, gd_step
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"Also, for weights  $W_j \in \mathbb{R}^{d_j \times d_{j-1}}$ ,  $j = 1, \dots, N$  "
    r"of a linear neural network, we generalize the notation  $W_{1:N}$ , and define  "
    r"$W_{j:j'} := W_j W_{j-1} \cdots W_{j'}$  for every  $1 \leq j \leq j' \leq N$ . "
    r"Note that  $W_{j:j'}^\top = W_j^\top W_{j+1}^\top \cdots W_{j'}^\top$ . Then, by a "
    r"simple gradient calculation, the gradient descent updates (4) can be written as"
    "\n\n" r"$$W_j(t+1) = W_j(t) - \eta W_{j+1:N}^\top(t) \cdot \frac{dL}{dW}(W(t)) \cdot "
    r"W_{1:j-1}^\top(t) \quad , 1 \leq j \leq N, \quad (14)$$ [...] "
    r"where we define  $W_{1:0}(t) := I_{d_0}$  and  $W_{N+1:N}(t) := I_{d_N}$  for "
    r"completeness.")

MAX_DEPTH, MAX_WIDTH = 4, 3


def _widths(d: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(int(d[f"d{j}"]) for j in range(int(d["N"]) + 1))


def network_domain(square_from: int | None = None) -> Domain:
    """Depth N <= 4, widths 1-3, layers ``W1..W4`` and ``Phi`` with entries in [-2, 2],
    a step size ``eta`` (log-uniform in [1e-3, 1]) and a direction ``E1..E4``.
    ``square_from``: only square layers of one width, depth >= that value (mutant)."""

    def ok(d: Mapping[str, int]) -> bool:
        N, w = d["N"], _widths(d)
        if any(d[f"d{j}"] != 1 for j in range(N + 1, MAX_DEPTH + 1)) or d["dN"] != w[-1]:
            return False
        return square_from is None or (N >= square_from and len(set(w)) == 1 and w[0] > 1)

    variables: list[Any] = [Integer("N", 1, MAX_DEPTH), Integer("dN", 1, MAX_WIDTH)]
    variables += [Integer(f"d{j}", 1, MAX_WIDTH) for j in range(MAX_DEPTH + 1)]
    variables += [Matrix(f"W{j}", f"d{j}", f"d{j - 1}", -2.0, 2.0)
                  for j in range(1, MAX_DEPTH + 1)]
    variables += [Matrix(f"E{j}", f"d{j}", f"d{j - 1}", -1.0, 1.0)
                  for j in range(1, MAX_DEPTH + 1)]
    variables += [Matrix("Phi", "dN", "d0", -2.0, 2.0), Real("eta", 1e-3, 1.0, log=True)]
    return Domain(tuple(variables), dims_ok=ok)


def layers(inst: Mapping[str, Any], prefix: str = "W") -> list[Any]:
    return [inst[f"{prefix}{j}"] for j in range(1, int(inst["N"]) + 1)]


# --------------------------------------------------------------------------- (14), any backend


def _prod(factors: Sequence[Any], eye: Any) -> Any:
    """``factors[-1] ⋯ factors[0]`` (eye when empty)."""
    out = eye
    for f in factors:
        out = f @ out if isinstance(f, np.ndarray) else f * out
    return out


def _T(A: Any) -> Any:
    return np.swapaxes(A, -1, -2) if isinstance(A, np.ndarray) else A.transpose()


def eq14_gradients(Ws: Sequence[Any], Phi: Any, ascending: bool = False,
                   factor: int = 1) -> list[Any]:
    """The gradient terms W_{j+1:N}^T (W - Phi) W_{1:j-1}^T of (14) for numpy stacks or exact
    matrices (``ascending``: the literal product W_{j+1} ⋯ W_N; ``factor`` multiplies)."""
    exact = not isinstance(Ws[0], np.ndarray)

    def eye(d: int) -> Any:
        if exact:
            return identity(d)
        return np.broadcast_to(np.eye(d), (*Ws[0].shape[:-2], d, d))

    d0 = Ws[0].ncols() if exact else Ws[0].shape[-1]
    G = _prod(Ws, eye(d0)) - Phi
    out = []
    for j in range(1, len(Ws) + 1):
        after = list(Ws[j:])
        dj = Ws[j - 1].nrows() if exact else Ws[j - 1].shape[-2]
        left = _prod(after[::-1] if ascending else after, eye(dj))
        right = _prod(Ws[: j - 1], eye(d0))
        term = left.transpose() * G * right.transpose() if exact else \
            _T(left) @ G @ _T(right)
        out.append(term * factor)
    return out


# --------------------------------------------------------------------------- symbolic


def symbolic_widths() -> list[tuple[int, ...]]:
    return [w for N in (1, 2, 3) for w in product((1, 2), repeat=N + 1)]


def _symbolic_gap(widths: tuple[int, ...]) -> sp.Expr:
    """Sum of squares of (dL^N/dW_j (entrywise sympy) - (14)'s term), expanded."""
    N = len(widths) - 1
    Ws = [sp.Matrix(widths[j], widths[j - 1], lambda a, b, j=j: sp.Symbol(f"w{j}_{a}{b}"))
          for j in range(1, N + 1)]
    Phi = sp.Matrix(widths[-1], widths[0], lambda a, b: sp.Symbol(f"phi_{a}{b}"))
    E = Ws[0]
    for W in Ws[1:]:
        E = W * E
    R = E - Phi
    L = sum(e**2 for e in R) / 2
    gap = sp.Integer(0)
    for j, W in enumerate(Ws, start=1):
        left = sp.eye(widths[-1]) if j == N else Ws[-1]
        for V in reversed(Ws[j:-1]):
            left = left * V
        right = sp.eye(widths[0])
        for V in Ws[: j - 1]:
            right = V * right
        term = left.T * R * right.T
        grad = W.applyfunc(lambda w: sp.diff(L, w))
        gap += sum(sp.expand(g - t) ** 2 for g, t in zip(grad, term, strict=True))
    return sp.expand(gap)


def _derive() -> SymbolicOutcome:
    for widths in symbolic_widths():
        if _symbolic_gap(widths) != 0:
            return SymbolicOutcome(False, f"(14) differs from dL^N/dW_j at widths {widths}")
    return SymbolicOutcome(True, f"dL^N/dW_j (entrywise sympy derivatives) equals "
                                 f"W_(j+1:N)^T (W - Phi) W_(1:j-1)^T for all j and all "
                                 f"{len(symbolic_widths())} width patterns with N <= 3, "
                                 "widths <= 2")


# --------------------------------------------------------------------------- numeric


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def step_property(ascending: bool = False, factor: int = 1,
                  square_from: int | None = None) -> Property:
    """The core's GD step equals W_j − η · (14)'s term, exactly."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws, eta = layers(batch), batch["eta"]
        new = gd_step(Ws, WhitenedLoss(batch["Phi"]), eta)
        terms = eq14_gradients(Ws, batch["Phi"], ascending, factor)
        gaps = [_fro(n - (W - eta[:, None, None] * t))
                for n, W, t in zip(new, Ws, terms, strict=True)]
        scale = sum(_fro(W) + eta * _fro(t) for W, t in zip(Ws, terms, strict=True))
        return np.max(gaps, axis=0), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        Ws = to_backend(layers(inst), FMPQ)
        Phi = to_fmpq_mat(inst["Phi"])
        eta = FMPQ.scalar(inst["eta"])
        new = gd_step(Ws, WhitenedLoss(np.asarray(inst["Phi"], dtype=object)), eta, xp=FMPQ)
        terms = eq14_gradients(Ws, Phi, ascending, factor)
        gap = sum((frobenius_sq(n - (W - t * eta)) for n, W, t in zip(new, Ws, terms, strict=True)),
                  flint.fmpq(0))
        scale = sum((frobenius_sq(W) + frobenius_sq(t * eta)
                     for W, t in zip(Ws, terms, strict=True)), flint.fmpq(0))
        return flint.arb(gap).sqrt(), flint.arb(scale).sqrt()

    what = ("ascending products" if ascending else "(14)") + \
        (f" times {factor}" if factor != 1 else "")
    return Property(network_domain(square_from), margin, margin_hp, Tolerance(1e-9, 1e-12),
                    rigorous=True, description=f"exact GD step vs {what}")


H_FLOAT, H_EXACT = 1e-5, Fraction(1, 10**30)


def _dot(A: flint.fmpq_mat, B: flint.fmpq_mat) -> flint.fmpq:
    return sum((a * b for a, b in zip(A.entries(), B.entries(), strict=True)), flint.fmpq(0))


def _loss(Ws: Sequence[Any], Phi: Any) -> Any:
    return WhitenedLoss(Phi).value(_prod(Ws, np.eye(Ws[0].shape[-1])))


def fd_property() -> Property:
    """Central difference of L^N along E vs sum_j <(14)'s term_j, E_j>."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws, Es, Phi = layers(batch), layers(batch, "E"), batch["Phi"]
        plus = _loss([W + H_FLOAT * E for W, E in zip(Ws, Es, strict=True)], Phi)
        minus = _loss([W - H_FLOAT * E for W, E in zip(Ws, Es, strict=True)], Phi)
        fd = (plus - minus) / (2 * H_FLOAT)
        terms = eq14_gradients(Ws, Phi)
        inner = sum(np.sum(t * E, axis=(-2, -1)) for t, E in zip(terms, Es, strict=True))
        scale = sum(_fro(t) * _fro(E) for t, E in zip(terms, Es, strict=True)) + 1.0
        return np.abs(fd - inner), scale

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.fmpq, flint.fmpq]:
        Ws = [to_fmpq_mat(W) for W in layers(inst)]
        Es = [to_fmpq_mat(E) for E in layers(inst, "E")]
        Phi = to_fmpq_mat(inst["Phi"])
        h = flint.fmpq(H_EXACT.numerator, H_EXACT.denominator)

        def loss(sign: int) -> flint.fmpq:
            return frobenius_sq(_prod([W + E * (sign * h) for W, E in zip(Ws, Es, strict=True)],
                                      identity(Ws[0].ncols())) - Phi) / 2

        fd = (loss(1) - loss(-1)) / (2 * h)
        terms = eq14_gradients(Ws, Phi)
        inner = sum((_dot(t, E) for t, E in zip(terms, Es, strict=True)), flint.fmpq(0))
        return abs(fd - inner), flint.fmpq(1)

    return Property(network_domain(), margin, margin_hp, Tolerance(1e-5, 1e-6),
                    description="finite differences of L^N vs (14)")


EXACT_STEP = step_property()

CLAIM = Claim(
    id="CONV-Eq14", paper=CONV, location="Appendix D, eq. (14)",
    statement=STATEMENT,
    notes="The printed definition W_{j:j'} := W_j W_{j−1} ⋯ W_{j'} (1 ≤ j ≤ j' ≤ N) is "
          "garbled; the transpose identity printed with it and W_{1:N} = W_N ⋯ W_1 give "
          "W_{j:j'} = W_{j'} ⋯ W_j, under which (14) holds exactly.",
    variants=(
        Variant("as-printed", "(14) with W_{j:j'} = W_{j'} ⋯ W_j (the reading fixed by the "
                "printed transpose identity)",
                (symbolic("symbolic-chain-rule", _derive),
                 trials("exact-step", EXACT_STEP, count=256),
                 search("exact-step-search", EXACT_STEP, evaluations=8000),
                 trials("finite-differences", fd_property(), count=128)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:ascending", "W_{j+1:N} read literally as the ascending product "
                "W_{j+1} W_{j+2} ⋯ W_N (square layers, N ≥ 3)",
                (trials("exact-step", step_property(ascending=True, square_from=3),
                        count=128),),
                expected=Verdict.REFUTED),
        Variant("mutant:factor-two", "the gradient of ‖W − Φ‖_F^2 (2(W − Φ)) in place of "
                "dL/dW = W − Φ",
                (trials("exact-step", step_property(factor=2), count=128),),
                expected=Verdict.REFUTED),
    ),
)
