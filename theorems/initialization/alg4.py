r"""INIT-Alg4 — Algorithm 4 of §4.1 (seed 004) and the derivation before it: the compact
two-hidden-layer iteration.

As printed (boxed, the cost column dropped here):

    v_0 <- arbitrary, not zero;  rho_0 <- 1;  z_0 <- A^T v_0
    for k = 0, 1, ... until convergence do
        y_k <- A z_k;  e_k <- alpha (rho_k^4 y_k - b);  gamma_k <- rho_k^2 (y_k^T e_k)
        v_{k+1} <- (v_k - e_k) / (1 - gamma_k)^2;  rho_{k+1} <- rho_k (1 - gamma_k)
        z_{k+1} <- A^T v_{k+1}
    output rho_k^4 z_k

The text derives it from GD (4.1) with h = 2 under Theorem 12's invariants: W_2^(k) =
e_1 x_k^T, W_1^(k) = A^T v_k x_k^T W_2^(k)T (= ||x_k||^2 A^T v_k e_1^T) and

    x_{k+1} = (1 - alpha ||x_k||^2 v_k^T A A^T (||x_k||^4 A A^T v_k - b)) x_k,
    v_{k+1} = ||x_k||^2 / ||x_{k+1}||^2 (v_k - alpha (||x_k||^4 A A^T v_k - b)),

then x_k = rho_k x_0 "using that ||x_0||_2 = 1". So the corresponding GD start is x_0 any
unit vector, W_2^(0) = e_1 x_0^T, W_1^(0) = A^T v_0 e_1^T; the output rho_k^4 z_k is the
network's W_1^(k) W_2^(k) x_k.

Verdict: holds. Both the boxed algorithm and the text's (x_k, v_k) iteration reproduce plain
GD on the full network (the numeric core) iterate by iterate: W_1^(k) = rho_k^2 A^T v_k e_1^T,
W_2^(k) = e_1 x_k^T, x_k = rho_k x_0 and W_1 W_2 x = rho_k^4 z_k, exactly in rational
arithmetic for EXACT_STEPS steps (certified on every sampled instance; x_0 a rational point of
the unit sphere) and in float64 over FLOAT_STEPS steps; instances where some gamma_k = 1
(the algorithm divides by zero, GD reaches x = 0) are outside the hypotheses. Planted
mutants: GD from Lemma 9's start (x_0 = A^T v_0 / ||A^T v_0||^2, not a unit vector, as
Theorem 12 would suggest) and the output rho_k^2 z_k of Algorithm 3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flint
import numpy as np

from theorems.initialization.eq4_1 import (
    ball,
    e1_row,
    exact_setting,
    snap,
    standing_hypotheses,
    step_size,
)
from theorems.initialization.lem5 import norm
from theorems.initialization.lem11 import e1_xT
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import search, trials
from verify.claims import Claim, Variant
from verify.core import deep_invariants as di
from verify.core.hp import FMPQ
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "# **Algorithm 4** Compact two hidden layers iteration\n\n```\n\\mathbf{A} \\in "
    "\\mathbb{R}^{n \\times d}, \\mathbf{b} \\in \\mathbb{R}^{n \\times 1}, \\alpha \\in "
    "\\mathbb{R} \\text{ inputs}\n\\mathbf{v}_0 \\leftarrow \\text{arbitrary, not zero}\n  "
    "                                                                                      "
    "                                                      O(n)\n\\rho_0 \\leftarrow 1\n   "
    "                                                                                      "
    "                                                    O(1)\n\\mathbf{z}_0 \\leftarrow "
    "\\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_0\n                                             "
    "                                                                                      "
    "          O(T_{\\mathbf{A}})\nfor iteration k = 0, 1, \\ldots until convergence do\n  "
    "        \\mathbf{y}_k \\leftarrow \\mathbf{A}\\mathbf{z}_k\n                          "
    "                                                                                      "
    "                               O(T_{\\mathbf{A}})\n          \\mathbf{e}_k "
    "\\leftarrow \\alpha(\\rho_k^4 \\mathbf{y}_k - \\mathbf{b})\n                          "
    "                                                                                      "
    "                              O(n)\n\n\\gamma_{k} \\leftarrow "
    "\\rho_{k}^{2}(\\mathbf{y}_{k}^{T}\\mathbf{e}_{k}) \n\n\\mathbf{v}_{k+1} \\leftarrow "
    "\\frac{1}{(1-\\gamma_{k})^{2}}(\\mathbf{v}_{k} - \\mathbf{e}_{k}) \n\n\\rho_{k+1} "
    "\\leftarrow \\rho_{k}(1-\\gamma_{k}) \n\n\\mathbf{z}_{k+1} \\leftarrow "
    "\\mathbf{A}^{T}\\mathbf{v}_{k+1}\n\n                                                  "
    "                                                                                      "
    "      O(n)\n                                                                          "
    "                                                                     O(n)\n           "
    "                                                                                      "
    "                                              O(1)\n                                  "
    "                                                                                      "
    "                      O(T_{\\mathbf{A}})\nend for\noutput \\rho_k^4 \\mathbf{z}_k\n```"
)

EXACT_STEPS = 4
FLOAT_STEPS = 200
TOLERANCE = Tolerance(rtol=1e-7, atol=1e-12)

Mode = str
"""``"boxed"`` (Algorithm 4 as printed), ``"text"`` (the (x_k, v_k) iteration derived in the
text), ``"lemma9-start"`` (mutant: GD from Lemma 9's start) or ``"output-rho2"`` (mutant:
output rho_k^2 z_k)."""


# --------------------------------------------------------------------------- the iterations


class Ops:
    """The few operations the compact iterations need, for batched numpy or exact flint."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact

    def At(self, A: Any, v: Any) -> Any:
        return A.transpose() * v if self.exact else np.einsum("bij,bi->bj", A, v)

    def Az(self, A: Any, z: Any) -> Any:
        return A * z if self.exact else np.einsum("bij,bj->bi", A, z)

    def dot(self, p: Any, q: Any) -> Any:
        return (p.transpose() * q)[0, 0] if self.exact else np.sum(p * q, axis=1)

    def scale(self, s: Any, p: Any) -> Any:
        return p * s if self.exact else s[:, None] * p


