"""ALIGN-ExampleConv (§5.2, the Example after Theorem 3): no non-trivial aligned convolutional
linear autoencoder (3 x 3 filters, m x m images, m >= 4) for generic data with n >= m^2.

Reading: an autoencoder interpolates Y = X; X of full row rank k = m^2 forces
``f = W_d ... W_1 = I``, so the data play no role and the claim is: I has no aligned
factorisation into 3 x 3 convolution matrices (:func:`theorems.alignment.app_i_conv_matrix.
conv_matrix`, zero padding 1) other than scalar multiples of I.

**The printed justification does not apply**: "letting k = m^2, r = 9 in Proposition 5" needs
the matrix ``P = Y X^T (X X^T)^{-1}`` of Proposition 4 to be generic, but here P = I, which
aligns with every matrix. The arithmetic ``9 < m^2 - 1 - C(m^2 - n, 2) iff m >= 4`` (n >= m^2)
is right (re-derived).

**Checked** for depth d = 2, where alignment is automatic (``(A A^T)^{-1}`` commutes with
``A A^T``): a non-trivial aligned factorisation is a non-scalar A in S with ``A^{-1}`` in S.
Exact membership test (entries depend only on the pixel offset, offsets within the 3 x 3
window) over random and structured filters, m = 4..6: none found (supported). The sympy check
``interior-column``: for m = 5 the centre column of ``conv(a) conv(b)`` is the full 5 x 5
convolution a * b, so ``A B = I`` forces ``a * b = delta`` (monomials, i.e. shifts, which are
singular under zero padding unless trivial): the d = 2 case holds for m >= 5. Depth d >= 3 is
not checked.

**Mutant** ``m-ge-2``: for m = 2 the filter ``[[0, 0, 0], [1/2, 1, 1/2], [0, 0, 0]]`` gives
``A = T (x) I`` with ``T = [[1, 1/2], [1/2, 1]]``, whose inverse is again such a filter: an
aligned non-trivial factorisation of I.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.alignment.app_i_conv_matrix import conv_matrix
from theorems.alignment.prop4 import alignment_excess
from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import identity, to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (r"**Example.** If  $m \geq 4$ , then a generic dataset consisting of  $n \geq m^2$   "
             r"$m \times m$  images cannot be aligned by any convolutional linear autoencoder "
             r"with filter size 3, aside from the trivial case where all layers are scalar "
             r"multiples of the identity. This follows from letting  $k = m^2$ , r = 9 in "
             r"Proposition 5.")

INDICATOR = Tolerance(rtol=0.0, atol=0.5)
"""Margins are indicators (1: a non-trivial aligned factorisation of I)."""


def in_conv_space(M: flint.fmpq_mat, m: int) -> bool:
    """Is the m^2 x m^2 matrix M a 3 x 3 convolution matrix (exact)? Entry (u, v) may only
    depend on the offset u - v of the pixels, which must lie in the 3 x 3 window."""
    seen: dict[tuple[int, int], Any] = {}
    for i in range(m * m):
        for j in range(m * m):
            off = (i // m - j // m, i % m - j % m)
            v = M[i, j]
            if max(abs(off[0]), abs(off[1])) > 1:
                if v != 0:
                    return False
            elif seen.setdefault(off, v) != v:
                return False
    return True


def factorisation(inst: Any) -> int | None:
    """1 when ``W_1 = A = conv(K)`` (not a multiple of I) and ``W_2 = A^{-1}`` lie in S and
    ``W_2`` is aligned with ``W_1`` (the product is I); None when A is singular."""
    m = inst["m"]
    A = to_fmpq_mat(conv_matrix(np.asarray(inst["K"], dtype=object), m))
    if A.rank() < m * m:
        return None
    B = A.inv()
    if A == A[0, 0] * identity(m * m) or not in_conv_space(B, m):
        return 0
    return int(B * A == identity(m * m) and alignment_excess(B, A)[0] == 0)


def factorisation_property(m_low: int) -> Property:
    """Indicator of a non-trivial aligned two-layer factorisation of I (m in [m_low, 6])."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = batch["K"].shape[0]
        out = [factorisation({"m": batch["m"], "K": batch["K"][b]}) for b in range(n)]
        return np.array([np.nan if v is None else v for v in out], float), np.ones(n)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        got = factorisation(inst)
        return None if got is None else (got, 1)

    return Property(Domain((Integer("m", m_low, 6), Matrix("K", 3, 3))), margin, margin_hp,
                    INDICATOR, rigorous=True,
                    description=f"aligned non-trivial conv factorisation of I (m >= {m_low})")


