"""CONV-Proc1 — §3.3, Procedure 1 (balanced initialization) and footnotes 4-5.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Procedure 1 (Balanced initialization). Given d_0, d_1, ..., d_N ∈ N such that
    min{d_1, ..., d_{N-1}} ≥ min{d_0, d_N} and a distribution D over d_N × d_0 matrices, a
    balanced initialization of W_j ∈ R^{d_j × d_{j-1}}, j = 1, ..., N, assigns these weights
    as follows: (i) Sample A ∈ R^{d_N × d_0} according to D. (ii) Take the singular value
    decomposition A = U Σ V^⊤, where U ∈ R^{d_N × min{d_0,d_N}}, V ∈ R^{d_0 × min{d_0,d_N}}
    have orthonormal columns, and Σ ∈ R^{min{d_0,d_N} × min{d_0,d_N}} is diagonal and holds
    singular values of A. (iii) Set W_N ≃ U Σ^{1/N}, W_{N-1} ≃ Σ^{1/N}, ..., W_2 ≃ Σ^{1/N},
    W_1 ≃ Σ^{1/N} V^⊤, where the symbol "≃" stands for equality up to zero-valued padding.
    Footnote 4: These assignments can be accomplished since min{d_1, ..., d_{N-1}} ≥
    min{d_0, d_N}. Footnote 5: It follows from the definition that W_{1:N} = A and
    W_{j+1}^⊤ W_{j+1} = W_j W_j^⊤, ∀j ∈ {1, ..., N-1} ...

Verdict: holds (certified on exact instances). The procedure is implemented once, in
:mod:`verify.core.balanced_init`. For N = 1 the printed assignments W_N ≃ UΣ and W_1 ≃ ΣV^⊤
coincide only as W_1 = UΣV^⊤ = A, which is how N = 1 is read.

Checks.

* ``symbolic``: for every width pattern with N ≤ 3, widths ≤ 2 (hypothesis of footnote 4),
  sympy builds the layers from a symbolic Cayley-parametrised orthogonal U, V and symbolic
  singular values s_i ≥ 0 (Σ^{1/N} = diag(s_i^{1/N})) and simplifies W_{1:N} − A and every
  W_{j+1}^⊤W_{j+1} − W_jW_j^⊤ to zero.
* ``exact-trials`` / ``exact-search``: A = U diag(r)^N V^⊤ with rational orthonormal frames
  (Cayley) and rational roots r ≥ 0 (zeros frequent: rank-deficient and zero A), depths 1-4,
  widths 1-3 under footnote 4's hypothesis; the layers are exactly rational and both
  identities are decided exactly.
* ``svd-search``: arbitrary A (entries in [-2, 2], structured/boundary samples included)
  through numpy's SVD, re-checked with mpmath's SVD at the budget's digits.

Mutants: Σ^{1/(N+1)} instead of Σ^{1/N}; the width hypothesis dropped (a hidden layer
narrower than min{d_0, d_N}, the diagonal truncated), which loses rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise, product

import flint
import mpmath
import numpy as np
import sympy as sp

from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.balanced_init import (
    balanced_initialization,
    frames,
    procedure1_exact,
    procedure1_from_svd,
    procedure1_mp,
    rational_frames,
)
from verify.core.balanced_layers import balancedness_sq_exact
from verify.core.hp_linalg import frobenius_sq
from verify.core.measures import balancedness
from verify.core.networks import end_to_end
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Procedure 1** (Balanced initialization). *Given  $d_0, d_1, \dots, d_N \in "
    r"\mathbb{N}$  such that  $\min\{d_1, \dots, d_{N-1}\} \geq \min\{d_0, d_N\}$  and a "
    r"distribution  $\mathcal{D}$  over  $d_N \times d_0$  matrices, a balanced "
    r"initialization of  $W_j \in \mathbb{R}^{d_j \times d_{j-1}}$ ,  $j=1, \dots, N$ , "
    r"assigns these weights as follows:*"
    "\n\n" r"- (i) *Sample  $A \in \mathbb{R}^{d_N \times d_0}$  according to  $\mathcal{D}$ .*"
    "\n" r"- (ii) *Take the singular value decomposition  $A = U\Sigma V^\top$ , where  $U \in "
    r"\mathbb{R}^{d_N \times \min\{d_0, d_N\}}$ ,  $V \in \mathbb{R}^{d_0 \times "
    r"\min\{d_0, d_N\}}$  have orthonormal columns, and  $\Sigma \in "
    r"\mathbb{R}^{\min\{d_0, d_N\} \times \min\{d_0, d_N\}}$  is diagonal and holds "
    r"singular values of  $A$ .*"
    "\n" r"- (iii) *Set  $W_N \simeq U\Sigma^{1/N}$ ,  $W_{N-1} \simeq \Sigma^{1/N}$ ,  "
    r"$\dots$ ,  $W_2 \simeq \Sigma^{1/N}$ ,  $W_1 \simeq \Sigma^{1/N}V^\top$ , where the "
    r'symbol " $\simeq$ " stands for equality up to zero-valued padding.<sup>4 5</sup>*'
    " [...] "
    r"<sup>4</sup>These assignments can be accomplished since  $\min\{d_1, \dots, "
    r"d_{N-1}\} \geq \min\{d_0, d_N\}$ ."
    "\n\n" r"<sup>5</sup>It follows from the definition that  $W_{1:N} = A$  and  $W_{j+1}^\top "
    r"W_{j+1} = W_j W_j^\top, \forall j \in \{1, \dots, N-1\}$  — these properties are "
    r"actually all we need in Theorem 2, and step (iii) in Procedure 1 is just one way to "
    r"ensure them.")

MAX_DEPTH, MAX_WIDTH = 4, 3


def _widths(d: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(int(d[f"d{j}"]) for j in range(int(d["N"]) + 1))


def _dims_ok(narrow: bool):
    """Widths beyond N pinned to 1, dN = d_N, k = min(d_0, d_N); footnote 4's hypothesis
    (``narrow``: at least one hidden layer narrower than k instead)."""

    def ok(d: Mapping[str, int]) -> bool:
        N, w = d["N"], _widths(d)
        if any(d[f"d{j}"] != 1 for j in range(N + 1, MAX_DEPTH + 1)):
            return False
        if d["dN"] != w[-1] or d.get("k", min(w[0], w[-1])) != min(w[0], w[-1]):
            return False
        narrowest = min(w[1:-1], default=MAX_WIDTH + 1)
        return narrowest < min(w[0], w[-1]) if narrow else narrowest >= min(w[0], w[-1])

    return ok


def _integers(with_k: bool) -> list:
    out = [Integer("N", 1, MAX_DEPTH), Integer("dN", 1, MAX_WIDTH)]
    out += [Integer("k", 1, MAX_WIDTH)] if with_k else []
    return out + [Integer(f"d{j}", 1, MAX_WIDTH) for j in range(MAX_DEPTH + 1)]


def frames_domain(narrow: bool = False) -> Domain:
    """A = U diag(r)^N V^T from raw Cayley parameters and roots r (clipped at 0) times a
    log-uniform scale."""
    variables = [*_integers(True), Matrix("U", "dN", "dN", -2.0, 2.0),
                 Matrix("V", "d0", "d0", -2.0, 2.0), Vector("r", "k", -0.5, 2.0),
                 Real("scale", 0.25, 4.0, log=True)]
    return Domain(tuple(variables), dims_ok=_dims_ok(narrow))


SVD_DOMAIN = Domain(tuple([*_integers(False), Matrix("A", "dN", "d0", -2.0, 2.0)]),
                    dims_ok=_dims_ok(False))


def _fro(A: np.ndarray) -> np.ndarray:
    return np.linalg.norm(A, axis=(-2, -1))


def _float_margin(A: np.ndarray, Ws: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """excess = ||W_{1:N} - A||_F + max_j ||W_{j+1}^T W_{j+1} - W_j W_j^T||_F."""
    excess = _fro(end_to_end(Ws) - A) + balancedness(Ws)
    return excess, _fro(A) + np.max([_fro(W) ** 2 for W in Ws], axis=0)


def frames_property(narrow: bool = False) -> Property:
    """Footnote 5 on exactly rational instances (see module docstring)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        widths, k = _widths(batch), int(batch["k"])
        U, V = frames(batch["U"], batch["V"], k)
        sigma = (np.maximum(batch["r"], 0.0) * batch["scale"][:, None]) ** (len(widths) - 1)
        A = (U * sigma[:, None, :]) @ np.swapaxes(V, -1, -2)
        return _float_margin(A, procedure1_from_svd(U, sigma, V, widths))

    def margin_hp(inst: Instance, digits: int) -> tuple[flint.arb, flint.arb]:
        widths, k = _widths(inst), int(inst["k"])
        U, V = rational_frames(inst["U"], inst["V"], k)
        roots = [max(Fraction(v), Fraction(0)) * Fraction(inst["scale"]) for v in inst["r"]]
        A, Ws = procedure1_exact(U, roots, V, widths)
        prod = Ws[0]
        for W in Ws[1:]:
            prod = W * prod
        excess = flint.arb(frobenius_sq(prod - A)).sqrt() + \
            flint.arb(balancedness_sq_exact(Ws)).sqrt()
        scale = flint.arb(frobenius_sq(A)).sqrt() + max(frobenius_sq(W) for W in Ws)
        return excess, scale

    what = "a hidden layer narrower than min(d_0, d_N)" if narrow else "footnote 4's widths"
    return Property(frames_domain(narrow), margin, margin_hp, Tolerance(1e-9, 1e-12),
                    rigorous=True, description=f"W_(1:N) = A and 0-balanced, {what}, exact")


