r"""INIT-Lem11 — Lemma 11 of §4.1 (seed 004): for h = 2, W_2's first row tracks x_k.

As printed:

    **Lemma 11.** For h = 2, if at any iteration k we have  $\mathbf{W}_{1}^{(k)}$  all zeros
    except first column, and  W_2^(k) = [x_k^T; 0; ...; 0]  Then  W_2^(k+1) = [x_{k+1}^T; 0;
    ...; 0]

(the matrices are printed as pmatrix blocks: first row x_k^T, all other rows zero). The
iteration is GD (4.1) with h = 2 run by the numeric core.

Verdict: holds, for every alpha > 0, A, b and x_k (zero included). Proof: W_1^T A^T r =
beta e_1, so W_2 and x^T receive the same update -alpha beta x_k^T. Checked from
W_1^(0) = c e_1^T, W_2^(0) = e_1 x_0^T along the run (by INIT-Lem10 and this lemma the
hypotheses hold again at every k): ``||W_2^(k) - e_1 x_k^T||_F = 0`` exactly for k <=
EXACT_STEPS steps of the core's GD step in rational arithmetic (certified on every sampled
instance), at rounding level in float64 over FLOAT_STEPS steps. The planted mutant drops the
hypothesis on W_1 (W_1^(0) a full matrix).
"""

from __future__ import annotations

from typing import Any

import flint
import numpy as np

from theorems.initialization.eq4_1 import e1_row
from theorems.initialization.lem5 import norm
from theorems.initialization.lem10 import (
    EXACT_STEPS,
    FLOAT_STEPS,
    exact_first_column,
    first_column,
    invariant_property,
)
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.domain import Batch, Instance, Property
from verify.verdicts import Verdict

STATEMENT = (
    "**Lemma 11.** For h = 2, if at any iteration k we have  $\\mathbf{W}_{1}^{(k)}$  all "
    "zeros except first column, and\n\n$$\\mathbf{W}_2^{(k)} = \\begin{pmatrix} - & "
    "\\mathbf{x}_k^T & -\\\\ 0 & \\dots & 0\\\\ \\vdots & \\dots & \\vdots\\\\ 0 & \\dots "
    "& 0 \\end{pmatrix}$$\n\nThen\n\n$$\\mathbf{W}_2^{(k+1)} = \\begin{pmatrix} - & "
    "\\mathbf{x}_{k+1}^T & -\\\\ 0 & \\dots & 0\\\\ \\vdots & \\dots & \\vdots\\\\ 0 & "
    "\\dots & 0 \\end{pmatrix}$$"
)


def e1_xT(x: np.ndarray) -> np.ndarray:
    """``e_1 x^T`` batched: x (B, d) -> (B, d, d)."""
    out = np.zeros((*x.shape, x.shape[-1]))
    out[:, 0, :] = x
    return out


def tracking_property(w1_first_column: bool = True) -> Property:
    """W_2^(k) = e_1 x_k^T along the run from W_1^(0) = c e_1^T (``w1_first_column=False``:
    the mutant's full W_1^(0) = C), W_2^(0) = e_1 x_0^T."""

    def start(batch: Batch) -> tuple[list[np.ndarray], np.ndarray]:
        W1 = first_column(batch["C"]) if w1_first_column else batch["C"]
        return [W1, e1_xT(batch["x0"])], batch["x0"]

    def exact_start(inst: Instance) -> tuple[list[flint.fmpq_mat], flint.fmpq_mat]:
        C, x = lx.matrix(inst["C"]), lx.column(inst["x0"])
        W1 = exact_first_column(C) if w1_first_column else C
        return [W1, e1_row(x.nrows()) * x.transpose()], x

    def measure(Ws: list[np.ndarray], x: np.ndarray) -> tuple[Any, Any]:
        return norm(Ws[1] - e1_xT(x)), norm(Ws[1])

    def exact_measure(Ws: list[flint.fmpq_mat],
                      x: flint.fmpq_mat) -> tuple[flint.fmpq, flint.fmpq]:
        return (lx.squared_norm(Ws[1] - e1_row(x.nrows()) * x.transpose()),
                lx.squared_norm(Ws[1]))

    return invariant_property(start, exact_start, measure, exact_measure,
                              "W_2^(k) = e_1 x_k^T along the run")


CLAIM = Claim(
    id="INIT-Lem11",
    paper=INIT,
    location="§4.1, Lemma 11",
    statement=STATEMENT,
    notes=("Checked along runs from W_1^(0) = c e_1^T, W_2^(0) = e_1 x_0^T (any c, x_0, zero "
           "included); the one-step lemma applies at every k because its hypotheses are "
           "restored (INIT-Lem10 and this lemma)."),
    variants=(
        Variant(
            "as-printed",
            "W_1^(k) zero except first column and W_2^(k) = e_1 x_k^T imply W_2^(k+1) = "
            f"e_1 x_(k+1)^T, for every alpha > 0: exact along {EXACT_STEPS} steps of the "
            f"core, float64 along {FLOAT_STEPS}.",
            (trials("invariant", tracking_property(), count=256),
             search("search", tracking_property(), evaluations=4000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:w1-general",
            "Planted: the hypothesis on W_1 dropped (W_1^(k) any d x d matrix); then "
            "W_1^T A^T r is not along e_1 and W_2 leaves e_1 x^T.",
            (trials("invariant", tracking_property(False), count=64),
             search("search", tracking_property(False), evaluations=2000)),
            expected=Verdict.REFUTED),
    ),
)