def algorithm4(A: Any, b: Any, v0: Any, alpha: Any, steps: int, ops: Ops,
               zero: Callable[[Any], bool]) -> list[tuple[Any, Any, Any]] | None:
    """Algorithm 4 as boxed: ``[(v_k, rho_k, z_k)]`` for k = 0..steps; None when some
    1 - gamma_k is zero (``zero`` decides, per backend)."""
    v, rho = v0, (flint.fmpq(1) if ops.exact else np.ones(len(alpha)))
    z = ops.At(A, v)
    out = [(v, rho, z)]
    for _ in range(steps):
        y = ops.Az(A, z)
        e = ops.scale(alpha, ops.scale(rho**4, y) - b)
        gamma = rho**2 * ops.dot(y, e)
        if zero(1 - gamma):
            return None
        v = ops.scale(1 / (1 - gamma) ** 2, v - e)
        rho = rho * (1 - gamma)
        z = ops.At(A, v)
        out.append((v, rho, z))
    return out


def text_iteration(A: Any, b: Any, v0: Any, x0: Any, alpha: Any, steps: int, ops: Ops,
                   zero: Callable[[Any], bool]) -> list[tuple[Any, Any]] | None:
    """The text's iteration over (x_k, v_k): ``[(x_k, v_k)]``; None when some x_{k+1} = 0."""
    x, v = x0, v0
    out = [(x, v)]
    for _ in range(steps):
        s = ops.dot(x, x)
        Gv = ops.Az(A, ops.At(A, v))
        inner = ops.scale(s**2, Gv) - b
        x_next = ops.scale(1 - alpha * s * ops.dot(Gv, inner), x)
        s_next = ops.dot(x_next, x_next)
        if zero(s_next):
            return None
        v = ops.scale(s / s_next, v - ops.scale(alpha, inner))
        x = x_next
        out.append((x, v))
    return out


def _compact_states(mode: Mode, A: Any, b: Any, v0: Any, x0: Any, alpha: Any, steps: int,
                    ops: Ops, zero: Callable[[Any], bool]) -> list[tuple[Any, Any, Any]] | None:
    """``[(W_1 first column, x_k, y_k)]`` predicted by the compact iteration ``mode``."""
    if mode == "text":
        run = text_iteration(A, b, v0, x0, alpha, steps, ops, zero)
        if run is None:
            return None
        return [(ops.scale(ops.dot(x, x), ops.At(A, v)), x,
                 ops.scale(ops.dot(x, x) ** 2, ops.At(A, v))) for x, v in run]
    boxed = algorithm4(A, b, v0, alpha, steps, ops, zero)
    if boxed is None:
        return None
    power = 2 if mode == "output-rho2" else 4
    return [(ops.scale(rho**2, z), ops.scale(rho, x0), ops.scale(rho**power, z))
            for _, rho, z in boxed]