def svd_property(degree_shift: int = 0) -> Property:
    """Footnote 5 for arbitrary A through an SVD (numpy, then mpmath at high precision);
    ``degree_shift = 1`` takes Σ^{1/(N+1)} (mutant)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        widths = _widths(batch)
        N = len(widths) - 1
        root = 1.0 / (N + degree_shift) if N > 1 else None
        return _float_margin(batch["A"], balanced_initialization(batch["A"], widths, root))

    def margin_hp(inst: Instance, digits: int) -> tuple[mpmath.mpf, mpmath.mpf]:
        widths = _widths(inst)
        N = len(widths) - 1
        with mpmath.workdps(digits):
            A = mpmath.matrix([[mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
                                for v in row] for row in inst["A"]])
            Ws = procedure1_mp(inst["A"], widths, digits, degree=N + degree_shift)
            prod = Ws[0]
            for W in Ws[1:]:
                prod = W * prod
            gaps = [mpmath.mnorm(b.T * b - a * a.T, "F") for a, b in pairwise(Ws)]
            excess = mpmath.mnorm(prod - A, "F") + max(gaps, default=mpmath.mpf(0))
            scale = mpmath.mnorm(A, "F") + max(mpmath.mnorm(W, "F") ** 2 for W in Ws)
            return excess, scale

    what = "Σ^{1/(N+1)}" if degree_shift else "Σ^{1/N}"
    return Property(SVD_DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12),
                    description=f"W_(1:N) = A and 0-balanced for any A via its SVD, {what}")


# --------------------------------------------------------------------------- symbolic


def _cayley_sym(d: int, name: str) -> sp.Matrix:
    """A symbolic orthogonal d x d matrix (Cayley transform of a symbolic skew matrix)."""
    S = sp.zeros(d, d)
    for i, j in product(range(d), range(d)):
        if i < j:
            a = sp.Symbol(f"{name}{i}{j}", real=True)
            S[i, j], S[j, i] = a, -a
    eye = sp.eye(d)
    return (eye - S) * (eye + S).inv()


def _padded(values: list[sp.Expr], rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: values[i] if i == j and i < len(values) else 0)


def symbolic_layers(widths: tuple[int, ...]) -> tuple[sp.Matrix, list[sp.Matrix]]:
    """(A, layers) of Procedure 1 with symbolic orthogonal frames and singular values."""
    N, d0, dN = len(widths) - 1, widths[0], widths[-1]
    k = min(d0, dN)
    U = _cayley_sym(dN, "u")[:, :k]
    V = _cayley_sym(d0, "v")[:, :k]
    s = [sp.Symbol(f"s{i}", nonnegative=True) for i in range(k)]
    A = U * sp.diag(*s) * V.T
    if N == 1:
        return A, [U * sp.diag(*s) * V.T]
    r = [si ** sp.Rational(1, N) for si in s]
    layers = [_padded(r, widths[1], k) * V.T]
    layers += [_padded(r, widths[j], widths[j - 1]) for j in range(2, N)]
    layers.append(U * _padded(r, k, widths[N - 1]))
    return A, layers


def symbolic_widths() -> list[tuple[int, ...]]:
    """Every width pattern with N <= 3, widths <= 2, satisfying footnote 4's hypothesis."""
    out = []
    for N in (1, 2, 3):
        for w in product((1, 2), repeat=N + 1):
            if min(w[1:-1], default=3) >= min(w[0], w[-1]):
                out.append(w)
    return out


