r"""INIT-Eq4.1 — the gradients and the GD iteration of the h-hidden-layer network, §4.1 of
seed 004 ("On the Role of Initialization on the Implicit Bias in Deep Learning").

The model (§4.1): ``L_{A,b}(W_1, ..., W_h, x) = 1/2 ||A W_1 W_2 ... W_h x - b||_2^2`` with
h > 1, A (n x d), every W_j (d x d), x (d). As printed, the gradients are

    grad_{W_j} L = W_{j-1}^T ... W_1^T A^T (A W_1 ... W_h x - b) x^T W_h^T ... W_{j+1}^T,
                                                                               1 < j < h
                   (A W_1 ... W_h x - b) x^T W_h^T ... W_2^T,                  j = 1
                   W_{h-1}^T ... W_1^T A^T (A W_1 ... W_h x - b),              j = h
    grad_x L = W_h^T W_{h-1}^T ... W_1^T A^T (A W_1 W_2 ... W_h x - b)

and the iteration is ``W_j^(k+1) = W_j^(k) - alpha grad_{W_j} L``, ``x_{k+1} = x_k - alpha
grad_x L``.

Verdict: refuted as printed. Derived entrywise with sympy from the loss, the middle case and
grad_x are right, but the j = 1 case lacks the leading ``A^T`` (as printed it is an n x d
matrix, W_1 is d x d) and the j = h case lacks the trailing ``x^T`` (as printed it is a
d-vector, W_h is d x d). The corrected variant, ``grad_{W_1} L = A^T (A W_1 ... W_h x - b) x^T
W_h^T ... W_2^T`` and ``grad_{W_h} L = W_{h-1}^T ... W_1^T A^T (A W_1 ... W_h x - b) x^T``, is
what the paper itself uses later (proof of Lemma 10), is certified symbolically and equals
the numeric core's layer gradients and GD step exactly (rational arithmetic) on every
sampled instance. The margin compares a printed expression of the wrong shape zero-padded
(or cut) to the layer's shape.

This module also holds the §4.1 setting shared by INIT-Lem8, -Lem10, -Lem11, -Thm12, -Lem9
and -Alg4: inputs on a dyadic grid (so exact runs stay small), the step-size scale, the
exact setting and the norms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np
import sympy as sp

from theorems.initialization.lem5 import arb_sqrt, norm, prec
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.core.hp import FMPQ
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import TINY, Tolerance, Verdict

STATEMENT = (
    "$$\\nabla_{\\mathbf{W}_{j}} L_{\\mathbf{A}, \\mathbf{b}}(\\mathbf{W}_{1}, "
    "\\mathbf{W}_{2}, \\dots, \\mathbf{W}_{h}, \\mathbf{x}) = \\begin{cases} "
    "\\mathbf{W}_{j-1}^{\\mathrm{T}} \\dots \\mathbf{W}_{1}^{\\mathrm{T}} "
    "\\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} \\mathbf{W}_{1} \\dots \\mathbf{W}_{h} "
    "\\mathbf{x} - \\mathbf{b}) \\mathbf{x}^{\\mathrm{T}} \\mathbf{W}_{h}^{\\mathrm{T}} "
    "\\dots \\mathbf{W}_{j+1}^{\\mathrm{T}}, & 1 < j < h \\\\ (\\mathbf{A} \\mathbf{W}_{1} "
    "\\dots \\mathbf{W}_{h} \\mathbf{x} - \\mathbf{b}) \\mathbf{x}^{\\mathrm{T}} "
    "\\mathbf{W}_{h}^{\\mathrm{T}} \\dots \\mathbf{W}_{2}^{\\mathrm{T}}, & j = 1 \\\\ "
    "\\mathbf{W}_{h-1}^{\\mathrm{T}} \\dots \\mathbf{W}_{1}^{\\mathrm{T}} "
    "\\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} \\mathbf{W}_{1} \\dots \\mathbf{W}_{h} "
    "\\mathbf{x} - \\mathbf{b}), & j = h \\end{cases}$$\n\nand\n\n$$\\nabla_{\\mathbf{x}} "
    "L_{\\mathbf{A}, \\mathbf{b}}(\\mathbf{W}_1, \\mathbf{W}_2, \\dots, \\mathbf{W}_h, "
    "\\mathbf{x}) = \\mathbf{W}_h^{\\mathrm{T}} \\mathbf{W}_{h-1}^{\\mathrm{T}} \\dots "
    "\\mathbf{W}_1^{\\mathrm{T}} \\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} \\mathbf{W}_1 "
    "\\mathbf{W}_2 \\dots \\mathbf{W}_h \\mathbf{x} - \\mathbf{b}).$$\n\nThe iteration "
    "step is\n\n$$\\mathbf{W}_{j}^{(k+1)} = \\mathbf{W}_{j}^{(k)} - \\alpha "
    "\\nabla_{\\mathbf{W}_{j}} L_{\\mathbf{A},\\mathbf{b}}(\\mathbf{W}_{1}^{(k)}, "
    "\\mathbf{W}_{2}^{(k)}, \\dots, \\mathbf{W}_{h}^{(k)}, \\mathbf{x}_{k})$$\n  "
    "\n$$\\mathbf{x}_{k+1} = \\mathbf{x}_{k} - \\alpha \\nabla_{\\mathbf{x}} "
    "L_{\\mathbf{A},\\mathbf{b}}(\\mathbf{W}_{1}^{(k)}, \\mathbf{W}_{2}^{(k)}, \\dots, "
    "\\mathbf{W}_{h}^{(k)}, \\mathbf{x}_{k})$$"
)

MAX_H = 4
SYMBOLIC_SIZES = ((1, 2, 2), (2, 3, 2), (1, 2, 3), (1, 2, 4))
"""(n, d, h) of the entrywise sympy derivations (h = 4 has two middle layers)."""
TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)
GRID = 8
"""Sampled inputs of the §4.1 modules are multiples of 1/GRID (exact runs stay small)."""
RANK_RTOL = 1e-6

Form = str
"""Which gradient formulas: ``"printed"``, ``"corrected"`` (A^T in the j = 1 case, x^T in
the j = h case) or ``"reversed"`` (corrected, with grad_x = W_1^T ... W_h^T A^T r: the
planted mutant)."""


# --------------------------------------------------------------------------- §4.1 setting


def snap(values: np.ndarray) -> np.ndarray:
    """Round to the grid of multiples of 1/GRID."""
    return np.round(np.asarray(values, dtype=float) * GRID) / GRID


def snap_alpha(alpha: np.ndarray) -> np.ndarray:
    """The largest power of two <= alpha (a step size with a one-bit exact form)."""
    with np.errstate(all="ignore"):
        return np.where(alpha > 0, 2.0 ** np.floor(np.log2(np.maximum(alpha, TINY))), 0.0)


def step_size(A: np.ndarray, b: np.ndarray, factors: Sequence[np.ndarray],
              step: np.ndarray) -> np.ndarray:
    """``alpha = snap_alpha(step / S)`` with the smoothness scale of the loss at the start,
    ``S = (h + 1) ||A||^2 M^(2h) + (h + 1) ||A|| ||b|| M^(h - 1)``, M the largest spectral
    norm of the factors (W_1, ..., W_h, x) and 1 (every alpha > 0 is admissible)."""
    smax = np.linalg.norm(A, ord=2, axis=(1, 2))
    M = np.ones(A.shape[0])
    for f in factors:
        size = norm(f) if f.ndim == 2 else np.linalg.norm(f, ord=2, axis=(1, 2))
        M = np.fmax(M, size)
    h = len(factors) - 1
    S = (h + 1) * smax**2 * M ** (2 * h) + (h + 1) * smax * norm(b) * M ** (h - 1)
    return snap_alpha(step / np.maximum(S, TINY))


def standing_hypotheses(batch: Batch) -> np.ndarray:
    """§2.1 standing assumptions in float: rank(A) = n (< d), b != 0, alpha > 0."""
    with np.errstate(all="ignore"):
        s = np.linalg.svd(batch["A"], compute_uv=False)
        return (s[:, -1] > RANK_RTOL * s[:, 0]) & (norm(batch["b"]) > 0) & (batch["alpha"] > 0)


def exact_setting(inst: Instance) -> dict[str, Any] | None:
    """A, b, alpha exactly (``fmpq``); None off the standing assumptions (d > n,
    rank(A) = n, b != 0, alpha > 0)."""
    A, b = lx.matrix(inst["A"]), lx.column(inst["b"])
    alpha = lx.to_fmpq(inst["alpha"])
    n, d = A.nrows(), A.ncols()
    if d <= n or lx.rank(A) != n or lx.squared_norm(b) == 0 or alpha <= 0:
        return None
    return {"A": A, "b": b, "alpha": alpha, "n": n, "d": d}


def ball(squared: flint.fmpq, digits: int) -> flint.arb:
    """A ball around ``sqrt(squared)`` at ``digits`` digits."""
    with flint.ctx.workprec(prec(digits)):
        return arb_sqrt(squared)


def e1_row(d: int) -> flint.fmpq_mat:
    """The column ``e_1`` (d x 1) exactly."""
    e = flint.fmpq_mat(d, 1)
    e[0, 0] = 1
    return e


FloatInit = Callable[[Batch], tuple[list[np.ndarray], np.ndarray]]
FloatDefect = Callable[[Batch], Callable[[list[np.ndarray], np.ndarray],
                                         tuple[np.ndarray, np.ndarray]]]
ExactInit = Callable[[Instance], tuple[list[flint.fmpq_mat], flint.fmpq_mat] | None]
ExactDefect = Callable[[Instance], Callable[[list[flint.fmpq_mat], flint.fmpq_mat],
                                            tuple[flint.fmpq, flint.fmpq]]]


def trajectory_margins(init: FloatInit, defect: FloatDefect, exact_init: ExactInit,
                       exact_defect: ExactDefect, float_steps: int, exact_steps: int,
                       from_step: int = 0) -> tuple[Callable[[Batch], Any],
                                                    Callable[[Instance, int], Any]]:
    """Float and exact margins of an invariant of the GD iteration (4.1) along a run.

    float64: ``max_k defect / max_k size`` over the core's GD iterates k = from_step, ...,
    float_steps (a trial whose iterates overflow is not counted). Exact: the same along
    exact_steps steps of the core's GD step in rationals, the measure returning squared
    (defect, size); ``exact_init`` returns None off the hypotheses. ``defect(batch)`` and
    ``exact_defect(inst)`` prepare the per-iterate measure ``(W_1..W_h, x) -> (defect,
    size)`` once per run.
    """

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        Ws0, x0 = init(batch)
        worst = np.zeros(batch["A"].shape[0])
        size = np.zeros_like(worst)
        finite = np.ones(worst.shape, dtype=bool)
        measure = defect(batch)
        for k, (Ws, x) in enumerate(di.float_trajectory(batch["A"], batch["b"], Ws0, x0,
                                                        batch["alpha"], float_steps)):
            finite &= np.isfinite(x).all(axis=1)
            if k >= from_step:
                dk, sk = measure(Ws, x)
                worst, size = np.fmax(worst, dk), np.fmax(size, sk)
        return np.where(finite, worst, np.nan), size

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        start = exact_init(inst)
        if start is None:
            return None
        worst, size = flint.fmpq(0), flint.fmpq(0)
        measure = exact_defect(inst)
        run = di.exact_trajectory(inst["A"], inst["b"], start[0], start[1], inst["alpha"],
                                  exact_steps)
        for Ws, x in run[from_step:]:
            dk, sk = measure(Ws, x)
            worst, size = max(worst, dk), max(size, sk)
        return ball(worst, digits), ball(size, digits)

    return margin, margin_hp


# --------------------------------------------------------------------------- the formulas


def printed_gradients(A: Any, b: Any, Ws: Sequence[Any], x: Any, form: Form,
                      mul: Callable[[Any, Any], Any],
                      T: Callable[[Any], Any]) -> tuple[list[Any], Any]:
    """The §4.1 gradient formulas (``form``) on matrices of any algebra with product ``mul``
    and transpose ``T`` (sympy, flint, batched numpy); x and b are columns."""
    h = len(Ws)
    y = x
    for W in reversed(Ws):
        y = mul(W, y)
    r = mul(A, y) - b
    AtR = mul(T(A), r)

    def left(j: int, vec: Any) -> Any:  # W_{j-1}^T ... W_1^T vec  (j is 1-based)
        for W in Ws[: j - 1]:
            vec = mul(T(W), vec)
        return vec

    def right(j: int) -> Any:  # x^T W_h^T ... W_{j+1}^T
        row = T(x)
        for W in reversed(Ws[j:]):
            row = mul(row, T(W))
        return row

    grads = []
    for j in range(1, h + 1):
        if 1 < j < h:
            grads.append(mul(left(j, AtR), right(j)))
        elif j == 1:
            grads.append(mul(r if form == "printed" else AtR, right(1)))
        else:
            grads.append(left(h, AtR) if form == "printed" else mul(left(h, AtR), T(x)))
    if form == "reversed":
        gx = AtR
        for W in reversed(Ws):
            gx = mul(T(W), gx)
        return grads, gx
    return grads, left(h + 1, AtR)


def _flint_mul(a: Any, b: Any) -> Any:
    return a * b


def _flint_T(a: Any) -> Any:
    return a.transpose()


def _np_T(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


# --------------------------------------------------------------------------- sympy derivation


def _obj_mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.dot(a, b)


def _obj_T(a: np.ndarray) -> np.ndarray:
    return a.T


@cache
def derived_gradients(n: int, d: int, h: int) -> dict[str, Any]:
    """The loss on explicit symbols (a polynomial ring over QQ, so every expression is
    expanded) and its gradients differentiated entrywise: ``gW[j][p, q] =
    dL/d(W_{j+1})_pq``, ``gx[p, 0] = dL/dx_p``. Matrices are object arrays of polynomials."""
    shapes = {"a": (n, d), "b": (n, 1), **{f"w{j + 1}_": (d, d) for j in range(h)},
              "x": (d, 1)}
    names = [f"{p}{i + 1}{j + 1}" for p, (r, c) in shapes.items() for i in range(r)
             for j in range(c)]
    ring, *gens = sp.ring(names, sp.QQ)
    it = iter(gens)
    mats = {p: np.array([[next(it) for _ in range(c)] for _ in range(r)], dtype=object)
            for p, (r, c) in shapes.items()}
    A, b, x = mats["a"], mats["b"], mats["x"]
    Ws = [mats[f"w{j + 1}_"] for j in range(h)]
    y = x
    for W in reversed(Ws):
        y = np.dot(W, y)
    loss = sum((r * r for r in (np.dot(A, y) - b).ravel()), ring.zero) / 2
    gW = [np.vectorize(lambda g: loss.diff(g), otypes=[object])(W) for W in Ws]
    gx = np.vectorize(lambda g: loss.diff(g), otypes=[object])(x)
    return {"ring": ring, "A": A, "b": b, "Ws": Ws, "x": x, "loss": loss, "gW": gW, "gx": gx}


def compare_formulas(n: int, d: int, h: int, form: Form) -> list[str]:
    """Mismatches between the derived gradients and the formulas ``form`` at size
    (n, d, h): a wrong shape or a non-zero difference, per gradient."""
    g = derived_gradients(n, d, h)
    grads, gx = printed_gradients(g["A"], g["b"], g["Ws"], g["x"], form, _obj_mul, _obj_T)
    bad = []
    for j, (derived, printed) in enumerate([*zip(g["gW"], grads, strict=True), (g["gx"], gx)]):
        name = f"grad_W{j + 1}" if j < h else "grad_x"
        if derived.shape != printed.shape:
            bad.append(f"{name}: shape {printed.shape[0]}x{printed.shape[1]}, the gradient is "
                       f"{derived.shape[0]}x{derived.shape[1]}")
        elif any(e != 0 for e in (derived - printed).ravel()):
            bad.append(f"{name}: differs")
    return bad


def core_agreement(n: int, d: int, h: int, seed: int = 0) -> bool:
    """The derived gradients equal the core's exact layer gradients
    (:func:`verify.core.deep_invariants.gradients` in rationals) at a random rational point."""
    g = derived_gradients(n, d, h)
    rng = np.random.default_rng(seed)

    def draw(rows: int, cols: int) -> np.ndarray:
        return np.array([[Fraction(int(k), 4) for k in row]
                         for row in rng.integers(-8, 9, (rows, cols))], dtype=object)

    A, b, x = draw(n, d), draw(n, 1), draw(d, 1)
    Ws = [draw(d, d) for _ in range(h)]
    point = {}
    for M, V in [(g["A"], A), (g["b"], b), (g["x"], x), *zip(g["Ws"], Ws, strict=True)]:
        point.update({s: sp.Rational(v.numerator, v.denominator)
                      for s, v in zip(M.ravel(), V.ravel(), strict=True)})
    values = [point[s] for s in g["ring"].gens]
    grads, gx = di.gradients([lx.matrix(W) for W in Ws], lx.matrix(x),
                             di.regression_loss(A, b[:, 0]), xp=FMPQ)

    def same(expr: np.ndarray, mat: flint.fmpq_mat) -> bool:
        return all(sp.Rational(int(mat[p, q].p), int(mat[p, q].q)) == expr[p, q](*values)
                   for p in range(mat.nrows()) for q in range(mat.ncols()))

    return all(same(e, m) for e, m in zip([*g["gW"], g["gx"]], [*grads, gx], strict=True))


def finite_difference_error(n: int, d: int, h: int, seed: int = 0, step: float = 1e-6) -> float:
    """Largest gap between central finite differences of the loss (the derived polynomial,
    in float) and the core's float64 layer gradients, over every entry of every W_j and x."""
    g = derived_gradients(n, d, h)
    f = sp.lambdify(g["ring"].symbols, g["loss"].as_expr(), "math")
    rng = np.random.default_rng(seed)
    A, b, x = rng.uniform(-1, 1, (n, d)), rng.uniform(-1, 1, (n, 1)), rng.uniform(-1, 1, (d, 1))
    Ws = [rng.uniform(-1, 1, (d, d)) for _ in range(h)]
    grads, gx = di.gradients([W[None] for W in Ws], x[None, :, 0],
                             di.regression_loss(A[None], b[None, :, 0]))
    params = [A, b, *Ws, x]
    exact = [*(G[0] for G in grads), gx[0][:, None]]
    worst = 0.0
    for m, P in enumerate(params[2:], start=2):
        for idx in np.ndindex(P.shape):
            values = []
            for sign in (1, -1):
                moved = [Q.copy() for Q in params]
                moved[m][idx] += sign * step
                values.append(f(*np.concatenate([Q.ravel() for Q in moved])))
            worst = max(worst, abs((values[0] - values[1]) / (2 * step) - exact[m - 2][idx]))
    return worst


