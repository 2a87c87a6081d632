"""ALIGN-AppI-ConvMatrix (App. I; §5.1, Definition 4, "Convolutional layers" bullet): the matrix
of a 3 x 3 filter acting on a 3 x 3 image, the subspace S of such matrices and its basis.

The matrix is rebuilt independently from the definition of 2-D convolution with the setting
the paper states (stride 1, zero padding (s - 1)/2, the image flattened row by row) and
compared entry by entry, exactly, with the printed matrix, read from its LaTeX source with
sympy symbols c_1..c_9 for the filter entries. The printed matrix is the matrix of *true*
convolution (the filter flipped: output pixel (i, j) gets c at offset (a, b) times input pixel
(i - a, j - b)); cross-correlation (what deep-learning libraries call convolution) gives its
transpose, i.e. the matrix of the filter rotated by 180 degrees, and spans the same subspace.

Findings (001 as printed):

* the filter is printed with bottom row ``c_7 c_9 c_9`` (``000`` prints ``c_7 c_8 c_9``): with
  that filter the convolution matrix has ``c_9`` where the printed matrix has ``c_8``;
* the basis ``A_i = dW/dc_i`` (the basis "with coefficients being the c_i") is orthogonal but
  not orthonormal: ``||A_i||_F^2`` is the number of output pixels where tap ``i`` lands,
  ``(4, 6, 4, 6, 9, 6, 4, 6, 4)``, so ``||W||_F^2 != ||c||^2`` (e.g. ``c = e_5``: 9 vs 1);
* "S is a 9-dimensional subspace" holds; the general claim of Definition 4 ("forms an
  s^2-dimensional subspace") fails when the filter is wider than the image allows: a tap at
  offset (a, b) acts on some pixel iff ``|a|, |b| <= p - 1``, so the dimension is
  ``min(s, 2p - 1)^2`` (e.g. p = 1, s = 3: dimension 1, not 9).
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp
from scipy.signal import convolve2d

from theorems.papers import ALIGN
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp_linalg import to_fmpq_mat
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector
from verify.verdicts import Tolerance, Verdict

PRINTED_W = (r"W = \begin{bmatrix} c_5 & c_4 & 0 & c_2 & c_1 & 0 & 0 & 0 & 0 \\ c_6 & c_5 & c_4 & "
             r"c_3 & c_2 & c_1 & 0 & 0 & 0 \\ 0 & c_6 & c_5 & 0 & c_3 & c_2 & 0 & 0 & 0 \\ c_8 & "
             r"c_7 & 0 & c_5 & c_4 & 0 & c_2 & c_1 & 0 \\ c_9 & c_8 & c_7 & c_6 & c_5 & c_4 & c_3 "
             r"& c_2 & c_1 \\ 0 & c_9 & c_8 & 0 & c_6 & c_5 & 0 & c_3 & c_2 \\ 0 & 0 & 0 & c_8 & "
             r"c_7 & 0 & c_5 & c_4 & 0 \\ 0 & 0 & 0 & c_9 & c_8 & c_7 & c_6 & c_5 & c_4 \\ 0 & 0 "
             r"& 0 & 0 & c_9 & c_8 & 0 & c_6 & c_5 \end{bmatrix}.")
"""The matrix of App. I as printed (identical in 001 and 000)."""

PRINTED_FILTER = (r"\begin{vmatrix} c_1 & c_2 & c_3 \\ c_4 & c_5 & c_6 \\ c_7 & c_9 & c_9 "
                  r"\end{vmatrix}")
"""The filter of App. I as printed in 001 (000: ``c_7 & c_8 & c_9``, in a bmatrix)."""

CORRECT_FILTER = (r"\begin{bmatrix} c_1 & c_2 & c_3 \\ c_4 & c_5 & c_6 \\ c_7 & c_8 & c_9 "
                  r"\end{bmatrix}")

STATEMENT = (
    r"Convolutional layers: treating a  $p \times p$  image as a vector in  "
    r"$\mathbb{R}^{p^2}$ , a single  $s \times s$  convolutional filter with stride 1 and "
    r"padding  $\frac{s-1}{2}$  maps the image to another  $p \times p$  image; this linear "
    r"transformation can be represented as a matrix in  $\mathbb{R}^{p^2 \times p^2}$  and the "
    r"set of all such transformations forms an  $s^2$ -dimensional [...] "
    r"subspace. [...] Consider a  $3 \times 3$  image. We map it to a 9-dimensional vector as "
    r"follows $$\begin{bmatrix} x_1 & x_2 & x_3 \\ x_4 & x_5 & x_6 \\ x_7 & x_8 & x_9 "
    r"\end{bmatrix} \Longrightarrow \begin{bmatrix} x_1 & x_2 & x_3 & x_4 & x_5 & x_6 & x_7 & "
    r"x_8 & x_9 \end{bmatrix}^T.$$ Then, the linear transformation given by applying the  "
    r"$3 \times 3$  convolutional filter  $" + PRINTED_FILTER + r"$  is given by the matrix $$"
    + PRINTED_W + r"$$ Then S consists of all matrices of the form W. S is a 9-dimensional "
    r"subspace of  $\mathbb{R}^{9\times 9}$ , with an orthonormal basis with coefficients "
    r"being the  $c_i$ .")

C = sp.symbols("c1:10")
EXACT = Tolerance(rtol=0.0, atol=0.0)
FLOAT = Tolerance(rtol=1e-12, atol=1e-12)


def parse_latex_matrix(text: str) -> sp.Matrix:
    """A sympy matrix from a LaTeX ``bmatrix``/``vmatrix`` whose entries are ``0`` or ``c_i``."""
    body = re.search(r"\\begin\{[bv]matrix\}(.*?)\\end\{[bv]matrix\}", text, re.S)
    if body is None:
        raise ValueError("no matrix in the text")
    rows = [r.split("&") for r in body.group(1).split(r"\\")]

    def entry(tok: str) -> sp.Expr:
        tok = tok.strip()
        return sp.Integer(0) if tok == "0" else C[int(tok.removeprefix("c_")) - 1]

    return sp.Matrix([[entry(t) for t in row] for row in rows])


def conv_matrix(K: Any, p: int, flip: bool = True) -> np.ndarray:
    """Matrix (p^2 x p^2, images flattened row by row) of the 2-D convolution of a p x p image
    with the s x s filter ``K`` (s odd), stride 1, zero padding (s - 1)/2, from the definition

    ``out[i, j] = sum_{a, b} K[a, b] x[i + h - a, j + h - b]``, ``h = (s - 1)/2``

    (true convolution; ``flip=False``: cross-correlation ``x[i - h + a, j - h + b]``);
    pixels outside the image are the zero padding. ``K``: any s x s array (sympy symbols,
    rationals, integers); the result is an object array of the same kind of entries."""
    K = np.asarray(K, dtype=object)
    s = K.shape[0]
    h = (s - 1) // 2
    W = np.zeros((p * p, p * p), dtype=object)
    for i in range(p):
        for j in range(p):
            for a in range(s):
                for b in range(s):
                    r, c = (i + h - a, j + h - b) if flip else (i - h + a, j - h + b)
                    if 0 <= r < p and 0 <= c < p:
                        W[i * p + j, r * p + c] += K[a, b]
    return W


W_PRINTED = parse_latex_matrix(PRINTED_W)
BASIS = np.array([[[float(W_PRINTED[r, q].diff(ci)) for q in range(9)] for r in range(9)]
                  for ci in C])
"""``A_i = dW/dc_i`` of the printed matrix: the basis "with coefficients being the c_i"."""
TAP_COUNTS = (4, 6, 4, 6, 9, 6, 4, 6, 4)
"""Output pixels of a 3 x 3 image reached by tap i with padding 1: (3 - |a|)(3 - |b|)."""


def _filter(which: str) -> sp.Matrix:
    return parse_latex_matrix(PRINTED_FILTER if which == "printed" else CORRECT_FILTER)


def _W_at(c: np.ndarray) -> np.ndarray:
    """Printed W at numeric filter values (batched: c of shape (B, 9))."""
    return np.einsum("bi,irq->brq", c, BASIS)


# --------------------------------------------------------------------------- the matrix


def _derive_matrix(which: str, flip: bool) -> SymbolicOutcome:
    """Entry-by-entry comparison of the printed W with the convolution matrix of the filter."""
    built = sp.Matrix(conv_matrix(_filter(which), 3, flip))
    diff = (W_PRINTED - built).applyfunc(sp.expand)
    bad = [(r + 1, q + 1, W_PRINTED[r, q], built[r, q]) for r in range(9) for q in range(9)
           if diff[r, q] != 0]
    kind = "convolution" if flip else "cross-correlation"
    if not bad:
        return SymbolicOutcome(True, f"all 81 entries of the printed W equal those of the "
                                     f"{kind} matrix of the {which} filter (stride 1, padding 1)")
    # an exact substitution separating them: the filter symbol of the first mismatch
    r, q, printed, _ = bad[0]
    sym = printed if printed != 0 else diff[r - 1, q - 1].free_symbols.pop()
    c = np.array([Fraction(int(ci == sym)) for ci in C], dtype=object)
    return SymbolicOutcome(
        False, f"{len(bad)} of 81 entries differ from the {kind} matrix of the {which} filter, "
               f"e.g. (row {r}, col {q}): printed {printed}, built {bad[0][3]}",
        counterexample={"c": c, "x": _unit_image(r, q)})


def _unit_image(r: int, q: int) -> np.ndarray:
    """The 3 x 3 image with a single 1 at the pixel of column q of W (row r unused)."""
    x = np.full((3, 3), Fraction(0), dtype=object)
    x[(q - 1) // 3, (q - 1) % 3] = Fraction(1)
    return x


MATRIX_DOMAIN = Domain((Vector("c", 9), Matrix("x", 3, 3)))


def matrix_property(which: str, flip: bool) -> Property:
    """Printed W applied to the flattened image x equals the convolution of x with the filter:
    float64 via scipy's ``convolve2d`` / ``correlate2d``-equivalent, exactly via
    :func:`conv_matrix` in rationals."""
    F = _filter(which)
    idx = np.array([[C.index(F[a, b]) for b in range(3)] for a in range(3)])

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        c, x = batch["c"], batch["x"]
        lhs = np.einsum("brq,bq->br", _W_at(c), x.reshape(-1, 9))
        K = c[:, idx]
        if not flip:
            K = K[:, ::-1, ::-1]
        rhs = np.stack([convolve2d(x[b], K[b], mode="same") for b in range(len(c))])
        rhs = rhs.reshape(-1, 9)
        diff = np.abs(lhs - rhs).max(axis=1)
        return diff, np.abs(rhs).max(axis=1) + np.abs(lhs).max(axis=1)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        subs = {ci: sp.Rational(v.numerator, v.denominator) for ci, v in zip(C, inst["c"],
                                                                             strict=True)}
        x = sp.Matrix(9, 1, [sp.Rational(v.numerator, v.denominator)
                             for v in inst["x"].ravel()])
        lhs = W_PRINTED.subs(subs) * x
        rhs = sp.Matrix(conv_matrix(F.subs(subs), 3, flip)) * x
        diff = max(abs(a - b) for a, b in zip(lhs, rhs, strict=True))
        scale = max(abs(v) for v in (*lhs, *rhs))
        return Fraction(str(diff)), Fraction(str(scale))

    return Property(MATRIX_DOMAIN, margin, margin_hp, FLOAT, rigorous=True,
                    description=f"W x = ({'convolution' if flip else 'cross-correlation'} of x "
                                f"with the {which} filter)")


# --------------------------------------------------------------------------- the basis


ISO_DOMAIN = Domain((Vector("c", 9),))


def norm_property(weights: tuple[int, ...]) -> Property:
    """``||W(c)||_F^2 = sum_i weights_i c_i^2`` (all ones: an orthonormal basis with
    coefficients c_i)."""
    w = np.array(weights, dtype=float)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        lhs = np.sum(_W_at(batch["c"]) ** 2, axis=(1, 2))
        rhs = batch["c"] ** 2 @ w
        return np.abs(lhs - rhs), np.maximum(lhs, rhs)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        c = list(inst["c"])
        lhs = sum((sum((int(BASIS[i, r, q]) * c[i] for i in range(9)), Fraction(0)) ** 2
                   for r in range(9) for q in range(9)), Fraction(0))
        rhs = sum(Fraction(weights[i]) * c[i] ** 2 for i in range(9))
        return abs(lhs - rhs), max(lhs, rhs)

    return Property(ISO_DOMAIN, margin, margin_hp, FLOAT, rigorous=True,
                    description=f"||W(c)||_F^2 = sum_i {list(weights)}_i c_i^2")


def _derive_gram(weights: tuple[int, ...]) -> SymbolicOutcome:
    """Gram matrix <A_i, A_j> = tr(A_i^T A_j) of the basis A_i = dW/dc_i of the printed W."""
    A = [W_PRINTED.diff(ci) for ci in C]
    gram = sp.Matrix(9, 9, lambda i, j: (A[i].T * A[j]).trace())
    target = sp.diag(*weights)
    if gram == target:
        return SymbolicOutcome(True, f"<A_i, A_j> = diag{tuple(weights)}: orthogonal basis, "
                                     f"||W(c)||_F^2 = sum_i {list(weights)}_i c_i^2")
    i = max(range(9), key=lambda j: abs(gram[j, j] - weights[j]))
    c = np.array([Fraction(int(j == i)) for j in range(9)], dtype=object)
    return SymbolicOutcome(
        False, f"<A_i, A_j> = diag{tuple(gram[j, j] for j in range(9))} (orthogonal: "
               f"{gram.is_diagonal()}), not diag{tuple(weights)}; c = e_{i + 1} separates them",
        counterexample={"c": c})


def _derive_subspace() -> SymbolicOutcome:
    """S (all matrices of the form W) has dimension 9, and it is the set of convolution
    matrices of 3 x 3 filters (same span as the 9 unit-filter matrices)."""
    A = [W_PRINTED.diff(ci) for ci in C]
    units = [conv_matrix(np.eye(9, dtype=int)[k].reshape(3, 3), 3).ravel() for k in range(9)]
    constant = not any(M.free_symbols for M in A)
    flat = [[int(v) for v in M] for M in A]
    basis = to_fmpq_mat(np.array(flat, dtype=object).T)
    joint = to_fmpq_mat(np.array(flat + [[int(v) for v in u] for u in units], dtype=object).T)
    dim, dim_joint = basis.rank(), joint.rank()
    holds = constant and dim == 9 and dim_joint == 9
    return SymbolicOutcome(holds, f"rank of the 9 basis matrices dW/dc_i: {dim}; rank together "
                                  f"with the 9 unit-filter convolution matrices: {dim_joint}")


# --------------------------------------------------------------------------- Definition 4


DIM_DOMAIN = Domain((Integer("p", 1, 6), Integer("h", 0, 4)))
"""Image size p and filter half-width h (s = 2h + 1 odd, so the padding (s - 1)/2 is whole)."""


@cache
def conv_dimension(p: int, s: int) -> int:
    """Exact dimension of the span of the s x s-filter convolution matrices on p x p images."""
    units = np.eye(s * s, dtype=int)
    entries = [int(v) for k in range(s * s) for v in conv_matrix(units[k].reshape(s, s), p).ravel()]
    return flint.fmpq_mat(s * s, p**4, entries).rank()


def _claimed(rule: str, p: int, s: int) -> int:
    return {"printed": s * s, "corrected": min(s, 2 * p - 1) ** 2,
            "mutant": min(s, 2 * p + 1) ** 2}[rule]


def dimension_property(rule: str) -> Property:
    """dim S(p, s) equals the rule's dimension (printed: s^2)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        p, s = batch["p"], 2 * batch["h"] + 1
        return (np.array([abs(conv_dimension(p, s) - _claimed(rule, p, s))], dtype=float),
                np.array([s * s], dtype=float))

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        p, s = inst["p"], 2 * inst["h"] + 1
        return abs(conv_dimension(p, s) - _claimed(rule, p, s)), s * s

    return Property(DIM_DOMAIN, margin, margin_hp, EXACT, rigorous=True,
                    description=f"dim S = {rule} rule")


