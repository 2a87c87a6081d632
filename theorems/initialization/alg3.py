r"""INIT-Alg3 — Algorithm 3 of §3, "Compact hidden layer iteration" (seed 004), the derivation
before it and the two limits stated around it.

Quoted as printed in :data:`STATEMENT`; in plain text (a paraphrase): the derivation

    gamma_k := v_k^T A A^T (||x_k||_2^2 A A^T v_k - b),
    x_{k+1} = (1 - v_k^T A A^T (||x_k||_2^2 A A^T v_k - b)) x_k = (1 - gamma_k) x_k
            = prod_{i=0}^k (1 - gamma_i) x_0 = rho_{k+1} x_0,   rho_k := prod_{i<k} (1 - gamma_i),
    v_{k+1} = 1/(rho_{k+1}^2 ||x_0||^2) (v_k - alpha (rho_k^2 ||x_0||^2 A A^T v_k - b))
              rho_k^2 (1 - gamma_k) ||x_0||^2                                      (line 1)
            = 1/(1 - gamma_k) (v_k - alpha (rho_k ||x_0||^2 A A^T v_k - b)) ||x_0||^2 (line 2)
    and with ||x_0|| = 1 the "concise update"
    v_{k+1} = 1/(1 - gamma_k) (v_k - alpha (rho_k A A^T v_k - b));

the limits ``lim rho_k A^T v_k = theta* = A^T (A A^T)^{-1} b`` and ``v_inf = lim (1/rho_k)
(A A^T)^{-1} b``; and the boxed Algorithm 3: v_0 arbitrary, not zero; rho_0 = 1; z_0 = A^T v_0;
loop ``y_k = A z_k; r_k = alpha (rho_k^2 y_k - b); gamma_k = y_k^T r_k; v_{k+1} = (v_k - r_k) /
(1 - gamma_k); rho_{k+1} = rho_k (1 - gamma_k); z_{k+1} = A^T v_{k+1}``; output rho_k^2 z_k.
The quote keeps every printed line; "[...]" marks skipped prose and, inside the box, the
right-hand column of costs (O(n), O(1), O(T_A)), which is left out.

Reference: GD with step alpha on ``1/2 ||A W x - b||^2`` from (A^T v_0 x_0^T, x_0) with
||x_0|| = 1 (Algorithm 2, INIT-Alg2); then x_k = rho_k x_0, W_k = A^T v_k x_k^T and the
output is W_k x_k. x_0 is drawn as a rational point of the unit sphere (inverse
stereographic projection), so the exact comparison has ||x_0|| = 1 exactly.

Verdict: refuted as printed. The boxed Algorithm 3 is right: it reproduces GD iterate by
iterate (exactly for EXACT_STEPS steps, certified; in float64 one GD step from each of
FLOAT_STEPS states of the box, see :func:`iterates_float`). The text is
not: (i) x_{k+1} = (1 - gamma_k) x_k needs alpha in gamma_k (as the box has it through r_k);
(ii) line 2 has rho_k for rho_k^2 and a stray factor ||x_0||^2 (line 1 is right); (iii) the
concise update has rho_k for rho_k^2 — the text's iteration departs from GD after one step;
(iv) the limits need rho_k^2: GD's W_k x_k = rho_k^2 A^T v_k -> theta* gives
``lim rho_k^2 A^T v_k = theta*`` and ``v_inf = lim (1/rho_k^2) (A A^T)^{-1} b``; as printed
they fail whenever rho_inf != 1 (measured on converged runs, re-checked in mpmath). The
``corrected`` variant makes exactly these changes. Degenerate case: gamma_k = 1 (x_{k+1} = 0)
makes the box divide by zero (Theorem 6's hypothesis excludes it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import flint
import mpmath
import numpy as np

from theorems.initialization import alg2, lem5
from theorems.papers import INIT
from verify import linalg_exact as lx
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import one_hidden_layer as ohl
from verify.core.backend import NUMPY, Backend
from verify.core.hp import FMPQ, mpmath_backend, precision
from verify.domain import Batch, Instance, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "$$\\gamma_k := \\mathbf{v}_k^{\\mathrm{T}} \\mathbf{A} \\mathbf{A}^{\\mathrm{T}} "
    "(\\|\\mathbf{x}_k\\|_2^2 \\mathbf{A} \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k - "
    "\\mathbf{b})$$\n\n"
    "is a scalar, so we can write\n\n"
    "$$\\mathbf{x}_{k+1} = (1 - \\mathbf{v}_k^{\\mathrm{T}} \\mathbf{A} \\mathbf{A}^{\\mathrm{T}} "
    "(\\|\\mathbf{x}_k\\|_2^2 \\mathbf{A} \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k - \\mathbf{b})) "
    "\\mathbf{x}_k = (1 - \\gamma_k) \\mathbf{x}_k$$\n\n"
    "$$= \\prod_{i=0}^k (1 - \\gamma_i) \\mathbf{x}_0$$\n\n"
    "$$= \\rho_{k+1} \\mathbf{x}_0$$\n\n"
    "where  $\\rho_k := \\prod_{i=0}^{k-1} (1 - \\gamma_i)$ . Now,\n\n"
    "$$\\mathbf{v}_{k+1} = \\frac{1}{\\rho_{k+1}^2 \\|x_0\\|_2^2} (\\mathbf{v}_k - "
    "\\alpha(\\rho_k^2 \\|\\mathbf{x}_0\\|_2^2 \\mathbf{A} \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k "
    "- \\mathbf{b})) \\rho_k^2 (1 - \\gamma_k) \\|\\mathbf{x}_0\\|_2^2$$\n"
    "$$= \\frac{1}{1 - \\gamma_k} (\\mathbf{v}_k - \\alpha(\\rho_k \\|\\mathbf{x}_0\\|_2^2 "
    "\\mathbf{A} \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k - \\mathbf{b})) \\|\\mathbf{x}_0\\|_2^2.$$"
    "\n\n"
    "Since  $\\mathbf{x}_0$  is arbitrary, to simplify matters we can sample  $\\mathbf{x}_0$  "
    "from the unit sphere, and arrive at the concise update step\n\n"
    "$$\\mathbf{v}_{k+1} = \\frac{1}{1 - \\gamma_k} (\\mathbf{v}_k - \\alpha(\\rho_k \\mathbf{A} "
    "\\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k - \\mathbf{b})).$$\n\n"
    "[...] $$\\lim_{k \\to \\infty} \\rho_k \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_k = "
    "\\boldsymbol{\\theta}^{\\star} = \\mathbf{A}^{\\mathrm{T}} (\\mathbf{A} "
    "\\mathbf{A}^{\\mathrm{T}})^{-1} \\mathbf{b}$$\n\n"
    "# Algorithm 3 Compact hidden layer iteration\n\n"
    "```\n"
    "\\mathbf{A} \\in \\mathbb{R}^{n \\times d}, \\mathbf{b} \\in \\mathbb{R}^{n \\times 1}, "
    "\\alpha \\in \\mathbb{R} \\text{ inputs}\n"
    "\\mathbf{v}_0 \\leftarrow \\text{arbitrary, not zero} [...]\n"
    "\\rho_0 \\leftarrow 1 [...]\n"
    "\\mathbf{z}_0 \\leftarrow \\mathbf{A}^T \\mathbf{v}_0 [...]\n"
    "for iteration k = 0, 1, \\ldots until convergence do [...]\n"
    "         \\mathbf{y}_{k} \\leftarrow \\mathbf{A}\\mathbf{z}_{k}\n"
    "\\mathbf{r}_{k} \\leftarrow \\alpha(\\rho_{k}^{2}\\mathbf{y}_{k} - \\mathbf{b})\n"
    "\\gamma_{k} \\leftarrow \\mathbf{y}_{k}^{\\mathrm{T}}\\mathbf{r}_{k}\n"
    "\\mathbf{v}_{k+1} \\leftarrow \\frac{1}{1-\\gamma_{k}}(\\mathbf{v}_{k} - \\mathbf{r}_{k})\n"
    "\\rho_{k+1} \\leftarrow \\rho_{k}(1-\\gamma_{k}) [...]\n"
    "           \\mathbf{z}_{k+1} \\leftarrow \\mathbf{A}^{\\mathrm{T}} \\mathbf{v}_{k+1} [...]\n"
    "end for\n"
    "output \\rho_k^2 \\mathbf{z}_k\n"
    "```\n\n"
    "[...] $$\\mathbf{v}_{\\infty} = \\lim_{k \\to \\infty} \\frac{1}{\\rho_k} (\\mathbf{A} "
    "\\mathbf{A}^{\\mathrm{T}})^{-1} \\mathbf{b}.$$"
)

EXACT_STEPS = 5
FLOAT_STEPS = 200
TOLERANCE = Tolerance(rtol=1e-6, atol=1e-12)
FIT_STEPS = 4000
FIT_RTOL = 1e-12
LIMIT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-12)

FORMS = ("boxed", "text", "text-corrected", "output-rho", "any-x0")
"""``boxed``: Algorithm 3 as boxed; ``text``: the iteration the derivation prints (gamma_k
without alpha, the concise update with rho_k); ``text-corrected``: the derivation with alpha
in gamma_k and rho_k^2 (the corrected variant); ``output-rho`` (mutant): output rho_k z_k;
``any-x0`` (mutant): the box against GD from x_0 = 2 u (||x_0|| = 2, not on the sphere)."""


# --------------------------------------------------------------------------- the algorithm


def algorithm3_step(A: Any, b: Any, v: Any, rho: Any, alpha: Any, xp: Backend = NUMPY,
                    form: str = "boxed") -> tuple[Any, Any]:
    """One pass of the loop: ``(v_{k+1}, rho_{k+1})``; columns A (n x d), b, v (n x 1) in the
    backend's matrices (numpy: stacked, rho and alpha (B,))."""
    y = xp.matmul(A, xp.matmul(xp.T(A), v))  # y_k = A z_k, z_k = A^T v_k
    if form == "text":
        gamma = alg2.dot(xp, y, xp.sub(xp.scale(y, rho * rho), b))
        step = xp.scale(xp.sub(xp.scale(y, rho), b), alpha)
    elif form == "text-corrected":
        gamma = alpha * alg2.dot(xp, y, xp.sub(xp.scale(y, rho * rho), b))
        step = xp.scale(xp.sub(xp.scale(y, rho * rho), b), alpha)
    else:
        step = xp.scale(xp.sub(xp.scale(y, rho * rho), b), alpha)  # r_k
        gamma = alg2.dot(xp, y, step)
    return xp.scale(xp.sub(v, step), 1 / (1 - gamma)), rho * (1 - gamma)


