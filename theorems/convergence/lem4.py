"""CONV-Lem4 — Appendix D.2.1, Lemma 4: a diagonal matrix versus a rotated diagonal matrix.

In plain text (a paraphrase; :data:`STATEMENT` quotes it as printed):

    Lemma 4. Suppose D_1, D_2 in R^{d x d} are non-negative diagonal matrices with
    non-increasing values along the diagonal and O in R^{d x d} is an orthogonal matrix.
    Suppose that ||D_1 - O D_2 O^T||_F <= epsilon, for some epsilon > 0. Then:
    1. ||D_1 - O D_1 O^T||_F <= 2 epsilon.
    2. ||D_1 - D_2||_F <= epsilon.

The conclusions are monotone in epsilon, so the statement holds iff it holds for the smallest
admissible epsilon, ``epsilon = ||D_1 - O D_2 O^T||_F`` (or epsilon -> 0+ when that is 0).
Both parts are therefore checked as ``||D_1 - O D_1 O^T||_F^2 <= 4 ||D_1 - O D_2 O^T||_F^2``
and ``||D_1 - D_2||_F^2 <= ||D_1 - O D_2 O^T||_F^2``, exactly: O is a rational orthogonal
matrix ``Pi Cayley(a R) diag(+-1)`` (Pi the identity or the reversal permutation, ``a`` set
to 0 when small so that signed permutations occur), so every instance re-checks in exact
rational arithmetic. Diagonal values are clipped at 0 (zeros, i.e. rank deficiency, occur
often) and snapped to multiples of 1/4 when close (ties occur often).

Mutants: part 1 with the constant 2 replaced by 1 (false: d = 2, D_1 = D_2 = diag(1, 0) and
O a rotation by 90 degrees with D_2 scaled gives a ratio up to sqrt(2)), and part 2 without
the ordering hypothesis on D_2.
"""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np

from theorems.papers import CONV
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.hp_linalg import frobenius_sq, to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Lemma 4.** *Suppose  $D_1, D_2 \in \mathbb{R}^{d \times d}$  are non-negative "
    r"diagonal matrices with non-increasing values along the diagonal and  $O \in "
    r"\mathbb{R}^{d \times d}$  is an orthogonal matrix. Suppose that  $\|D_1 - "
    r"OD_2O^T\|_F \leq \epsilon$ , for some  $\epsilon > 0$ . Then:*"
    "\n\n" r"1.  $\|D_1 - OD_1O^T\|_F \leq 2\epsilon$ ."
    "\n" r"2.  $\|D_1 - D_2\|_F \leq \epsilon$ .")

SNAP = 0.08
"""Diagonal values within this distance of a multiple of 1/4 are snapped onto it."""
SMALL_ANGLE = 0.15
"""Cayley scale below which O is a signed (possibly reversing) permutation."""

DOMAIN = Domain((Integer("d", 1, 4), Vector("d1", "d", -0.5, 2.0), Vector("d2", "d", -0.5, 2.0),
                 Matrix("R", "d", "d", -2.0, 2.0), Real("a", 0.0, 1.0), Real("p", -1.0, 1.0),
                 Vector("sg", "d", -1.0, 1.0)))


def diagonal_values(raw: np.ndarray, sort: bool = True) -> np.ndarray:
    """Clip at 0, snap to the 1/4 grid when close, sort non-increasingly (batched (B, d))."""
    v = np.maximum(raw, 0.0)
    q = np.round(4 * v) / 4
    v = np.where(np.abs(v - q) < SNAP, q, v)
    return -np.sort(-v, axis=-1) if sort else v


def diagonal_values_exact(raw: np.ndarray, sort: bool = True) -> list[Fraction]:
    """Exact twin of :func:`diagonal_values` (the snapping decision is the float one)."""
    out = []
    for r in raw:
        v = max(Fraction(r), Fraction(0))
        q = Fraction(round(4 * float(v)), 4)
        out.append(q if abs(float(v) - float(q)) < SNAP else v)
    return sorted(out, reverse=True) if sort else out


def orthogonal(batch: Batch) -> np.ndarray:
    """``O = Pi Cayley(a R) diag(sign(sg))`` for a batch (module docstring)."""
    a = np.where(batch["a"] < SMALL_ANGLE, 0.0, batch["a"])
    O = cayley(a[:, None, None] * batch["R"])
    O = np.where((batch["p"] < 0)[:, None, None], O[:, ::-1, :], O)
    return O * np.where(batch["sg"] < 0, -1.0, 1.0)[:, None, :]


