r"""INIT-Lem10 — Lemma 10 of §4.1 (seed 004): for h = 2 the first-column / first-row sparsity
pattern of (W_1, W_2) is preserved by GD.

As printed:

    **Lemma 10.** For h = 2, if at any iteration k we have  $\mathbf{W}_1^{(k)}$  be all zeros
    except first column and  $\mathbf{W}_2^{(k)}$  be all zeros except first row, then
    $\mathbf{W}_1^{(k+1)}$  is all zeros except first column and  $\mathbf{W}_2^{(k+1)}$  is all
    zeros except first row.

The iteration is GD (4.1) with h = 2 run by the numeric core; the proof's updates
``W_1 - alpha A^T r x^T W_2^T`` and ``W_2 - alpha W_1^T A^T r x^T`` (r = A W_1 W_2 x - b) are
the true gradients (INIT-Eq4.1, corrected).

Verdict: holds, for every alpha > 0, x_k, A and b (x_k is unconstrained). Checked from
W_1^(0) = c e_1^T, W_2^(0) = e_1 q^T along the run: the entries outside the pattern are
exactly 0 for k <= EXACT_STEPS steps of the core's GD step in rational arithmetic (certified
on every sampled instance) and at rounding level in float64 over FLOAT_STEPS steps. The
planted mutant keeps W_2 "all zeros except first column" instead (its update
W_1^T A^T r x^T = e_1 (c^T A^T r) x^T fills the first row).

This module also holds the h = 2 domain shared by INIT-Lem11.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flint
import numpy as np

from theorems.initialization.eq4_1 import snap, step_size, trajectory_margins
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Lemma 10.** For h = 2, if at any iteration k we have  $\\mathbf{W}_1^{(k)}$  be all "
    "zeros except first column and  $\\mathbf{W}_2^{(k)}$  be all zeros except first row, "
    "then  $\\mathbf{W}_1^{(k+1)}$  is all zeros except first column and  "
    "$\\mathbf{W}_2^{(k+1)}$  is all zeros except first row."
)

EXACT_STEPS = 5
FLOAT_STEPS = 400
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)

Start = Callable[[Batch], tuple[list[np.ndarray], np.ndarray]]
ExactStart = Callable[[Instance], tuple[list[flint.fmpq_mat], flint.fmpq_mat]]


def first_column(C: np.ndarray) -> np.ndarray:
    """C with every column but the first set to zero (batched)."""
    out = np.zeros_like(C)
    out[..., :, 0] = C[..., :, 0]
    return out


def first_row(Q: np.ndarray) -> np.ndarray:
    """Q with every row but the first set to zero (batched)."""
    out = np.zeros_like(Q)
    out[..., 0, :] = Q[..., 0, :]
    return out


def exact_first_column(C: flint.fmpq_mat) -> flint.fmpq_mat:
    """:func:`first_column` exactly."""
    out = flint.fmpq_mat(C.nrows(), C.ncols())
    for i in range(C.nrows()):
        out[i, 0] = C[i, 0]
    return out


def exact_first_row(Q: flint.fmpq_mat) -> flint.fmpq_mat:
    """:func:`first_row` exactly."""
    out = flint.fmpq_mat(Q.nrows(), Q.ncols())
    for j in range(Q.ncols()):
        out[0, j] = Q[0, j]
    return out


def make_domain(start: Start) -> Domain:
    """h = 2: 1 <= n < d <= 3, any A, b, x0, C, Q (d x d raw layers, restricted by ``start``),
    step in (0, 2); inputs on the 1/8 grid, alpha a power of two below step / smoothness."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Matrix("A", "n", "d"),
                 Vector("b", "n"), Vector("x0", "d"), Matrix("C", "d", "d"),
                 Matrix("Q", "d", "d"), Real("step", 0.0, 2.0, open_low=True, open_high=True))

    def repair(batch: Batch) -> Batch:
        out = {k: (snap(v) if isinstance(v, np.ndarray) and k != "step" else v)
               for k, v in batch.items()}
        Ws, x = start(out)
        out["alpha"] = step_size(out["A"], out["b"], [*Ws, x], out["step"])
        return out

    return Domain(variables, hypothesis=lambda b: b["alpha"] > 0, repair=repair,
                  dims_ok=lambda c: c["n"] < c["d"])