EXAMPLE = {"n": 1, "d": 2, "h": 2, "A": [[0, 1]], "b": [0], "x": [0, 1],
           "W1": [[1, 0], [1, 1]], "W2": [[1, 1], [0, 1]], "W3": [[0, 0], [0, 0]],
           "W4": [[0, 0], [0, 0]], "alpha": Fraction(1, 2)}
"""A small exact instance (residual r = 2) at which the printed j = 1 and j = h cases differ
from the gradient, and the reversed grad_x differs."""


def example_instance() -> Instance:
    """:data:`EXAMPLE` with exact entries (object arrays of Fraction)."""
    return {k: (np.array(v, dtype=object) * Fraction(1) if isinstance(v, list) else v)
            for k, v in EXAMPLE.items()}


def symbolic_formulas(form: Form) -> Callable[[], SymbolicOutcome]:
    """Derive the gradients entrywise at every size of SYMBOLIC_SIZES and compare with the
    formulas ``form``; cross-check the derivation against the core (exact rationals) and by
    finite differences."""

    def derive() -> SymbolicOutcome:
        if not all(core_agreement(*size) for size in SYMBOLIC_SIZES):
            return SymbolicOutcome(None, "the derived gradients differ from the core's")
        fd = max(finite_difference_error(*size) for size in SYMBOLIC_SIZES[:2])
        if fd > 1e-6:
            return SymbolicOutcome(None, f"finite differences disagree ({fd:.1e})")
        checked = (f"derived entrywise at (n, d, h) in {list(SYMBOLIC_SIZES)}; the derivation "
                   f"equals the core's layer gradients exactly at rational points and finite "
                   f"differences of the loss to {fd:.1e}")
        bad = {size: compare_formulas(*size, form) for size in SYMBOLIC_SIZES}
        bad = {size: msgs for size, msgs in bad.items() if msgs}
        if not bad:
            return SymbolicOutcome(True, f"the {form} formulas hold identically; {checked}")
        details = "; ".join(f"(n, d, h) = {size}: {', '.join(msgs)}" for size, msgs in
                            bad.items())
        return SymbolicOutcome(False, f"{details}; {checked}", example_instance())

    return derive