def orthogonal_exact(inst: Instance) -> flint.fmpq_mat:
    """Exact twin of :func:`orthogonal`."""
    a = Fraction(0) if float(inst["a"]) < SMALL_ANGLE else Fraction(inst["a"])
    O = cayley_exact(np.vectorize(lambda r: a * r, otypes=[object])(inst["R"]))
    d = O.nrows()
    rows = list(range(d))[::-1] if inst["p"] < 0 else list(range(d))
    signs = [-1 if s < 0 else 1 for s in inst["sg"]]
    return flint.fmpq_mat(d, d, [O[rows[i], j] * signs[j] for i in range(d) for j in range(d)])


def _diag(values: np.ndarray) -> np.ndarray:
    return values[..., :, None] * np.eye(values.shape[-1])


def lemma4_property(part: int, constant: int = 2, sorted_d2: bool = True) -> Property:
    """Part 1 (``||D1 - O D1 O^T||_F <= constant eps``) or part 2 (``||D1 - D2||_F <= eps``) at
    ``eps = ||D1 - O D2 O^T||_F``, compared in squares."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        D1 = _diag(diagonal_values(batch["d1"]))
        D2 = _diag(diagonal_values(batch["d2"], sorted_d2))
        O = orthogonal(batch)
        Ot = np.swapaxes(O, -1, -2)
        eps2 = np.sum((D1 - O @ D2 @ Ot) ** 2, axis=(-2, -1))
        lhs = D1 - O @ D1 @ Ot if part == 1 else D1 - D2
        lhs2 = np.sum(lhs**2, axis=(-2, -1))
        rhs2 = (constant**2 if part == 1 else 1) * eps2
        return lhs2 - rhs2, lhs2 + rhs2

    def margin_hp(inst: Instance, digits: int) -> tuple[Fraction, Fraction]:
        d = int(inst["d"])
        v1 = diagonal_values_exact(inst["d1"])
        v2 = diagonal_values_exact(inst["d2"], sorted_d2)
        D1 = to_fmpq_mat(np.array([[v1[i] if i == j else 0 for j in range(d)]
                                   for i in range(d)], dtype=object))
        D2 = to_fmpq_mat(np.array([[v2[i] if i == j else 0 for j in range(d)]
                                   for i in range(d)], dtype=object))
        O = orthogonal_exact(inst)
        eps2 = frobenius_sq(D1 - O * D2 * O.transpose())
        lhs2 = frobenius_sq(D1 - O * D1 * O.transpose() if part == 1 else D1 - D2)
        rhs2 = (constant**2 if part == 1 else 1) * eps2
        return Fraction(int((lhs2 - rhs2).p), int((lhs2 - rhs2).q)), \
            Fraction(int((lhs2 + rhs2).p), int((lhs2 + rhs2).q))

    what = f"‖D1 − O D1 O^T‖_F ≤ {constant}ϵ" if part == 1 else "‖D1 − D2‖_F ≤ ϵ"
    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-9, 1e-12), rigorous=True,
                    description=f"{what} at ϵ = ‖D1 − O D2 O^T‖_F (squared)")


PART1, PART2 = lemma4_property(1), lemma4_property(2)
PART1_CONSTANT_ONE = lemma4_property(1, constant=1)
PART2_UNSORTED = lemma4_property(2, sorted_d2=False)

CLAIM = Claim(
    id="CONV-Lem4", paper=CONV, location="Appendix D.2.1, Lemma 4", statement=STATEMENT,
    variants=(
        Variant("as-printed", "both parts at the tightest ϵ, exact rational orthogonal O",
                (trials("part-1", PART1, count=512), search("part-1-search", PART1),
                 trials("part-2", PART2, count=512), search("part-2-search", PART2)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:constant-one", "part 1 with 2ϵ replaced by ϵ",
                (trials("part-1", PART1_CONSTANT_ONE, count=512),
                 search("part-1-search", PART1_CONSTANT_ONE)),
                expected=Verdict.REFUTED),
        Variant("mutant:unsorted-d2", "part 2 without the non-increasing hypothesis on D_2",
                (trials("part-2", PART2_UNSORTED, count=512),
                 search("part-2-search", PART2_UNSORTED)),
                expected=Verdict.REFUTED),
    ),
)