# --------------------------------------------------------------------------- starts


def unit_vector(t: np.ndarray) -> np.ndarray:
    """A point of the unit sphere from t (B, d) by inverse stereographic projection of
    t[:, :d-1] (rational for rational t)."""
    p = t[:, :-1]
    q = np.sum(p**2, axis=1)
    return np.concatenate([2 * p, (q - 1)[:, None]], axis=1) / (q + 1)[:, None]


def exact_unit_vector(t: np.ndarray) -> flint.fmpq_mat:
    """:func:`unit_vector` exactly (t an object array of Fractions)."""
    p = [lx.to_fmpq(c) for c in t[:-1]]
    q = sum((c * c for c in p), flint.fmpq(0))
    return flint.fmpq_mat(len(t), 1, [*(2 * c / (q + 1) for c in p), (q - 1) / (q + 1)])


def gd_start(mode: Mode, A: Any, v0: Any, x_unit: Any, ops: Ops) -> tuple[list[Any], Any]:
    """The GD start corresponding to Algorithm 4 (x_0 unit, W_2 = e_1 x_0^T, W_1 =
    A^T v_0 e_1^T); for the ``lemma9-start`` mutant Lemma 9's x_0 = A^T v_0/||A^T v_0||^2."""
    z = ops.At(A, v0)
    x0 = ops.scale(1 / ops.dot(z, z), z) if mode == "lemma9-start" else x_unit
    if ops.exact:
        d = z.nrows()
        e1 = e1_row(d)
        return [z * e1.transpose(), e1 * x0.transpose()], x0
    W1 = np.zeros((*z.shape, z.shape[1]))
    W1[:, :, 0] = z
    return [W1, e1_xT(x0)], x0


# --------------------------------------------------------------------------- margins


def _gap_float(Ws: list[np.ndarray], x: np.ndarray, state: tuple[Any, Any, Any]) -> Any:
    w, xc, yc = state
    W1c = np.zeros_like(Ws[0])
    W1c[:, :, 0] = w
    y = di.product(Ws, x)
    gap = norm(Ws[0] - W1c) ** 2 + norm(Ws[1] - e1_xT(xc)) ** 2 + norm(x - xc) ** 2 \
        + norm(y - yc) ** 2
    return gap, norm(Ws[0]) ** 2 + norm(Ws[1]) ** 2 + norm(x) ** 2 + norm(y) ** 2


def float_margin(mode: Mode) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """max over k <= FLOAT_STEPS of the distance between the core's GD iterates (W_1, W_2,
    x, W_1 W_2 x) and the compact iteration's prediction, relative to their size."""
    ops = Ops(exact=False)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            A, b, alpha = batch["A"], batch["b"], batch["alpha"]
            x_unit = unit_vector(batch["t"])
            Ws, x = gd_start(mode, A, batch["v0"], x_unit, ops)
            states = _compact_states(mode, A, b, batch["v0"], x_unit, alpha, FLOAT_STEPS,
                                     ops, lambda s: False)
            worst = np.zeros(A.shape[0])
            size = np.zeros_like(worst)
            for (Wk, xk), state in zip(di.float_trajectory(A, b, Ws, x, alpha, FLOAT_STEPS),
                                       states, strict=True):
                gap, sk = _gap_float(Wk, xk, state)
                worst, size = np.fmax(worst, gap), np.fmax(size, sk)
            ok = np.isfinite(worst) & np.isfinite(size)
            return np.where(ok, np.sqrt(worst), np.nan), np.sqrt(size)

    return margin