def output(A: Any, v: Any, rho: Any, xp: Backend = NUMPY, form: str = "boxed") -> Any:
    """``rho_k^2 z_k`` (``output-rho``: ``rho_k z_k``)."""
    return xp.scale(xp.matmul(xp.T(A), v), rho if form == "output-rho" else rho * rho)


# --------------------------------------------------------------------------- derivation


def _unit_normal_form(s: dict[str, Any]) -> Callable[[Any], Any]:
    """Reduction modulo ``||x0||^2 - 1`` (a single polynomial is a Groebner basis; the last
    x0 entry leads the ring's lex order), so p = 0 on the unit sphere iff its remainder is 0."""
    sphere = sum(e * e for e in s["x0"]) - 1
    return lambda p: p.rem(sphere)


@cache
def derivation_lines(n: int, d: int) -> dict[str, bool]:
    """Each printed line as an identity about one GD step (gradients from the loss, at
    W = A^T v x^T, x = rho x0; see :func:`theorems.initialization.alg2.step_from_loss`):
    True when it holds identically (on the unit sphere where the text assumes it)."""
    s = alg2.step_from_loss(n, d, on_ray=True)
    ops = alg2.ring_ops(s)
    b, v, x0, a, rho = s["b"], s["v"], s["x0"], s["alpha"], s["rho"]
    x, W1, x1 = s["x"], s["W1"], s["x1"]
    G = ops["gram"]
    sq = ops["dot"](x0, x0)
    Gv = G(v)
    gamma_printed = ops["dot"](Gv, [rho**2 * sq * g - bi for g, bi in zip(Gv, b, strict=True)])
    gamma = a * gamma_printed
    unit = _unit_normal_form(s)

    def x_line(g: Any) -> bool:
        return all(p == (1 - g) * q for p, q in zip(x1, x, strict=True))

    def v_line(num: list[Any], den: Any, on_sphere: bool = False) -> bool:
        """W_{k+1} = A^T v_{k+1} x_{k+1}^T for v_{k+1} = num / den, i.e. den W_{k+1} =
        A^T num x_{k+1}^T."""
        At = ops["At"](num)
        diffs = (den * W1[i][j] - At[i] * x1[j] for i in range(d) for j in range(d))
        return all((unit(e) if on_sphere else e) == 0 for e in diffs)

    def v_minus(c: Any) -> list[Any]:
        return [vi - a * (c * g - bi) for vi, g, bi in zip(v, Gv, b, strict=True)]

    rho1 = rho * (1 - gamma)
    r_box = [a * (rho**2 * g - bi) for g, bi in zip(Gv, b, strict=True)]
    gamma_box = ops["dot"](Gv, r_box)
    box_v = v_line([vi - ri for vi, ri in zip(v, r_box, strict=True)], 1 - gamma_box, True)
    box_x = all(unit(p - rho * (1 - gamma_box) * q) == 0 for p, q in zip(x1, x0, strict=True))
    Wx = [sum(W1[i][j] * x1[j] for j in range(d)) for i in range(d)]
    out = ops["At"]([(rho * (1 - gamma_box)) ** 2 * e for e in [
        (vi - ri) for vi, ri in zip(v, r_box, strict=True)]])
    box_out = all(unit((1 - gamma_box) * p - q) == 0 for p, q in zip(Wx, out, strict=True))
    return {
        "x-update (gamma without alpha)": x_line(gamma_printed),
        "x-update (gamma with alpha)": x_line(gamma),
        "v line 1": v_line([rho**2 * (1 - gamma) * sq * e for e in v_minus(rho**2 * sq)],
                           rho1**2 * sq),
        "v line 2 (printed)": v_line([sq * e for e in v_minus(rho * sq)], 1 - gamma),
        "v line 2 (rho_k^2, no stray ||x0||^2)": v_line(v_minus(rho**2 * sq), 1 - gamma),
        "concise update (printed)": v_line(v_minus(rho), 1 - gamma, True),
        "concise update (rho_k^2)": v_line(v_minus(rho**2), 1 - gamma, True),
        "boxed v, rho and output": box_v and box_x and box_out,
    }