def derive_arithmetic() -> SymbolicOutcome:
    """Proposition 5's hypothesis with k = m^2, r = 9, n >= m^2 (C(k - n, 2) = 0):
    ``9 < m^2 - 1`` iff m >= 4, for m <= 12, n in [m^2, m^2 + 3]."""
    bad = [(m, n) for m in range(1, 13) for n in range(m * m, m * m + 4)
           if (9 < m * m - 1 - (comb(m * m - n, 2) if m * m - n >= 2 else 0)) != (m >= 4)]
    return SymbolicOutcome(not bad, "9 < m^2 - 1 - C(m^2 - n, 2) iff m >= 4"
                           + ("" if not bad else f": fails at {bad[:3]}"))


def derive_interior_column() -> SymbolicOutcome:
    """m = 5: the column of conv(a) conv(b) at the centre pixel equals the 5 x 5 full
    convolution a * b (sympy, symbolic filters), so A B = I forces a * b = delta."""
    a = sp.Matrix(3, 3, sp.symbols("a0:9"))
    b = sp.Matrix(3, 3, sp.symbols("b0:9"))
    m = 5
    AB = sp.Matrix(conv_matrix(a, m)) * sp.Matrix(conv_matrix(b, m))
    full = sp.zeros(5, 5)
    for i in range(3):
        for j in range(3):
            for p in range(3):
                for q in range(3):
                    full[i + p, j + q] += a[i, j] * b[p, q]
    col = AB[:, 2 * m + 2]
    ok = all(sp.expand(col[r * m + c] - full[r, c]) == 0 for r in range(m) for c in range(m))
    return SymbolicOutcome(ok, "centre column of conv(a) conv(b) = full convolution a * b "
                               "(m = 5)")


def derive_m2_counterexample() -> SymbolicOutcome:
    """m = 2, K = [[0, 0, 0], [1/2, 1, 1/2], [0, 0, 0]]: A^{-1} is the convolution matrix of
    [[0, 0, 0], [-2/3, 4/3, -2/3], [0, 0, 0]] (exact sympy)."""
    h = sp.Rational(1, 2)
    K = sp.Matrix([[0, 0, 0], [h, 1, h], [0, 0, 0]])
    A = sp.Matrix(conv_matrix(K, 2))
    c = sp.Rational(4, 3)
    inv_ok = A.inv() == sp.Matrix(conv_matrix(sp.Matrix([[0, 0, 0], [-c / 2, c, -c / 2],
                                                          [0, 0, 0]]), 2))
    inst: Instance = {"m": 2, "K": np.array([[0, 0, 0], [Fraction(1, 2), 1, Fraction(1, 2)],
                                             [0, 0, 0]], dtype=object)}
    return SymbolicOutcome(False if inv_ok else None,
                           "m = 2: A = conv([[0,0,0],[1/2,1,1/2],[0,0,0]]) has A^{-1} in S",
                           counterexample=inst)


CLAIM = Claim(
    id="ALIGN-ExampleConv",
    paper=ALIGN,
    location="§5.2, Example after Theorem 3",
    statement=STATEMENT,
    notes=("For an autoencoder f = I, so Proposition 4 gives no constraint (I aligns with "
           "everything) and Proposition 5 (a measure-zero statement about generic P) does not "
           "apply: the printed derivation is a non sequitur, although its arithmetic is right. "
           "The conclusion is checked for depth 2 only (exact search, m = 4..6; symbolic for "
           "m >= 5); depth >= 3 is open here. The claim does not depend on the data."),
    variants=(
        Variant("as-printed", "depth 2: no non-scalar A in S with A^{-1} in S (m >= 4)",
                (symbolic("arithmetic", derive_arithmetic),
                 symbolic("interior-column", derive_interior_column),
                 trials("random-filters", factorisation_property(4), count=64),
                 search("search", factorisation_property(4), evaluations=300)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:m-ge-2", "m >= 2 instead of m >= 4",
                (symbolic("m2-counterexample", derive_m2_counterexample,
                          replay=factorisation_property(2).margin_hp),
                 trials("random-filters", factorisation_property(2), count=32)),
                expected=Verdict.REFUTED),
    ),
)