def _derive() -> SymbolicOutcome:
    for widths in symbolic_widths():
        A, Ws = symbolic_layers(widths)
        prod = Ws[0]
        for W in Ws[1:]:
            prod = W * prod
        residues = [prod - A] + [b.T * b - a * a.T for a, b in pairwise(Ws)]
        for R in residues:
            if any(sp.simplify(e) != 0 for e in R):
                return SymbolicOutcome(False, f"non-zero residue at widths {widths}")
    return SymbolicOutcome(True, f"W_(1:N) - A and W_(j+1)^T W_(j+1) - W_j W_j^T simplify to 0 "
                                 f"for the {len(symbolic_widths())} width patterns with N <= 3, "
                                 "widths <= 2 (Cayley-parametrised U, V; symbolic s_i >= 0)")


EXACT, NARROW = frames_property(), frames_property(narrow=True)
SVD, WRONG_ROOT = svd_property(), svd_property(degree_shift=1)

CLAIM = Claim(
    id="CONV-Proc1", paper=CONV, location="§3.3, Procedure 1 and footnotes 4-5",
    statement=STATEMENT,
    notes="Implemented once in verify.core.balanced_init (float, exact and mpmath twins). "
          "N = 1 is read as W_1 = UΣV^⊤ = A.",
    variants=(
        Variant("as-printed", "Procedure 1 gives W_(1:N) = A and 0-balanced layers "
                "(footnote 5) under footnote 4's width hypothesis",
                (symbolic("symbolic-footnote-5", _derive),
                 trials("exact-trials", EXACT, count=256),
                 search("exact-search", EXACT, evaluations=8000),
                 search("svd-search", SVD, evaluations=8000)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:root", "Σ^{1/(N+1)} in place of Σ^{1/N}",
                (trials("svd-trials", WRONG_ROOT, count=128),),
                expected=Verdict.REFUTED),
        Variant("mutant:narrow-hidden", "footnote 4's hypothesis dropped: a hidden width below "
                "min{d_0, d_N} (the diagonal is truncated)",
                (trials("exact-trials", NARROW, count=128),),
                expected=Verdict.REFUTED),
    ),
)