WRONG_AS_PRINTED = ("x-update (gamma without alpha)", "v line 2 (printed)",
                    "concise update (printed)")


def symbolic_derivation(corrected: bool) -> Callable[[], SymbolicOutcome]:
    """The derivation's lines (as printed, or corrected) derived from GD at n=1, d=2."""

    def derive() -> SymbolicOutcome:
        lines = derivation_lines(1, 2)
        wanted = [k for k in lines if k not in WRONG_AS_PRINTED] if corrected else list(lines)
        failed = [k for k in wanted if not lines[k]]
        details = "; ".join(f"{k}: {'holds' if lines[k] else 'FAILS'}" for k in wanted)
        details = ("one GD step derived from the loss at W = A^T v x^T, x = rho x0 (n=1, d=2, "
                   f"entries symbolic; the unit sphere by reduction mod ||x0||^2 - 1): {details}")
        if failed:
            return SymbolicOutcome(False, details, COUNTEREXAMPLE)
        return SymbolicOutcome(True, details)

    return derive


# --------------------------------------------------------------------------- iterates


def domain() -> Any:
    """INIT-Alg2's domain with x0 on the unit sphere (from the raw vector ``t``)."""
    return alg2.make_domain(x0="t")


def _gd_x0(batch: Batch, form: str) -> np.ndarray:
    """GD's x_0: the unit vector x0 (``any-x0``: 2 x0); W_0 = A^T v_0 x_0^T."""
    return batch["x0"] * (2.0 if form == "any-x0" else 1.0)