def _derive_dimension(rule: str) -> SymbolicOutcome:
    """Exact ranks over p <= 6, s <= 9 against the rule; counterexample: the smallest miss."""
    misses = [(p, h) for p in range(1, 7) for h in range(5)
              if conv_dimension(p, 2 * h + 1) != _claimed(rule, p, 2 * h + 1)]
    if not misses:
        return SymbolicOutcome(True, f"dim S = {rule} rule for every p <= 6, odd s <= 9 "
                                     "(exact ranks)")
    p, h = min(misses, key=lambda m: (m[0] + m[1], m))
    s = 2 * h + 1
    return SymbolicOutcome(False, f"{len(misses)} of 30 (p, s) differ, e.g. p = {p}, s = {s}: "
                                  f"dim {conv_dimension(p, s)} vs {_claimed(rule, p, s)}",
                           counterexample={"p": p, "h": h})


def _checks(which: str, weights: tuple[int, ...], rule: str,
            flip: bool = True) -> tuple[Any, ...]:
    mat, iso, dim = (matrix_property(which, flip), norm_property(weights),
                     dimension_property(rule))
    return (
        symbolic("matrix-entries", lambda: _derive_matrix(which, flip), replay=mat.margin_hp),
        symbolic("subspace-dimension-9", _derive_subspace),
        symbolic("basis-gram", lambda: _derive_gram(weights), replay=iso.margin_hp),
        symbolic("dimension-general", lambda: _derive_dimension(rule), replay=dim.margin_hp),
        trials("matrix-vs-convolve2d", mat, count=128),
        trials("basis-norms", iso, count=128),
        trials("dimension", dim, count=64),
        search("matrix-search", mat),
        search("dimension-search", dim),
    )


