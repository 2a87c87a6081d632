r"""INIT-Lem8 — Lemma 8 of §4.1 (seed 004): W_1 in range(A^T) is preserved by GD on the
h-hidden-layer network.

As printed:

    **Lemma 8.** If  $\mathbf{W}_{1}^{(k)} \in \mathbf{range}\left(\mathbf{A}^{T}\right)$  for
    some k, then  $\mathbf{W}_{1}^{(k+1)} \in \mathbf{range}\left(\mathbf{A}^{T}\right)$ .

The iteration is GD (4.1) on ``1/2 ||A W_1 ... W_h x - b||^2`` (h > 1), run by the numeric
core (the true gradient ``grad_{W_1} L = A^T (A W_1...W_h x - b) x^T W_h^T...W_2^T``; the
printed j = 1 case lacks the A^T, see INIT-Eq4.1). "W_1 in range(A^T)" means every column of
W_1 lies in range(A^T): ``W_1 = A^T Z``. The proof is "identical to proof of Lemma 5".

Verdict: holds, for every alpha > 0, every h, every W_2, ..., W_h, x and every A (rank
deficient or zero) and b. Exact: ``||P_ker(A) W_1^(k)||_F = 0`` for k <= EXACT_STEPS steps of
the core's GD step in rational arithmetic, certified on every sampled instance (inputs on a
1/8 grid, alpha a power of two); float64 over FLOAT_STEPS steps at rounding level. The
planted mutant moves the hypothesis to W_2 (W_2^(0) = A^T Z, claimed to stay in range(A^T)).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flint
import numpy as np

from theorems.initialization.eq4_1 import snap, step_size, trajectory_margins
from theorems.initialization.lem5 import norm
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "**Lemma 8.** If  $\\mathbf{W}_{1}^{(k)} \\in "
    "\\mathbf{range}\\left(\\mathbf{A}^{T}\\right)$  for some k, then  "
    "$\\mathbf{W}_{1}^{(k+1)} \\in \\mathbf{range}\\left(\\mathbf{A}^{T}\\right)$ ."
)

EXACT_STEPS = 4
"""GD steps run in exact rationals."""
FLOAT_STEPS = 400
"""GD steps of the float64 runs."""
TOLERANCE = Tolerance(rtol=1e-8, atol=1e-12)
FREE = ("V1", "V2")
"""The other layers (d x d), in order; h = 2 uses V1 only."""


def _float_layers(batch: Batch, layer: int) -> list[np.ndarray]:
    """(W_1, ..., W_h) with W_{layer+1} = A^T Z0 and the free layers elsewhere."""
    free = [batch[k] for k in FREE[: batch["h"] - 1]]
    return [*free[:layer], np.swapaxes(batch["A"], 1, 2) @ batch["Z0"], *free[layer:]]


def _repair(batch: Batch) -> Batch:
    """Inputs on the 1/8 grid and alpha = a power of two below step / smoothness scale."""
    out = {k: (snap(v) if isinstance(v, np.ndarray) and k != "step" else v)
           for k, v in batch.items()}
    out["alpha"] = step_size(out["A"], out["b"], [*_float_layers(out, 0), out["x0"]],
                             out["step"])
    return out


def make_domain() -> Domain:
    """1 <= n < d <= 3, 2 <= h <= 3, any A (rank deficient and zero included), b, x0, Z0,
    free layers, step in (0, 2) (alpha up to twice the smoothness scale)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Integer("h", 2, 3),
                 Matrix("A", "n", "d"), Vector("b", "n"), Vector("x0", "d"),
                 Matrix("Z0", "n", "d"), *(Matrix(k, "d", "d") for k in FREE),
                 Real("step", 0.0, 2.0, open_low=True, open_high=True))
    return Domain(variables, hypothesis=lambda b: b["alpha"] > 0, repair=_repair,
                  dims_ok=lambda c: c["n"] < c["d"])


def range_property(layer: int) -> Property:
    """W_{layer+1}^(0) = A^T Z0 stays in range(A^T) along GD (layer 0: the lemma)."""

    def init(batch: Batch) -> tuple[list[np.ndarray], np.ndarray]:
        return _float_layers(batch, layer), batch["x0"]

    def defect(batch: Batch) -> Callable[[list[np.ndarray], np.ndarray], tuple[Any, Any]]:
        A = batch["A"]
        P = np.eye(A.shape[2]) - np.linalg.pinv(A) @ A
        return lambda Ws, x: (norm(P @ Ws[layer]), norm(Ws[layer]))

    def exact_init(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat] | None:
        if inst["alpha"] <= 0:
            return None
        free = [lx.matrix(inst[k]) for k in FREE[: inst["h"] - 1]]
        W = lx.matrix(inst["A"]).transpose() * lx.matrix(inst["Z0"])
        return [*free[:layer], W, *free[layer:]], lx.column(inst["x0"])

    def exact_defect(inst: Instance) -> Callable[[list[flint.fmpq_mat], flint.fmpq_mat],
                                                 tuple[flint.fmpq, flint.fmpq]]:
        P = lx.null_space_projector(lx.matrix(inst["A"]))
        return lambda Ws, x: (lx.squared_norm(P * Ws[layer]), lx.squared_norm(Ws[layer]))

    margin, margin_hp = trajectory_margins(init, defect, exact_init, exact_defect,
                                           FLOAT_STEPS, EXACT_STEPS)
    return Property(make_domain(), margin, margin_hp, TOLERANCE, rigorous=True,
                    description=f"W_{layer + 1}^(k) in range(A^T) for k <= {EXACT_STEPS} "
                    f"(exact) and k <= {FLOAT_STEPS} (float64)")


CLAIM = Claim(
    id="INIT-Lem8",
    paper=INIT,
    location="§4.1, Lemma 8",
    statement=STATEMENT,
    notes=("The iteration is the true GD step (the core's), not the printed j = 1 gradient "
           "formula, which has the wrong shape (INIT-Eq4.1). The lemma is used as an "
           "invariant: W_1^(0) = A^T Z0 and every later iterate is checked."),
    variants=(
        Variant(
            "as-printed",
            "W_1^(k) = A^T Z => W_1^(k+1) in range(A^T), for every alpha > 0 and h in {2, 3}: "
            f"exact along {EXACT_STEPS} GD steps of the core, float64 along {FLOAT_STEPS}.",
            (trials("invariant", range_property(0), count=256),
             search("search", range_property(0), evaluations=4000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:second-layer",
            "Planted: the same for W_2 (W_2^(0) = A^T Z claimed to stay in range(A^T)); its "
            "update W_1^T A^T r x^T W_h^T...W_3^T has columns outside range(A^T).",
            (trials("invariant", range_property(1), count=64),
             search("search", range_property(1), evaluations=2000)),
            expected=Verdict.REFUTED),
    ),
)