def iterates_float(form: str, steps: int) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """max over k <= steps of ``||rho_{k+1} x0 - x'|| + ||rho_{k+1} A^T v_{k+1} x0^T - W'||_F +
    ||output_{k+1} - W' x'||`` where ``(W', x')`` is one step of the core's GD from the state
    the box stands for, ``(rho_k A^T v_k x0^T, rho_k x0)``; relative to max_k (||W'|| + ||x'|| +
    ||W' x'||); NaN when some gamma_k = 1.

    This is the induction step of "the box reproduces GD iterate by iterate", checked at every
    state the float box visits (in exact arithmetic the two coincide: step 0 starts from GD's
    W_0, x_0). Comparing two independently rounded long runs instead is not meaningful in
    float64: on trajectories that approach the saddle W = 0, x = 0 (e.g. A A^T v_0 = -b) both
    recursions are unstable (for A = [1 0], b = -1, v_0 = 1 a perturbation of v_k grows by
    (1 + alpha) / (1 - alpha) per step) and the two runs part ways after ~50 steps although
    each step agrees."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b, u = batch["A"], batch["b"][..., None], batch["x0"]
        alpha = batch["alpha"]
        loss = ohl.regression_loss(A, batch["b"])
        x_gd = _gd_x0(batch, form)
        v, rho = batch["v0"][..., None], np.ones(A.shape[0])
        worst, size = np.zeros(A.shape[0]), np.zeros(A.shape[0])
        for _ in range(steps):
            W = rho[:, None, None] * alg2.rank_one(A, v, x_gd[..., None])
            W, x = ohl.step(W, rho[:, None] * x_gd, loss, alpha)
            v, rho = algorithm3_step(A, b, v, rho, alpha, form=form)
            Wx = np.einsum("bij,bj->bi", W, x)
            gap = lem5.norm(output(A, v, rho, form=form)[..., 0] - Wx)
            if form != "any-x0":
                gap += lem5.norm(rho[:, None] * u - x) + lem5.norm(
                    rho[:, None, None] * alg2.rank_one(A, v, u[..., None]) - W)
            worst = np.fmax(worst, gap)
            size = np.fmax(size, lem5.norm(W) + lem5.norm(x) + lem5.norm(Wx))
        return np.where(np.isfinite(rho), worst, np.nan), size

    return margin


def iterates_hp(form: str, steps: int = EXACT_STEPS) -> Callable[[Instance, int], Any]:
    """:func:`iterates_float` exactly over ``steps`` steps (None when some gamma_k = 1)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = alg2.exact_setting(inst)
        if s is None:
            return None
        A, b, u, alpha = s["A"], s["b"], s["x0"], s["alpha"]
        gd = s if form != "any-x0" else {**s, "x0": u * 2}
        v, rho = s["v0"], flint.fmpq(1)
        gap, size = flint.fmpq(0), flint.fmpq(0)
        for W, x in alg2.gd_run_exact(gd, steps)[1:]:
            try:
                v, rho = algorithm3_step(A, b, v, rho, alpha, FMPQ, form)
            except ZeroDivisionError:  # gamma_k = 1: off Theorem 6's hypothesis
                return None
            Wx = W * x
            gap += lx.squared_norm(output(A, v, rho, FMPQ, form) - Wx)
            if form != "any-x0":
                gap += lx.squared_norm(u * rho - x) + lx.squared_norm(
                    alg2.rank_one(A, v, u, FMPQ) * rho - W)
            size = max(size, lx.squared_norm(W) + lx.squared_norm(x) + lx.squared_norm(Wx))
        with flint.ctx.workprec(lem5.prec(digits)):
            return lem5.arb_sqrt(gap), lem5.arb_sqrt(size)

    return margin_hp