CLAIM = Claim(
    id="ALIGN-AppI-ConvMatrix",
    paper=ALIGN,
    location="App. I; §5.1 Definition 4 (Convolutional layers bullet)",
    statement=STATEMENT,
    notes=("Textual differences: 001 prints the filter as a vmatrix with bottom row "
           "'c_7 & c_9 & c_9' (possibly a transcription artifact of the text version); 000 "
           "prints 'c_7 & c_8 & c_9' (bmatrix); the matrix W and the sentence on S are "
           "identical. Orientation: the printed W is true convolution (flipped filter) with "
           "stride 1 and zero padding 1 on the row-major flattening; cross-correlation gives "
           "W^T (the 180-degree rotated filter), with the same subspace S. The basis "
           "A_i = dW/dc_i is orthogonal (as Definition 4 and §5.1 say) but not orthonormal "
           "(as App. I says): ||A_i||_F^2 = 4, 6, 4, 6, 9, 6, 4, 6, 4, so by Theorem 2 "
           "gradient descent on the c_i is projected GD with per-direction scaling, not plain "
           "projected GD."),
    variants=(
        Variant("as-printed",
                "001's filter (c_7 c_9 c_9), orthonormal basis with coefficients c_i, "
                "dim S = 9 for 3 x 3, and s^2 in general (Definition 4)",
                _checks("printed", (1,) * 9, "printed"), expected=Verdict.REFUTED),
        Variant("corrected",
                "filter bottom row c_7 c_8 c_9 (as in 000); the basis dW/dc_i is orthogonal "
                "with squared norms (4, 6, 4, 6, 9, 6, 4, 6, 4) (not orthonormal); the "
                "dimension in Definition 4 is min(s, 2p - 1)^2, i.e. s^2 iff s <= 2p - 1 "
                "(taps beyond the image never act)",
                _checks("corrected", TAP_COUNTS, "corrected"), expected=Verdict.SUPPORTED),
        Variant("mutant:cross-correlation",
                "W is the matrix of cross-correlation (unflipped filter) instead of convolution",
                _checks("corrected", TAP_COUNTS, "corrected", flip=False),
                expected=Verdict.REFUTED),
        Variant("mutant:norms",
                "every basis matrix has squared norm 9 (||W||_F^2 = 9 ||c||^2)",
                _checks("corrected", (9,) * 9, "corrected"), expected=Verdict.REFUTED),
        Variant("mutant:dimension-bound",
                "dimension min(s, 2p + 1)^2 instead of min(s, 2p - 1)^2",
                _checks("corrected", TAP_COUNTS, "mutant"), expected=Verdict.REFUTED),
    ),
)