# --------------------------------------------------------------------------- property


def _pad_np(P: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros((P.shape[0], *shape[1:]))
    rows, cols = min(P.shape[1], shape[1]), min(P.shape[2], shape[2])
    out[:, :rows, :cols] = P[:, :rows, :cols]
    return out


def _pad_fmpq(P: flint.fmpq_mat, rows: int, cols: int) -> flint.fmpq_mat:
    out = flint.fmpq_mat(rows, cols)
    for p in range(min(rows, P.nrows())):
        for q in range(min(cols, P.ncols())):
            out[p, q] = P[p, q]
    return out


def _layers(inst: Mapping[str, Any]) -> list[str]:
    return [f"W{j + 1}" for j in range(int(inst["h"]))]


def _float_margin(form: Form) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """``||core GD step - printed iteration||`` (every W_j and x; printed expressions of the
    wrong shape zero-padded/cut to the layer's shape), relative to alpha times the size of
    the true and the printed gradients."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b, x, alpha = batch["A"], batch["b"], batch["x"], batch["alpha"]
        Ws = [batch[k] for k in _layers(batch)]
        loss = di.regression_loss(A, b)
        new_Ws, new_x = di.step(Ws, x, loss, alpha)
        grads, gx = di.gradients(Ws, x, loss)
        P, px = printed_gradients(A, b[..., None], Ws, x[..., None], form, np.matmul, _np_T)
        a = alpha[:, None, None]
        gap = sum(norm(N - (W - a * _pad_np(Q, W.shape))) ** 2
                  for N, W, Q in zip(new_Ws, Ws, P, strict=True))
        gap = gap + norm(new_x - (x - a[:, :, 0] * _pad_np(px, x[..., None].shape)[..., 0])) ** 2
        size = sum(norm(G) ** 2 + norm(Q) ** 2 for G, Q in zip(grads, P, strict=True)) \
            + norm(gx) ** 2 + norm(px) ** 2
        return np.sqrt(gap), alpha * np.sqrt(size)

    return margin


def _exact_margin(form: Form) -> Callable[[Instance, int], Any]:
    """:func:`_float_margin` exactly: the core's GD step in rationals (FMPQ) against the
    formulas ``form`` evaluated in rationals."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        A, b, x = lx.matrix(inst["A"]), lx.column(inst["b"]), lx.column(inst["x"])
        alpha = lx.to_fmpq(inst["alpha"])
        if alpha <= 0:
            return None
        Ws = [lx.matrix(inst[k]) for k in _layers(inst)]
        loss = di.regression_loss(np.asarray(inst["A"], dtype=object),
                                  np.asarray(inst["b"], dtype=object))
        new_Ws, new_x = di.step(Ws, x, loss, alpha, xp=FMPQ)
        grads, gx = di.gradients(Ws, x, loss, xp=FMPQ)
        P, px = printed_gradients(A, b, Ws, x, form, _flint_mul, _flint_T)
        gap = sum((lx.squared_norm(N - (W - _pad_fmpq(Q, W.nrows(), W.ncols()) * alpha))
                   for N, W, Q in zip(new_Ws, Ws, P, strict=True)), flint.fmpq(0))
        gap += lx.squared_norm(new_x - (x - _pad_fmpq(px, x.nrows(), 1) * alpha))
        size = sum((lx.squared_norm(G) + lx.squared_norm(Q) for G, Q in
                    zip(grads, P, strict=True)), flint.fmpq(0)) \
            + lx.squared_norm(gx) + lx.squared_norm(px)
        return ball(gap, digits), ball(size * alpha * alpha, digits)

    return margin_hp


def gradient_property(form: Form) -> Property:
    """The core's GD step (4.1) against the iteration with the formulas ``form``, over
    1 <= n < d <= 3, 2 <= h <= MAX_H, every W_j, x, b and alpha in (0, 1] (rank-deficient A,
    b = 0 and zero layers included: the identity needs no hypothesis)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Integer("h", 2, MAX_H),
                 Matrix("A", "n", "d"), Vector("b", "n"), Vector("x", "d"),
                 *(Matrix(f"W{j + 1}", "d", "d") for j in range(MAX_H)),
                 Real("alpha", 0.0, 1.0, open_low=True))
    domain = Domain(variables, dims_ok=lambda c: c["n"] < c["d"])
    return Property(domain, _float_margin(form), _exact_margin(form), TOLERANCE,
                    rigorous=True, description=f"core GD step = iteration with the {form} "
                    "gradient formulas")


def _checks(form: Form) -> tuple[Any, ...]:
    prop = gradient_property(form)
    return (symbolic("derivation", symbolic_formulas(form), replay=prop.margin_hp),
            trials("iteration", prop, count=256),
            search("search", prop, evaluations=4000))


CLAIM = Claim(
    id="INIT-Eq4.1",
    paper=INIT,
    location="§4.1, gradients of L_{A,b}(W_1, ..., W_h, x) and the iteration step",
    statement=STATEMENT,
    notes=("The statement is quoted from the gradient formulas to the iteration step. W_j "
           "are d x d and x is d x 1 (§4.1 counts 2d^2 + d parameters for h = 2). The "
           "paper's own later use (proof of Lemma 10) has the corrected j = 1 and j = h "
           "cases."),
    variants=(
        Variant(
            "as-printed",
            "The printed gradient formulas and iteration: the j = 1 case "
            "(A W_1...W_h x - b) x^T W_h^T...W_2^T is n x d and the j = h case "
            "W_{h-1}^T...W_1^T A^T (A W_1...W_h x - b) is d x 1, while W_1, W_h are d x d.",
            _checks("printed"), expected=Verdict.REFUTED),
        Variant(
            "corrected",
            "Smallest fix: grad_{W_1} L = A^T (A W_1...W_h x - b) x^T W_h^T...W_2^T (A^T "
            "added) and grad_{W_h} L = W_{h-1}^T...W_1^T A^T (A W_1...W_h x - b) x^T (x^T "
            "added); the middle case, grad_x and the iteration are unchanged.",
            _checks("corrected"), expected=Verdict.SUPPORTED),
        Variant(
            "mutant:reversed-order",
            "Planted: the corrected formulas with grad_x L = W_1^T W_2^T ... W_h^T A^T "
            "(A W_1...W_h x - b) (transposes in the wrong order).",
            _checks("reversed"), expected=Verdict.REFUTED),
    ),
)