def iterates_property(form: str) -> Property:
    """The iteration ``form`` reproduces GD from (A^T v0 x0^T, x0), ||x0|| = 1."""
    return Property(domain(), iterates_float(form, FLOAT_STEPS), iterates_hp(form), TOLERANCE,
                    rigorous=True, description=f"{form} iteration = GD iterate by iterate "
                    f"(exact {EXACT_STEPS} steps; float64: one GD step from each of "
                    f"{FLOAT_STEPS} box states)")


# --------------------------------------------------------------------------- limits


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a / np.where(b == 0, np.nan, b)


def limits_float(power: int) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """After the box has fitted the data (``||A rho^2 z - b|| <= FIT_RTOL ||b||``, measured):
    ``||rho^p A^T v - theta*|| + ||A^T v - A^T (A A^T)^{-1} b / rho^p||`` with p = ``power``
    (printed p = 1, corrected p = 2), relative to ``||theta*|| + ||A^T v||``; NaN when the
    run did not fit or rank(A) < n."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        A, b = batch["A"], batch["b"][..., None]
        alpha = batch["alpha"]
        v, rho = batch["v0"][..., None], np.ones(A.shape[0])
        target = FIT_RTOL * lem5.norm(batch["b"])
        for _ in range(FIT_STEPS):
            v_new, rho_new = algorithm3_step(A, b, v, rho, alpha)
            v = np.where(np.isfinite(rho_new)[:, None, None], v_new, v)
            rho = np.where(np.isfinite(rho_new), rho_new, rho)
        fit = lem5.norm((A @ output(A, v, rho) - b)[..., 0]) <= target
        s = np.linalg.svd(A, compute_uv=False)
        ok = fit & (s[:, -1] > lem5.RANK_RTOL * s[:, 0])
        theta = lem5.theta_star(A, batch["b"])
        z = (np.swapaxes(A, 1, 2) @ v)[..., 0]
        excess = lem5.norm(rho[:, None] ** power * z - theta) + lem5.norm(
            z - _safe_div(theta, rho[:, None] ** power))
        return np.where(ok, excess, np.nan), lem5.norm(theta) + lem5.norm(z)

    return margin


def limits_hp(power: int) -> Callable[[Instance, int], Any]:
    """:func:`limits_float` with the box run in mpmath at ``digits`` digits until
    ``||A rho^2 z - b|| <= 1e-25 ||b||``; theta* exactly (INIT-Lem5's setting)."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        s = lem5.exact_setting(inst)
        if s is None:
            return None
        xp = mpmath_backend(digits)
        with precision(xp):
            A, b = xp.asmat(lx.to_fractions(s["A"])), xp.asmat(lx.to_fractions(s["b"]))
            v, rho, alpha = xp.asmat(np.asarray(inst["v0"], dtype=object).reshape(-1, 1)), \
                mpmath.mpf(1), xp.scalar(inst["alpha"])
            target = mpmath.mpf(10) ** (-min(digits - 10, 25)) * mpmath.norm(b)
            for _ in range(FIT_STEPS * 2):
                v, rho = algorithm3_step(A, b, v, rho, alpha, xp)
                if mpmath.norm(A * output(A, v, rho, xp) - b) <= target:
                    break
            else:
                return None
            theta = xp.asmat(lx.to_fractions(s["theta"]))
            z = A.T * v
            excess = mpmath.norm(z * rho**power - theta) + mpmath.norm(z - theta / rho**power)
            return excess, mpmath.norm(theta) + mpmath.norm(z)

    return margin_hp


def limits_property(power: int) -> Property:
    """The stated limits with rho_k^power (printed 1, corrected 2)."""
    dom = domain()
    return Property(dom, limits_float(power), limits_hp(power), LIMIT_TOLERANCE,
                    description=f"lim rho_k^{power} A^T v_k = theta*, v_inf = lim "
                    f"(A A^T)^{{-1}} b / rho_k^{power} (runs that fit the data)")


# --------------------------------------------------------------------------- claim

COUNTEREXAMPLE: Instance = {}
"""Filled below: an exact instance at which the text's iteration departs from GD."""


def _counterexample() -> Instance:
    from fractions import Fraction as F

    A = np.array([[F(1), F(1, 2)]], dtype=object)
    return {"n": 1, "d": 2, "deficient": 0, "A": A, "b": np.array([F(1)], dtype=object),
            "t": np.array([F(1, 2), F(0)], dtype=object),
            "x0": np.array([F(4, 5), F(-3, 5)], dtype=object),
            "v0": np.array([F(1, 2)], dtype=object), "step": F(1, 2), "alpha": F(1, 10)}


COUNTEREXAMPLE.update(_counterexample())


def _limit_sampler() -> Any:
    return lem5.fit_sampler(domain())


def _iterate_checks(form: str, count: int, evaluations: int) -> tuple[Any, ...]:
    prop = iterates_property(form)
    return (trials("iterates", prop, count=count),
            search("search", prop, evaluations=evaluations))


CLAIM = Claim(
    id="INIT-Alg3",
    paper=INIT,
    location="§3, the derivation after Algorithm 2, Algorithm 3 and the limits around it",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Algorithm 3 has no x_0: it is GD from (A^T v_0 x_0^T, x_0) for any unit x_0 "
           "(the text's 'sample x_0 from the unit sphere'). The limits hold with rho_k^2; "
           "they are consistent with the text's (wrong) concise update, whose fixed points "
           "satisfy rho A A^T v = b, not with the box or GD. Also in the text: the time "
           "complexity O(t max(n, T_A)) (not checked)."),
    variants=(
        Variant(
            "as-printed",
            "Everything printed: the derivation's lines (symbolically from GD), the text's "
            "iteration and the boxed Algorithm 3 against GD (exactly for 5 steps, float64 over "
            "200), and the two limits on converged runs (float64, mpmath re-check).",
            (symbolic("derivation", symbolic_derivation(False), replay=iterates_hp("text")),
             trials("boxed", iterates_property("boxed"), count=64),
             trials("text-iteration", iterates_property("text"), count=32),
             trials("limits", limits_property(1), sampler=_limit_sampler(), count=64,
                    certify=False)),
            expected=Verdict.REFUTED),
        Variant(
            "corrected",
            "alpha in gamma_k (gamma_k := alpha v_k^T A A^T (||x_k||^2 A A^T v_k - b), as the "
            "box's y_k^T r_k), rho_k^2 instead of rho_k and no stray ||x0||^2 in line 2 and in "
            "the concise update, and rho_k^2 in both limits (lim rho_k^2 A^T v_k = theta*, "
            "v_inf = lim (A A^T)^{-1} b / rho_k^2). The box is unchanged.",
            (symbolic("derivation", symbolic_derivation(True)),
             *_iterate_checks("boxed", 64, 1000),
             trials("text-iteration", iterates_property("text-corrected"), count=32),
             trials("limits", limits_property(2), sampler=_limit_sampler(), count=64,
                    certify=False)),
            expected=Verdict.SUPPORTED),
        Variant(
            "mutant:output-rho",
            "Planted: output rho_k z_k instead of rho_k^2 z_k.",
            (trials("iterates", iterates_property("output-rho"), count=32),),
            expected=Verdict.REFUTED),
        Variant(
            "mutant:any-x0",
            "Planted: the box reproduces GD from (A^T v0 x0^T, x0) for any x0 (here ||x0|| = "
            "2): the unit-sphere assumption dropped.",
            (trials("iterates", iterates_property("any-x0"), count=32),),
            expected=Verdict.REFUTED),
    ),
)