def exact_margin(mode: Mode) -> Callable[[Instance, int], Any]:
    """:func:`float_margin` exactly for EXACT_STEPS steps; None off the hypotheses (standing
    assumptions, v_0 != 0, some gamma_k = 1 within the horizon)."""
    ops = Ops(exact=True)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = exact_setting(inst)
        v0 = lx.column(inst["v0"])
        if s is None or lx.squared_norm(v0) == 0:
            return None
        A, b, alpha = s["A"], s["b"], s["alpha"]
        x_unit = exact_unit_vector(inst["t"])
        Ws, x = gd_start(mode, A, v0, x_unit, ops)
        states = _compact_states(mode, A, b, v0, x_unit, alpha, EXACT_STEPS, ops,
                                 lambda q: q == 0)
        if states is None:
            return None
        run = di.exact_trajectory(inst["A"], inst["b"], Ws, x, alpha, EXACT_STEPS)
        worst, size = flint.fmpq(0), flint.fmpq(0)
        for (Wk, xk), (w, xc, yc) in zip(run, states, strict=True):
            e1 = e1_row(xk.nrows())
            y = di.product(Wk, xk, xp=FMPQ)
            gap = lx.squared_norm(Wk[0] - w * e1.transpose()) \
                + lx.squared_norm(Wk[1] - e1 * xc.transpose()) + lx.squared_norm(xk - xc) \
                + lx.squared_norm(y - yc)
            sk = lx.squared_norm(Wk[0]) + lx.squared_norm(Wk[1]) + lx.squared_norm(xk) \
                + lx.squared_norm(y)
            worst, size = max(worst, gap), max(size, sk)
        return ball(worst, digits), ball(size, digits)

    return margin_hp


# --------------------------------------------------------------------------- property


def _repair(batch: Batch) -> Batch:
    out = {k: (snap(v) if isinstance(v, np.ndarray) and k != "step" else v)
           for k, v in batch.items()}
    with np.errstate(all="ignore"):
        Ws, x = gd_start("boxed", out["A"], out["v0"], unit_vector(out["t"]), Ops(False))
    out["alpha"] = step_size(out["A"], out["b"], [*Ws, x], out["step"])
    return out


def compact_property(mode: Mode) -> Property:
    """GD on the full h = 2 network from the corresponding start equals the compact
    iteration ``mode`` iterate by iterate; 1 <= n < d <= 3, A of rank n, b != 0,
    v_0 != 0, x_0 = unit_vector(t), step in (0, 1)."""
    variables = (Integer("n", 1, 2), Integer("d", 2, 3), Matrix("A", "n", "d"),
                 Vector("b", "n"), Vector("v0", "n"), Vector("t", "d"),
                 Real("step", 0.0, 1.0, open_low=True, open_high=True))

    def hypothesis(batch: Batch) -> np.ndarray:
        return standing_hypotheses(batch) & (norm(batch["v0"]) > 0)

    domain = Domain(variables, hypothesis=hypothesis, repair=_repair,
                    dims_ok=lambda c: c["n"] < c["d"])
    return Property(domain, float_margin(mode), exact_margin(mode), TOLERANCE, rigorous=True,
                    description=f"GD on the full network = compact iteration ({mode})")


CLAIM = Claim(
    id="INIT-Alg4",
    paper=INIT,
    location="§4.1, Algorithm 4 and the derivation before it",
    statement=STATEMENT,
    notes=("The corresponding GD start uses a unit x_0 (the derivation's ||x_0||_2 = 1), not "
           "Lemma 9's x_0 = A^T v / ||A^T v||^2 (norm 1/||A^T v||): from Lemma 9's start the "
           "algorithm needs rho_0 = ||x_0|| and v_0 = ||A^T v||^2 v. The complexity column "
           "and the zigzag remarks are not checked."),
    variants=(
        Variant(
            "as-printed",
            "Algorithm 4 as boxed and the text's (x_k, v_k) iteration both equal GD on the "
            "full two-hidden-layer network from x_0 unit, W_2^(0) = e_1 x_0^T, W_1^(0) = "
            "A^T v_0 e_1^T, iterate by iterate (W_1, W_2, x and the output).",
            (trials("boxed", compact_property("boxed"), count=256),
             trials("text", compact_property("text"), count=256),
             search("search", compact_property("boxed"), evaluations=1000)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:lemma9-start",
            "Planted: GD from Lemma 9's start (x_0 = A^T v_0 / ||A^T v_0||^2) against "
            "Algorithm 4 with rho_0 = 1.",
            (trials("boxed", compact_property("lemma9-start"), count=64),),
            expected=Verdict.REFUTED),
        Variant(
            "mutant:output-rho2",
            "Planted: the output rho_k^2 z_k (Algorithm 3's) instead of rho_k^4 z_k.",
            (trials("boxed", compact_property("output-rho2"), count=64),),
            expected=Verdict.REFUTED),
    ),
)
