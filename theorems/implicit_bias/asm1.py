r"""BIAS-Asm1: Assumption 1 (orthogonally decomposable data tensors) of "A Unifying View on
Implicit Bias in Training Linear Neural Networks", §4.2, with App D.2 and D.3.

As printed (§4.2, then App D.2 and D.3)::

    The following assumption defines a class of *orthogonally decomposable* data tensors,
    which includes **linear diagonal networks** and **linear full-length convolutional
    networks** as special cases (for the proof, see Appendix D.2 and D.3).

    **Assumption 1.** ... there exist a full column rank matrix S in C^{m x d}
    (d <= m <= min_l k_l) and matrices U_l in C^{k_l x m} such that U_l^H U_l = I_m ...
    M(x) = sum_{j=1}^m [S x]_j ([U_1]_{.,j} ⊗ ... ⊗ [U_L]_{.,j}).   (9)

    It is straightforward to verify that M_diag(x) satisfies Assumption 1 with
    S = U_1 = ... = U_L = I_d.

    For full-length convolutional networks (k_1 = ... = k_L = d), ... S = d^{(L-1)/2} F and
    U_1 = ... = U_L = F^*, [F]_{j,k} = (1/sqrt(d)) exp(-sqrt(-1) 2 pi (j-1)(k-1) / d) ...

What the checks establish (``as-printed``: supported; the symbolic check and the exact trials
certify, the float search supports):

* symbolic (sympy, exact): with ``psi = exp(-2 pi i/d)`` written as a symbol ``z`` reduced
  modulo the cyclotomic polynomial ``Phi_d(z)`` (exact arithmetic in ``Q(psi)``), eq. (9) with
  the printed ``S, U_l`` equals ``M_conv(x)`` (§3's entry formula) entrywise for symbolic x,
  ``U_l^H U_l = I_d`` and ``S^H S = d^{L-1} I_d`` (so S has full column rank), for
  ``d <= 4, L <= 3`` and ``d <= 3, L = 4``; the diagonal case likewise; for ``L = 2`` also the
  matrix form ``U_1 diag(Sx) U_2^T``;
* trials (rational x, d up to 8, L up to 4): eq. (9) against the engine's data tensor
  (:mod:`verify.core.tensor_networks`), float64 and then exactly in ``Q(psi, sqrt d)``
  (:class:`verify.core.decompositions.Cyclo`), together with ``U_l^H U_l = I``;
* a float search over larger ``d`` (up to 16) and degenerate inputs (x = 0, d = 1).

The normalisation is as printed: ``F`` is unitary (``1/sqrt(d)``), ``U_l = F^*`` (conjugate,
not ``F``) and the exponent of ``d`` in ``S`` is ``(L-1)/2``; each alternative is a planted
mutant and is refuted. Remark: for ``L = 2`` the paper calls ``U_1 diag(Sx) U_2^T`` a singular
value decomposition; with complex ``Sx`` it is a decomposition with ``x``-independent
orthonormal factors (singular values ``|[Sx]_j|``), which is what (9) states.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import flint
import numpy as np
import sympy

from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import decompositions as dc
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Property, Vector
from verify.errors import VerifyError
from verify.verdicts import Tolerance, Verdict

EXCERPTS = (
    "The following assumption defines a class of *orthogonally decomposable* data tensors, "
    "which includes **linear diagonal networks** and **linear full-length convolutional "
    "networks** as special cases (for the proof, see Appendix D.2 and D.3).",
    r"**Assumption 1.** For the data tensor  $\mathbf{M}(\mathbf{x}) \in \mathbb{R}^{k_1 "
    r"\times \dots \times k_L}$  of a linear tensor network (6), there exist a full column "
    r"rank matrix  $\mathbf{S} \in \mathbb{C}^{m \times d}$  ( $d \leq m \leq \min_l k_l$ ) "
    r"and matrices  $\mathbf{U}_1 \in \mathbb{C}^{k_1 \times m}, \dots, \mathbf{U}_L \in "
    r"\mathbb{C}^{k_L \times m}$  such that  $\mathbf{U}_l^H \mathbf{U}_l = \mathbf{I}_m$  "
    r"for all  $l \in [L]$ , and the data tensor  $\mathbf{M}(\mathbf{x})$  can be written as"
    "\n\n"
    r"$$\mathbf{M}(\mathbf{x}) = \sum_{j=1}^m [\mathbf{S}\mathbf{x}]_j ([\mathbf{U}_1]_{\cdot,j}"
    r" \otimes [\mathbf{U}_2]_{\cdot,j} \otimes \dots \otimes [\mathbf{U}_L]_{\cdot,j}). "
    r"\quad (9)$$",
    r"In case of  $L = 2$ , Assumption 1 requires that the data tensor  $\mathbf{M}(\mathbf{x})$"
    r"  (now a matrix) has singular value decomposition  $\mathbf{M}(\mathbf{x}) = \mathbf{U}_1 "
    r"\text{diag}(\mathbf{S}\mathbf{x})\mathbf{U}_2^T$ ; i.e., the left and right singular "
    r"vectors are independent of  $\mathbf{x}$ , and the singular values are linear in  "
    r"$\mathbf{x}$ .",
    r"It is straightforward to verify that  $\mathbf{M}_{\text{diag}}(\mathbf{x})$  satisfies "
    r"Assumption 1 with  $\mathbf{S} = \mathbf{U}_1 = \dots = \mathbf{U}_L = \mathbf{I}_d$ .",
    r"For full-length convolutional networks ( $k_1 = \dots = k_L = d$ ), we will prove that "
    r"they satisfy Assumption 1 with  $\mathbf{S} = d^{\frac{L-1}{2}} \mathbf{F}$  and  "
    r"$\mathbf{U}_1 = \dots = \mathbf{U}_L = \mathbf{F}^*$ , where  $\mathbf{F} \in "
    r"\mathbb{C}^{d \times d}$  is the matrix of discrete Fourier transform basis  "
    r"$[\mathbf{F}]_{j,k} = \frac{1}{\sqrt{d}} \exp(-\frac{\sqrt{-1} \cdot 2\pi(j-1)(k-1)}{d})$"
    r"  and  $\mathbf{F}^*$  is the complex conjugate of  $\mathbf{F}$ .",
)
STATEMENT = "\n\n[...]\n\n".join(EXCERPTS)

KIND_NAMES = ("diagonal", "conv")
TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)
MAX_ENTRIES = 512
"""Trials use d^L <= MAX_ENTRIES (exact re-evaluation in Q(psi) stays fast)."""


# --------------------------------------------------------------------------- readings

Reading = dict[str, Any]
"""Keyword arguments of :func:`verify.core.decompositions.decomposition` (the S, U chosen)."""

PRINTED: Reading = {}
U_EQUALS_F: Reading = {"conjugate": False}
UNNORMALIZED_F: Reading = {"normalized": False}


def _s_exponent_l_over_2(L: int) -> Reading:
    return {"s_exponent": Fraction(L, 2)}


def _reading(name: str, L: int) -> Reading:
    if name == "s-exponent":
        return _s_exponent_l_over_2(L)
    return {"printed": PRINTED, "u-equals-f": U_EQUALS_F, "unnormalized-f": UNNORMALIZED_F}[name]


def network(kind: int, d: int, L: int) -> tn.TensorNetwork:
    """The network whose data tensor is decomposed: diagonal, or full-length convolutional."""
    return tn.diagonal(d, L) if kind == 0 else tn.conv(d, [d] * L)


# --------------------------------------------------------------------------- symbolic (sympy)

_z = sympy.Symbol("z")


def _sympy_factors(kind: str, d: int, L: int,
                   reading: Reading) -> tuple[sympy.Matrix, sympy.Matrix]:
    """``S`` and ``U`` (all ``U_l`` equal) from the printed formulas, with ``psi -> z``."""
    if kind == "diagonal":
        return sympy.eye(d), sympy.eye(d)
    root = sympy.sqrt(d)
    norm = 1 / root if reading.get("normalized", True) else sympy.Integer(1)
    F = sympy.Matrix(d, d, lambda j, k: norm * _z ** (j * k % d))
    F_conj = sympy.Matrix(d, d, lambda j, k: norm * _z ** (-j * k % d))
    exponent = reading.get("s_exponent", sympy.Rational(L - 1, 2))
    U = F_conj if reading.get("conjugate", True) else F
    return d ** sympy.Rational(exponent) * F, U


def _reduce(expr: sympy.Expr, d: int) -> sympy.Expr:
    """``expr`` (polynomial in z) reduced modulo Phi_d(z): zero iff it vanishes at z = psi."""
    return sympy.rem(sympy.expand(expr), sympy.cyclotomic_poly(d, _z), _z)


def _conjugate(expr: sympy.Expr, d: int) -> sympy.Expr:
    """Complex conjugate of a polynomial in psi with real coefficients: z^e -> z^{(-e) mod d}."""
    poly = sympy.Poly(sympy.expand(expr), _z)
    return sum(c * _z ** (-e[0] % d) for e, c in zip(poly.monoms(), poly.coeffs(), strict=True))


def printed_m(kind: str, d: int, x: tuple[sympy.Symbol, ...], idx: tuple[int, ...]) -> sympy.Expr:
    """``[M_diag(x)]`` or ``[M_conv(x)]`` at the 0-based index ``idx``, from §3's definitions
    (``[x]_{(sum_l j_l - L + 1) mod d}`` with 1-based j_l and the paper's mod into [d])."""
    L = len(idx)
    if kind == "diagonal":
        return x[idx[0]] if len(set(idx)) == 1 else sympy.Integer(0)
    a = sum(i + 1 for i in idx) - L + 1
    return x[a - (a - 1) // d * d - 1]


def derive_decomposition(kind: str, d: int, L: int, reading: Reading) -> list[str]:
    """Mismatches of eq. (9), ``U^H U = I`` and ``S^H S = c I`` for one (kind, d, L)."""
    x = sympy.symbols(f"x1:{d + 1}")
    S, U = _sympy_factors(kind, d, L, reading)
    sx = [sum(S[j, k] * x[k] for k in range(d)) for j in range(d)]
    problems = []
    for idx in itertools.product(range(d), repeat=L):
        value = sum(sx[j] * sympy.Mul(*[U[i, j] for i in idx]) for j in range(d))
        if _reduce(value - printed_m(kind, d, x, idx), d) != 0:
            problems.append(f"(9) differs from M_{kind} at {tuple(i + 1 for i in idx)}")
            break
    for name, A in (("U", U), ("S", S)):
        gram = [[_reduce(sum(_conjugate(A[r, i], d) * A[r, j] for r in range(d)), d)
                 for j in range(d)] for i in range(d)]
        c = gram[0][0]
        target = 1 if name == "U" else c
        if name == "S" and not (c.is_number and c > 0):
            problems.append(f"[S^H S]_11 = {c} is not positive")
        if any(gram[i][j] != (target if i == j else 0) for i in range(d) for j in range(d)):
            problems.append(f"{name}^H {name} is not {'I' if name == 'U' else 'c I'}")
    if L == 2:
        matrix = U * sympy.diag(*sx) * U.T
        if any(_reduce(matrix[i, j] - printed_m(kind, d, x, (i, j)), d) != 0
               for i in range(d) for j in range(d)):
            problems.append("U_1 diag(Sx) U_2^T differs from M(x)")
    return problems


SYMBOLIC_CASES = (*((d, L) for d in range(1, 5) for L in (2, 3)), (2, 4), (3, 4))


def derive(reading_name: str, kinds: tuple[str, ...] = KIND_NAMES) -> Callable[[], SymbolicOutcome]:
    """Sympy check of eq. (9) with the decomposition of ``reading_name`` on SYMBOLIC_CASES;
    a mismatch yields a counterexample instance (x = (1, 2, ..., d)) for the replay."""

    def run() -> SymbolicOutcome:
        for kind in kinds:
            for d, L in SYMBOLIC_CASES:
                problems = derive_decomposition(kind, d, L, _reading(reading_name, L))
                if problems:
                    cex = {"kind": KIND_NAMES.index(kind), "L": L, "d": d,
                           "x": np.array([Fraction(k + 1) for k in range(d)], dtype=object)}
                    return SymbolicOutcome(False, f"{kind}, d={d}, L={L}: {'; '.join(problems)}",
                                           counterexample=cex)
        cases = ", ".join(f"(d={d}, L={L})" for d, L in SYMBOLIC_CASES)
        return SymbolicOutcome(True, f"exact in Q(psi) (mod Phi_d): (9) = M(x) entrywise for "
                                     f"symbolic x, U^H U = I, S^H S = c I with c > 0, and for "
                                     f"L = 2 U_1 diag(Sx) U_2^T = M(x); kinds {kinds}; {cases}")

    return run


# --------------------------------------------------------------------------- numeric property


def _float_margin(reading_name: str) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        kind, d, L, x = batch["kind"], batch["d"], batch["L"], batch["x"]
        dec = dc.decomposition(KIND_NAMES[kind], d, L, **_reading(reading_name, L))
        M9 = dc.decomposed_tensor(dec, x)
        M = tn.data_tensor(network(kind, d, L), x)
        gap = np.abs(M9 - M).reshape(x.shape[0], -1).max(axis=1)
        scale = np.maximum(np.abs(x).max(axis=1), 1.0)
        return np.maximum(gap, dc.unitarity_defect(dec) * scale), scale

    return margin


def _exact_gap(value: dc.Cyclo, target: Fraction) -> dc.Cyclo | flint.acb:
    """``value - target`` exactly when the sqrt(d) parities agree, else as a complex ball."""
    try:
        return value - target
    except VerifyError:  # sqrt(d) factors of different parity: compare as a ball
        return value.ball() - flint.acb(flint.fmpq(target.numerator, target.denominator))


def _magnitude(gap: dc.Cyclo | flint.acb) -> Fraction | flint.arb:
    if isinstance(gap, dc.Cyclo):
        return Fraction(0) if gap.is_zero() else abs(gap.ball())
    return abs(gap)


def _margin_hp(reading_name: str) -> Callable[[Instance, int], tuple[Any, Any]]:
    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        kind, d, L, x = inst["kind"], inst["d"], inst["L"], list(inst["x"])
        with flint.ctx.workprec(int(3.33 * digits) + 40):
            dec = dc.exact_decomposition(KIND_NAMES[kind], d, L, **_reading(reading_name, L))
            M9 = dc.exact_decomposed_tensor(dec, x)
            net = network(kind, d, L)
            basis = tn.basis_tensor(net).astype(int).astype(object)
            M = np.tensordot(np.array(x, dtype=object), basis, axes=([0], [0]))
            gaps = [_magnitude(_exact_gap(M9[i], M[i])) for i in np.ndindex(M.shape)]
            gaps += [_magnitude(g) for g in dc.exact_gram_defects(dec)]
            nonzero = [g for g in gaps if not (isinstance(g, Fraction) and g == 0)]
            scale = max([abs(v) for v in x] + [Fraction(1)])
            if not nonzero:
                return Fraction(0), scale
            worst = nonzero[0]
            for g in nonzero[1:]:
                worst = flint.arb(worst).max(flint.arb(g))
            return flint.arb(worst), scale

    return margin_hp


def _domain(d_max: int, kinds: tuple[int, ...] = (0, 1), entries: int = MAX_ENTRIES) -> Domain:
    return Domain((Integer("kind", min(kinds), max(kinds)), Integer("L", 2, 4),
                   Integer("d", 1, d_max), Vector("x", "d")),
                  dims_ok=lambda dims: dims["d"] ** dims["L"] <= entries)


@functools.cache
def prop(reading_name: str, kinds: tuple[int, ...] = (0, 1), d_max: int = 8,
         entries: int = MAX_ENTRIES) -> Property:
    """Eq. (9) with the decomposition of ``reading_name`` equals the data tensor, and
    ``U_l^H U_l = I``: excess = max entrywise defect (exact in ``Q(psi, sqrt d)``)."""
    return Property(_domain(d_max, kinds, entries), _float_margin(reading_name),
                    _margin_hp(reading_name), TOLERANCE, rigorous=True,
                    description=f"max |(9) - M(x)| and max |U^H U - I| ({reading_name} S, U_l)")


SEARCH_D_MAX = 12
SEARCH_ENTRIES = 512


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Asm1",
    paper=BIAS,
    location="§4.2 Assumption 1, eq. (9); App D.2 (diagonal), App D.3 (full-length conv)",
    statement=STATEMENT,
    notes=("Indices are 1-based in the paper (F entries use (j-1)(k-1)); psi = exp(-2 pi i/d). "
           "F is the unitary DFT (1/sqrt d), F^* its entrywise conjugate, so U_l^H U_l = "
           "F^T F^* = I. Products of the printed normalisations give [M(x)]_{j_1..j_L} = "
           "d^{(L-2)/2} d^{-L/2} sum_l (...) = (1/d) sum_l (...), App D.3's first line. Diagonal "
           "and conv are compared with the engine's data tensors (verify.core.tensor_networks)."),
    variants=(
        Variant(
            "as-printed",
            "diagonal networks (S = U_l = I_d) and full-length convolutional networks "
            "(S = d^{(L-1)/2} F, U_l = F^*, F with 1/sqrt d) satisfy Assumption 1",
            (
                symbolic("sympy-cyclotomic", derive("printed")),
                trials("exact-Q(psi)", prop("printed"), count=256),
                search("search-large-d", prop("printed", d_max=SEARCH_D_MAX,
                                              entries=SEARCH_ENTRIES)),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:u-equals-f",
            "planted: U_l = F instead of its conjugate F^* (gives x at the reflected index)",
            (symbolic("sympy-cyclotomic", derive("u-equals-f", ("conv",)),
                      replay=prop("u-equals-f", (1,)).margin_hp),
             trials("exact-Q(psi)", prop("u-equals-f", (1,)), count=64)),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:s-exponent",
            "planted: S = d^{L/2} F (exponent L/2 instead of (L-1)/2)",
            (symbolic("sympy-cyclotomic", derive("s-exponent", ("conv",)),
                      replay=prop("s-exponent", (1,)).margin_hp),
             trials("exact-Q(psi)", prop("s-exponent", (1,)), count=64)),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:unnormalized-f",
            "planted: F without the 1/sqrt(d) normalisation (then U^H U = d I)",
            (search("search", prop("unnormalized-f", (1,))),),
            expected=Verdict.REFUTED,
        ),
    ),
)
