"""Orthogonal decompositions of data tensors (seed 003, §4.2 Assumption 1, App. D.2-D.3).

Assumption 1 writes a data tensor as ``M(x) = sum_j [S x]_j ([U_1]_{.,j} ⊗ ... ⊗ [U_L]_{.,j})``
(eq. (9)) with complex ``S`` (m x d) and ``U_l`` (k_l x m), ``U_l^H U_l = I_m``. This module
builds the decompositions the paper states and evaluates eq. (9):

* in float (complex128, batched): :func:`dft_matrix`, :func:`decomposition`,
  :func:`decomposed_tensor`, :func:`unitarity_defect`;
* exactly, in the cyclotomic field ``Q(psi)``, ``psi = exp(-2 pi i / d)``, extended by
  ``sqrt(d)``: :class:`Cyclo` numbers ``d^{h/2} sum_e c_e psi^e`` with rational ``c_e``;
  equality is decided by reducing modulo the cyclotomic polynomial ``Phi_d`` (python-flint),
  and nonzero values are enclosed in complex balls (:meth:`Cyclo.ball`).

The DFT matrix is the paper's (App. D.3): ``[F]_{j,k} = d^{-1/2} psi^{(j-1)(k-1)}``.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import flint
import numpy as np

from verify.errors import VerifyError

KINDS = ("diagonal", "conv")


# ----------------------------------------------------------------------------- float


def dft_matrix(d: int, normalized: bool = True) -> np.ndarray:
    """``F`` (d x d, complex): ``[F]_{j,k} = d^{-1/2} exp(-2 pi i (j-1)(k-1) / d)``
    (without the ``d^{-1/2}`` when ``normalized`` is False)."""
    j = np.arange(d)
    F = np.exp(-2j * np.pi * np.outer(j, j) / d)
    return F / np.sqrt(d) if normalized else F


@dataclass(frozen=True)
class Decomposition:
    """``S`` (m x d) and ``U_1, ..., U_L`` (k_l x m) of eq. (9), complex arrays."""

    S: np.ndarray
    U: tuple[np.ndarray, ...]


def decomposition(kind: str, d: int, depth: int, *, s_exponent: Fraction | None = None,
                  conjugate: bool = True, normalized: bool = True) -> Decomposition:
    """The decomposition stated in the paper for ``kind``:

    * ``"diagonal"`` (App. D.2): ``S = U_1 = ... = U_L = I_d``;
    * ``"conv"`` (full-length filters, App. D.3): ``S = d^{(L-1)/2} F``, ``U_l = F^*``.

    ``s_exponent`` replaces ``(L-1)/2``, ``conjugate=False`` uses ``U_l = F`` and
    ``normalized=False`` drops the ``d^{-1/2}`` of ``F`` (alternative readings / mutants).
    """
    if kind == "diagonal":
        eye = np.eye(d, dtype=complex)
        return Decomposition(eye, (eye,) * depth)
    if kind != "conv":
        raise VerifyError(f"no orthogonal decomposition known for {kind!r}")
    F = dft_matrix(d, normalized)
    exponent = Fraction(depth - 1, 2) if s_exponent is None else s_exponent
    U = np.conj(F) if conjugate else F
    return Decomposition(float(d) ** float(exponent) * F, (U,) * depth)


def decomposed_tensor(dec: Decomposition, x: np.ndarray) -> np.ndarray:
    """Eq. (9) for x of shape (..., d): complex array (..., k_1, ..., k_L)."""
    L = len(dec.U)
    letters = string.ascii_lowercase[:L]
    sx = np.asarray(x, dtype=float) @ dec.S.T
    spec = "...z," + ",".join(f"{c}z" for c in letters) + "->..." + letters
    return np.einsum(spec, sx, *dec.U, optimize=True)


def unitarity_defect(dec: Decomposition) -> float:
    """``max_l max |U_l^H U_l - I_m|`` (entrywise)."""
    m = dec.S.shape[0]
    return max(float(np.max(np.abs(U.conj().T @ U - np.eye(m)))) for U in dec.U)


# ----------------------------------------------------------------------------- exact


@cache
def _phi(d: int) -> flint.fmpq_poly:
    return flint.fmpq_poly(flint.fmpz_poly.cyclotomic(d).coeffs())


@dataclass(frozen=True)
class Cyclo:
    """The exact number ``d^{half/2} * sum_e coeffs[e] psi^e`` of ``Q(psi, sqrt(d))``,
    ``psi = exp(-2 pi i / d)`` (coefficients indexed modulo d, as ``psi^d = 1``)."""

    d: int
    coeffs: tuple[Fraction, ...]
    half: int = 0

    @classmethod
    def rational(cls, d: int, value: Fraction | int) -> Cyclo:
        return cls(d, (Fraction(value),) + (Fraction(0),) * (d - 1))

    @classmethod
    def monomial(cls, d: int, power: int, coeff: Fraction | int = 1, half: int = 0) -> Cyclo:
        coeffs = [Fraction(0)] * d
        coeffs[power % d] = Fraction(coeff)
        return cls(d, tuple(coeffs), half)

    def _aligned(self, other: Cyclo) -> tuple[Cyclo, Cyclo]:
        """Both with the same ``half`` (zeros adopt the other's; even gaps are rescaled)."""
        if self.d != other.d:
            raise VerifyError("Cyclo numbers of different orders")
        if self.half == other.half:
            return self, other
        if not any(self.coeffs):
            return Cyclo(self.d, self.coeffs, other.half), other
        if not any(other.coeffs):
            return self, Cyclo(other.d, other.coeffs, self.half)
        gap = self.half - other.half
        if gap % 2:
            raise VerifyError("adding numbers with d^{1/2} factors of different parity")
        if gap > 0:
            return Cyclo(self.d, tuple(c * self.d ** (gap // 2) for c in self.coeffs),
                         other.half), other
        return self, Cyclo(other.d, tuple(c * other.d ** (-gap // 2) for c in other.coeffs),
                           self.half)

    def __add__(self, other: Cyclo | Fraction | int) -> Cyclo:
        if not isinstance(other, Cyclo):
            other = Cyclo.rational(self.d, other)
        a, b = self._aligned(other)
        return Cyclo(a.d, tuple(p + q for p, q in zip(a.coeffs, b.coeffs, strict=True)), a.half)

    __radd__ = __add__

    def __neg__(self) -> Cyclo:
        return Cyclo(self.d, tuple(-c for c in self.coeffs), self.half)

    def __sub__(self, other: Cyclo | Fraction | int) -> Cyclo:
        return self + (-other)

    def __rsub__(self, other: Fraction | int) -> Cyclo:
        return (-self) + other

    def __mul__(self, other: Cyclo | Fraction | int) -> Cyclo:
        if not isinstance(other, Cyclo):
            return Cyclo(self.d, tuple(c * other for c in self.coeffs), self.half)
        d = self.d
        support = [e for e, c in enumerate(other.coeffs) if c]
        if len(support) == 1:
            (f,) = support
            g = other.coeffs[f]
            shifted = tuple(self.coeffs[(e - f) % d] * g for e in range(d))
            return Cyclo(d, shifted, self.half + other.half)
        out = [Fraction(0)] * d
        for e, c in enumerate(self.coeffs):
            if c:
                for f, g in enumerate(other.coeffs):
                    if g:
                        out[(e + f) % d] += c * g
        return Cyclo(d, tuple(out), self.half + other.half)

    __rmul__ = __mul__

    def conjugate(self) -> Cyclo:
        """Complex conjugate: ``psi^e -> psi^{-e}`` (coefficients and sqrt(d) are real)."""
        return Cyclo(self.d, tuple(self.coeffs[-e % self.d] for e in range(self.d)), self.half)

    def reduced(self) -> flint.fmpq_poly:
        """The polynomial part modulo the cyclotomic polynomial Phi_d (zero iff it vanishes)."""
        poly = flint.fmpq_poly([flint.fmpq(c.numerator, c.denominator) for c in self.coeffs])
        return poly % _phi(self.d)

    def is_zero(self) -> bool:
        """Exact test: the number is 0."""
        return self.reduced() == 0

    def ball(self) -> flint.acb:
        """A complex ball enclosing the number (at python-flint's working precision)."""
        total = flint.acb(0)
        for e, c in enumerate(self.coeffs):
            if c:
                angle = flint.acb(flint.arb(flint.fmpq(-2 * e, self.d)))
                total += flint.acb(flint.fmpq(c.numerator, c.denominator)) * angle.exp_pi_i()
        return total * flint.arb(self.d) ** flint.arb(flint.fmpq(self.half, 2))


def exact_dft_matrix(d: int, *, conjugate: bool = False, normalized: bool = True) -> np.ndarray:
    """``F`` (or ``F^*``) as an object array of :class:`Cyclo` numbers."""
    sign = -1 if conjugate else 1
    half = -1 if normalized else 0
    return np.array([[Cyclo.monomial(d, sign * j * k, 1, half) for k in range(d)]
                     for j in range(d)], dtype=object)


def exact_identity(d: int) -> np.ndarray:
    return np.array([[Cyclo.rational(d, int(j == k)) for k in range(d)] for j in range(d)],
                    dtype=object)


@dataclass(frozen=True)
class ExactDecomposition:
    """``S`` and ``U_l`` of eq. (9) as object arrays of :class:`Cyclo` numbers."""

    S: np.ndarray
    U: tuple[np.ndarray, ...]


def exact_decomposition(kind: str, d: int, depth: int, *, s_exponent: Fraction | None = None,
                        conjugate: bool = True, normalized: bool = True) -> ExactDecomposition:
    """:func:`decomposition` in exact arithmetic (``s_exponent`` must be a multiple of 1/2)."""
    if kind == "diagonal":
        eye = exact_identity(d)
        return ExactDecomposition(eye, (eye,) * depth)
    if kind != "conv":
        raise VerifyError(f"no orthogonal decomposition known for {kind!r}")
    exponent = Fraction(depth - 1, 2) if s_exponent is None else Fraction(s_exponent)
    if (2 * exponent).denominator != 1:
        raise VerifyError("the exponent of d in S must be a multiple of 1/2")
    F = exact_dft_matrix(d, normalized=normalized)
    scale = Cyclo(d, (Fraction(1),) + (Fraction(0),) * (d - 1), int(2 * exponent))
    S = np.array([[scale * f for f in row] for row in F], dtype=object)
    U = exact_dft_matrix(d, conjugate=conjugate, normalized=normalized)
    return ExactDecomposition(S, (U,) * depth)


def exact_decomposed_tensor(dec: ExactDecomposition, x: Sequence[Fraction]) -> np.ndarray:
    """Eq. (9) for one rational x: object array (k_1, ..., k_L) of :class:`Cyclo` numbers."""
    S = dec.S
    d = S[0, 0].d
    sx = [sum((S[j, k] * Fraction(x[k]) for k in range(S.shape[1])), Cyclo.rational(d, 0))
          for j in range(S.shape[0])]
    shape = tuple(U.shape[0] for U in dec.U)
    out = np.empty(shape, dtype=object)
    for idx in itertools.product(*(range(k) for k in shape)):
        total = Cyclo.rational(d, 0)
        for j, s in enumerate(sx):
            term = s
            for U, i in zip(dec.U, idx, strict=True):
                term = term * U[i, j]
            total = total + term
        out[idx] = total
    return out


def exact_gram_defects(dec: ExactDecomposition) -> list[Cyclo]:
    """Entries of ``U_l^H U_l - I_m`` for every l (all zero iff the U_l have orthonormal
    columns)."""
    out = []
    for U in dec.U:
        gram = exact_gram(U)
        m = gram.shape[0]
        out.extend(gram[i, j] - int(i == j) for i in range(m) for j in range(m))
    return out


def exact_gram(A: np.ndarray) -> np.ndarray:
    """``A^H A`` for an object array of :class:`Cyclo` numbers."""
    rows, cols = A.shape
    d = A[0, 0].d
    return np.array([[sum((A[r, i].conjugate() * A[r, j] for r in range(rows)),
                          Cyclo.rational(d, 0)) for j in range(cols)] for i in range(cols)],
                    dtype=object)