def invariant_property(start: Start, exact_start: ExactStart,
                       measure: Callable[[list[np.ndarray], np.ndarray], tuple[Any, Any]],
                       exact_measure: Callable[[list[flint.fmpq_mat], flint.fmpq_mat],
                                               tuple[flint.fmpq, flint.fmpq]],
                       description: str) -> Property:
    """An h = 2 invariant measured along the run from ``start`` (float FLOAT_STEPS steps,
    exact EXACT_STEPS steps)."""

    def exact_init(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat] | None:
        return None if inst["alpha"] <= 0 else exact_start(inst)

    margin, margin_hp = trajectory_margins(start, lambda _: measure, exact_init,
                                           lambda _: exact_measure, FLOAT_STEPS, EXACT_STEPS)
    return Property(make_domain(start), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=description)


def _start(w2_rows: bool) -> Start:
    def start(batch: Batch) -> tuple[list[np.ndarray], np.ndarray]:
        W2 = first_row(batch["Q"]) if w2_rows else first_column(batch["Q"])
        return [first_column(batch["C"]), W2], batch["x0"]

    return start


def _exact_start(w2_rows: bool) -> ExactStart:
    def start(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat]:
        Q = lx.matrix(inst["Q"])
        W2 = exact_first_row(Q) if w2_rows else exact_first_column(Q)
        return [exact_first_column(lx.matrix(inst["C"])), W2], lx.column(inst["x0"])

    return start


def _sq(M: np.ndarray) -> np.ndarray:
    return np.sum(M.reshape(M.shape[0], -1) ** 2, axis=1)


def pattern_property(w2_rows: bool = True) -> Property:
    """W_1 stays "all zeros except first column" and W_2 "all zeros except first row"
    (``w2_rows=False``: the mutant's "first column" for W_2)."""

    def measure(Ws: list[np.ndarray], x: np.ndarray) -> tuple[Any, Any]:
        W1, W2 = Ws
        out2 = W2[:, 1:, :] if w2_rows else W2[:, :, 1:]
        return np.sqrt(_sq(W1[:, :, 1:]) + _sq(out2)), np.sqrt(_sq(W1) + _sq(W2))

    def exact_measure(Ws: list[flint.fmpq_mat],
                      x: flint.fmpq_mat) -> tuple[flint.fmpq, flint.fmpq]:
        W1, W2 = Ws
        out2 = di.outside_pattern(W2, keep_row=0) if w2_rows else \
            di.outside_pattern(W2, keep_col=0)
        return (di.outside_pattern(W1, keep_col=0) + out2,
                lx.squared_norm(W1) + lx.squared_norm(W2))

    what = "first row" if w2_rows else "first column"
    return invariant_property(_start(w2_rows), _exact_start(w2_rows), measure, exact_measure,
                              f"W_1^(k) zero except first column, W_2^(k) zero except {what}")


CLAIM = Claim(
    id="INIT-Lem10",
    paper=INIT,
    location="§4.1, Lemma 10",
    statement=STATEMENT,
    notes=("Checked as an invariant from W_1^(0) = c e_1^T, W_2^(0) = e_1 q^T with arbitrary "
           "c, q, x_0 (zero vectors included) along the run; x_k is not constrained by the "
           "lemma."),
    variants=(
        Variant(
            "as-printed",
            "The pattern (W_1 first column, W_2 first row) is preserved by every GD step, for "
            f"every alpha > 0: exact along {EXACT_STEPS} steps of the core, float64 along "
            f"{FLOAT_STEPS}.",
            (trials("invariant", pattern_property(), count=256),
             search("search", pattern_property(), evaluations=4000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:w2-first-column",
            "Planted: W_2 all zeros except first column (instead of row) is preserved.",
            (trials("invariant", pattern_property(False), count=64),
             search("search", pattern_property(False), evaluations=2000)),
            expected=Verdict.REFUTED),
    ),
)
