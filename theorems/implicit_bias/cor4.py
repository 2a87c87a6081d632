r"""BIAS-Cor4: Corollary 4 of "A Unifying View on Implicit Bias in Training Linear Neural Networks"
(App A.3; proof App E.2, eq. (58)), both parts as printed::

    Corollary 4. Consider a 2-layer linear convolutional network (12) with k_1 = 1 and a single
    data point (x, y). If ... ||x||^2 v̄_1^2 - (x^T v̄_2)^2 >= ||x||^2 lambda, then the training
    loss -> 0. Also, beta_conv converges in direction that aligns with y x.
    ... k_1 = 2 ... ←x := [x_2 ... x_d x_1], →x := [x_d x_1 ... x_{d-1}]. If ...
    ([w̄_1]_1 + [w̄_1]_2)^2 - ((x + ←x)^T v̄_2)^2 / (||x||^2 + x^T ←x) >= lambda, and
    ([w̄_1]_1 - [w̄_1]_2)^2 - ((x - ←x)^T v̄_2)^2 / (||x||^2 - x^T ←x) >= lambda,
    then the training loss -> 0. Also, beta_conv converges in a direction ... proportional to
    2yx + y←x + y→x if x^T←x > 0, 2yx - y←x - y→x if x^T←x < 0.

Reading (stated). The network is (12) with ``L = 2``: ``f = (x ⋆ w_1)^T w_2``, ``[a ⋆ b]_i =
sum_j a_{(i+j-1) mod d} b_j``, i.e. ``M_conv(x)_{j_1 j_2} = x_{(j_1 + j_2 - 1) mod d}``, which
is the engine's :func:`verify.core.tensor_networks.conv` (checked symbolically) and gives
``beta_l = [w_1]_1 [w_2]_l + [w_1]_2 [w_2]_{l-1}`` (58). The printed initial directions
(``w̄_l`` in the k_1 = 1 statement but ``v̄_l`` in its condition; ``←w_1``, ``→w_1``, ``→v_2`` in
the k_1 = 2 condition: extraction artefacts of bars) are all read as ``v̄_l = w̄_l`` (the tensor
form sets ``v_l = w_l``). Exponential loss, ``y = ±1``, ``x != 0``, ``v_l(0) = alpha v̄_l``;
"proportional" means a positive multiple. The k_1 = 2 conditions are only defined when
``||x||^2 ± x^T ←x != 0`` (they read 0/0 for constant ``x`` and for alternating ``x``, where
one singular value is 0): such ``x`` are outside the printed statement; for ``x^T ←x = 0`` the
conditions are defined but no limit is printed (both singular values are equal and the limit
depends on the initialization, see tests): only "loss -> 0" is checked there. ``d = 2`` is
allowed (``←x = →x``; then ``k_1 = d``).

Derivation (sympy, ``d = 2..5``): ``M_conv(x) = [x^T; ←x^T]`` (k_1 = 2; ``x^T`` for k_1 = 1);
``M M^T = [[||x||^2, x^T ←x], [x^T ←x, ||x||^2]]``, so ``U_1 = [[1, 1], [1, -1]] / sqrt 2``,
``s_± = sqrt(||x||^2 ± x^T ←x)``, ``U_2 = [(x ± ←x) / (sqrt 2 s_±)]``; the printed conditions are
exactly ``2 x`` (k_1 = 1: ``||x||^2 x``) Theorem 3's gaps in this frame; the limit
``v_1 ∝ (1, ±1)``, ``v_2 ∝ y (x ± ←x)`` gives ``beta ∝ y (2x ± ←x ± →x)`` through (58).

What the checks establish. ``as-printed``: SUPPORTED (asymptotic) on its domain: the limit
of the flow is the closed form of :mod:`verify.core.single_point` (Theorem 3's analysis,
derived and engine-validated in BIAS-Thm3), evaluated at high precision from an mpmath SVD
of the engine's ``M_conv(x)``, and compared with the printed direction; the engine's
arc-length flow (conv: k_1 = 2 with d = 2, 4; k_1 = 1 with d = 3) is measured to follow the
closed form. The
printed shift convention is the right one for the paper's own (12) (the formula is symmetric
in ←x, →x; the condition's ``x + ←x`` is what (12) gives: ``(x + →x)`` would be wrong, see
the tests).

Planted mutants (refuted): filter taps of the wrong sign (``2yx - y←x - y→x`` when
``x^T ←x > 0`` and vice versa); ``beta ∝ yx`` for k_1 = 2; the k_1 = 1 condition dropped (an
exact instance with ``c = 0``: ``y f < 0`` forever, the loss stays > 1); the k_1 = 2
conditions dropped (an exact instance with ``c_+ = 0``: the limit is the other filter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy

from theorems.implicit_bias import thm3
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import single_point as sp
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Property, Vector, take
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Corollary 4.** Consider a 2-layer linear convolutional network (12) with  $k_1 ="
    r" 1$  and a single data point  $(\mathbf{x}, y)$ . If there exists  $\lambda > 0$ "
    r" such that the initial directions  $\bar{\mathbf{w}}_1$  and  $\bar{\mathbf{w}}_2$ "
    r" of the network parameters satisfy  $\|\mathbf{x}\|^2 \bar{\mathbf{v}}_1^2 -"
    r" (\mathbf{x}^T \bar{\mathbf{v}}_2)^2 \geq \|\mathbf{x}\|^2 \lambda$ , then the"
    r" training loss  $\mathcal{L}(\Theta_{\text{conv}}(t)) \rightarrow 0$ . Also, "
    r" $\beta_{\text{conv}}(\Theta_{\text{conv}}(t))$  converges in direction that aligns"
    r" with  $y\mathbf{x}$ ."
    "\n\n"
    r"Consider a 2-layer linear convolutional network (12) with  $k_1 = 2$  and a single"
    r" data point  $(\mathbf{x}, y)$ . Let  $\overleftarrow{\mathbf{x}} :="
    r" [[\mathbf{x}]_2 \cdots [\mathbf{x}]_d \ [\mathbf{x}]_1]$ , and "
    r" $\overrightarrow{\mathbf{x}} := [[\mathbf{x}]_d \ [\mathbf{x}]_1 \cdots"
    r" [\mathbf{x}]_{d-1}]$ . If there exists  $\lambda > 0$  such that the initial"
    r" directions  $\overleftarrow{\mathbf{w}}_1$  and  $\overrightarrow{\mathbf{w}}_2$ "
    r" of the network parameters satisfy"
    "\n\n"
    r"$$([\overleftarrow{\mathbf{w}}_1]_1 + [\overrightarrow{\mathbf{w}}_1]_2)^2 -"
    r" \frac{((\mathbf{x} + \overleftarrow{\mathbf{x}})^T"
    r" \overrightarrow{\mathbf{v}}_2)^2}{\|\mathbf{x}\|_2^2 + \mathbf{x}^T"
    r" \overleftarrow{\mathbf{x}}} \geq \lambda, \quad \text{and} \quad"
    r" ([\overleftarrow{\mathbf{w}}_1]_1 - [\overrightarrow{\mathbf{w}}_1]_2)^2 -"
    r" \frac{((\mathbf{x} - \overleftarrow{\mathbf{x}})^T"
    r" \overrightarrow{\mathbf{v}}_2)^2}{\|\mathbf{x}\|_2^2 - \mathbf{x}^T"
    r" \overleftarrow{\mathbf{x}}} \geq \lambda,$$"
    "\n\n"
    r"then the training loss  $\mathcal{L}(\Theta_{\text{conv}}(t)) \rightarrow 0$ ."
    r" Also,  $\beta_{\text{conv}}(\Theta_{\text{conv}}(t))$  converges in a direction"
    r" that aligns with a “filtered” version of  $\mathbf{x}$ :"
    "\n\n"
    r"$$\lim_{t \rightarrow \infty}"
    r" \frac{\beta_{\text{conv}}(\Theta_{\text{conv}}(t))}{\|\beta_{\text{conv}}(\Theta_{"
    r"\text{conv}}(t))\|_2} \propto \begin{cases} 2y\mathbf{x} +"
    r" y\overleftarrow{\mathbf{x}} + y\overrightarrow{\mathbf{x}} & \text{if }"
    r" \mathbf{x}^T \overleftarrow{\mathbf{x}} > 0, \\ 2y\mathbf{x} -"
    r" y\overleftarrow{\mathbf{x}} - y\overrightarrow{\mathbf{x}} & \text{if }"
    r" \mathbf{x}^T \overleftarrow{\mathbf{x}} < 0. \end{cases}$$")

GAP_REPAIR = 0.05
LIMIT_TOLERANCE = Tolerance(rtol=0.0, atol=1e-6)


def left(x: Any) -> Any:
    """``←x = [x_2 ... x_d x_1]``."""
    return np.roll(x, -1, axis=-1)


def right(x: Any) -> Any:
    """``→x = [x_d x_1 ... x_{d-1}]``."""
    return np.roll(x, 1, axis=-1)


def conditions(x: np.ndarray, w: np.ndarray, v2: np.ndarray) -> list[Any] | None:
    """The printed left-hand sides (each must exceed some lambda > 0, i.e. be > 0; for
    k_1 = 1 divided by ``||x||^2``); None where a printed denominator vanishes. One instance,
    float or exact entries."""
    n2 = (x * x).sum()
    if n2 == 0:
        return None
    if len(w) == 1:
        return [(n2 * w[0] ** 2 - (x.dot(v2)) ** 2) / n2]
    ac = x.dot(left(x))
    out = []
    for sg in (1, -1):
        den = n2 + sg * ac
        if den == 0:
            return None
        out.append((w[0] + sg * w[1]) ** 2 - ((x + sg * left(x)).dot(v2)) ** 2 / den)
    return out


def _repair(batch: Batch) -> Batch:
    """Lift non-positive printed conditions to ``2 GAP_REPAIR`` by changing ``w̄_1`` along
    ``(1, ±1)`` (k_1 = 2) or its size (k_1 = 1)."""
    w = batch["v1"].copy()
    for i in range(w.shape[0]):
        x, v2 = batch["x"][i], batch["v2"][i]
        n2 = x @ x
        if n2 < 1e-12:
            continue
        if w.shape[1] == 1:
            b2 = (x @ v2) ** 2 / n2
            if w[i, 0] ** 2 <= b2:
                w[i, 0] = (1.0 if w[i, 0] >= 0 else -1.0) * np.sqrt(b2 + 2 * GAP_REPAIR)
            continue
        ac = x @ left(x)
        parts = []
        for sg in (1, -1):
            den = n2 + sg * ac
            a = w[i, 0] + sg * w[i, 1]
            b2 = (x + sg * left(x)) @ v2
            b2 = b2**2 / den if den > 1e-12 else 0.0
            parts.append(a if a**2 > b2 else (1.0 if a >= 0 else -1.0) * np.sqrt(
                b2 + 2 * GAP_REPAIR))
        w[i] = [(parts[0] + parts[1]) / 2, (parts[0] - parts[1]) / 2]
    return {**batch, "v1": w}


def _ok(printed: bool) -> Callable[[Batch], np.ndarray]:
    def ok(batch: Batch) -> np.ndarray:
        out = np.zeros(batch["x"].shape[0], dtype=bool)
        for i in range(out.size):
            x = batch["x"][i]
            if np.linalg.norm(x) < 1e-6:
                continue
            conds = conditions(x, batch["v1"][i], batch["v2"][i])
            out[i] = not printed or (conds is not None and min(conds) > 0)
        return out

    return ok


def _domain(printed: bool) -> Domain:
    return Domain(
        variables=(Integer("k1", 1, 2), Integer("d", 1, 5), Integer("y", -1, 1),
                   Vector("x", "d"), Vector("v1", "k1", -2.0, 2.0), Vector("v2", "d")),
        hypothesis=_ok(printed), repair=_repair if printed else None,
        dims_ok=lambda d: d["y"] != 0 and d["k1"] <= d["d"])


DOMAIN = _domain(printed=True)
NO_CONDITION = _domain(printed=False)


def exact_ok(inst: Instance, printed: bool = True) -> bool:
    """Exact: ``y = ±1``, ``x != 0`` and (printed) the conditions defined and > 0."""
    if inst["y"] not in (-1, 1) or all(v == 0 for v in inst["x"]):
        return False
    conds = conditions(inst["x"], inst["v1"], inst["v2"])
    return not printed or (conds is not None and min(conds) > 0)


def printed_direction(x: np.ndarray, y: int, k1: int, taps: int = 1) -> np.ndarray | None:
    """``y x`` (k_1 = 1) or ``y (2x ± ←x ± →x)`` with the sign of ``x^T ←x`` (k_1 = 2; None
    when it is 0). ``taps = -1`` plants the opposite signs, ``taps = 0`` plants ``y x``."""
    if k1 == 1 or taps == 0:
        return y * x
    ac = x.dot(left(x))
    if ac == 0:
        return None
    sg = taps * (1 if ac > 0 else -1)
    return y * (2 * x + sg * left(x) + sg * right(x))


def beta_of(net: tn.TensorNetwork, v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """``beta_j = v_1^T M(e_j) v_2`` through the engine's basis tensor (float or object)."""
    T = tn.basis_tensor(net).astype(int)
    return np.array([v1.dot(T[j].astype(object if v1.dtype == object else float).dot(v2))
                     for j in range(net.d)], dtype=v1.dtype)


def limit_beta(inst: Instance, digits: int | None, printed: bool = True) -> tuple[Any, bool]:
    """Closed-form limit direction of ``beta_conv`` (Theorem 3's analysis in an SVD of the
    engine's ``M_conv(x)``: float64, or mpmath at ``digits`` from the exact ``x``) and
    whether the loss -> 0. Under the printed conditions every ``c_j != 0`` (Theorem 3's gaps),
    so only exact zeros count; without them coefficients at rounding level count as 0."""
    net = tn.conv(inst["d"], (inst["k1"], inst["d"]))
    y = int(inst["y"])
    if digits is None:
        M = tn.data_tensor(net, inst["x"])
        coef = sp.coefficients(*sp.svd_frame(M), y, inst["v1"], inst["v2"])
        scale = 1e-12 * (1 + np.max(np.abs(np.concatenate([inst["v1"], inst["v2"]]))))
        sqrt: Callable[[Any], Any] = np.sqrt
    else:
        T = tn.basis_tensor(net).astype(int)
        M = sum(xj * T[j].astype(object) for j, xj in enumerate(inst["x"]))
        U1, s, U2 = sp.svd_frame_mp(M, digits + 10)
        coef = sp.coefficients(U1, s, U2, y, sp.mp_array(inst["v1"]), sp.mp_array(inst["v2"]))
        scale = mpmath.mpf(10) ** (10 - digits) * (1 + max(abs(v) for v in coef.c))
        sqrt = mpmath.sqrt

    def zero(v: Any) -> bool:
        return v == 0 if printed else abs(v) <= scale

    coef = _merge_ties(coef, digits)
    V1, V2 = sp.limit_direction(coef, zero, sqrt)
    return beta_of(net, V1, V2), sp.loss_to_zero(coef, zero)


def _merge_ties(coef: sp.Coefficients, digits: int | None) -> sp.Coefficients:
    """Singular values equal up to rounding (float: 1e-12, mpmath: 10^(10 - digits),
    relative) are set equal, so a repeated top singular value is recognised."""
    s = coef.s.copy()
    tol = 1e-12 if digits is None else mpmath.mpf(10) ** (10 - digits)
    top = max(s)
    for j in range(len(s)):
        if abs(s[j] - top) <= tol * top:
            s[j] = top
    return sp.Coefficients(coef.U1, s, coef.U2, coef.y, coef.c, coef.d, coef.p1, coef.p2)


def excess(inst: Instance, digits: int | None = None, taps: int = 1,
           printed: bool = True) -> Any:
    """Chord distance between the limit of ``beta_conv`` and the printed direction (0 when
    no direction is printed: ``x^T ←x = 0``), plus 1 if the loss does not tend to 0."""
    beta, to_zero = limit_beta(inst, digits, printed)
    target = printed_direction(inst["x"], int(inst["y"]), int(inst["k1"]), taps)
    sqrt = np.sqrt if digits is None else mpmath.sqrt
    out = 0 * beta[0]
    if target is not None:
        if digits is not None:
            target = sp.mp_array(target)
        out = sp.chord(beta, target, sqrt) if (target * target).sum() > 0 else 2 + out
    return out if to_zero else max(out, 1 + 0 * out)


def limit_property(domain: Domain = DOMAIN, taps: int = 1, description: str = "") -> Property:
    """The closed-form limit of ``beta_conv`` against the printed direction."""
    printed = domain is DOMAIN

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        ok = domain.admissible(batch)
        out = np.full(ok.size, np.nan)
        for i in np.flatnonzero(ok):
            out[i] = float(excess(take(batch, int(i)), None, taps, printed))
        return out, np.ones_like(out)

    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any] | None:
        if not exact_ok(inst, printed):
            return None
        with mpmath.workdps(digits + 10):
            return excess(inst, digits, taps, printed), mpmath.mpf(1)

    return Property(domain, margin, margin_hp, LIMIT_TOLERANCE, description=description)


PRINTED = limit_property(description="beta_conv's limit direction is y x (k_1 = 1) / the "
                         "printed filtered x (k_1 = 2); loss -> 0")
WRONG_TAPS = limit_property(taps=-1, description="planted: 2yx - y←x - y→x when x^T←x > 0 "
                            "(and + when < 0)")
BETA_YX = limit_property(taps=0, description="planted: beta ∝ y x also for k_1 = 2")
NO_CONDITION_LIMIT = limit_property(NO_CONDITION, description="planted: conditions dropped")


# --------------------------------------------------------------------------- samplers


def draw(rng: np.random.Generator, n: int, k1: int, d: int, y: int) -> Batch:
    """Random ``x`` (``||x|| >= 0.3``), ``v̄_1``, ``v̄_2``; conditions repaired."""
    x = rng.uniform(-1, 1, (n, d))
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x * np.maximum(norms, 0.3) / norms
    raw = {"x": x, "v1": rng.uniform(-2, 2, (n, k1)), "v2": rng.uniform(-1, 1, (n, d))}
    return DOMAIN.assemble(raw, {"k1": k1, "d": d, "y": y})


SHAPES = ((1, 1), (1, 3), (1, 4), (2, 2), (2, 3), (2, 4), (2, 5))


def sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """(k_1, d) in :data:`SHAPES`, both labels."""
    per = max(1, n // (2 * len(SHAPES)))
    return [draw(rng, per, k1, d, y) for k1, d in SHAPES for y in (1, -1)]


def _exact(k1: int, x: list, v1: list, v2: list, y: int) -> Batch:
    return {"k1": k1, "d": len(x), "y": y, "x": np.array([x], dtype=float),
            "v1": np.array([v1], dtype=float), "v2": np.array([v2], dtype=float)}


def degenerate_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Corner cases: ``x^T ←x = 0`` (``x = e_1``: no printed limit, loss only) and other exact
    instances (``d = 2``, where ``←x = →x``; k_1 = 1 with dyadic ``x``); tiny ``x^T ←x =
    (x_1 + x_3) 1e-7`` (nearly equal singular values); ``v̄_2 = 0``; ``d = 2``; the k_1 = 1
    condition with margin 1e-8."""
    k = max(1, n // 8)
    out = [_exact(2, [1, 0, 0, 0], [2, 1], [0.5, 0, 0, -0.25], 1),
           _exact(2, [1, 2, -1], [1, -2], [0, 0.5, 0.5], -1),
           _exact(2, [1, -0.5], [0.5, 2], [0.25, 0.25], 1),
           _exact(1, [0.375, 0.5], [1], [0.25, -1], -1)]
    near = draw(rng, k, 2, 4, 1)
    near["x"][:, 3] = 1e-7 - near["x"][:, 1]
    out.append(DOMAIN.assemble({k: near[k] for k in ("x", "v1", "v2")},
                               {"k1": 2, "d": 4, "y": 1}))
    flat = draw(rng, k, 2, 3, -1)
    flat["v2"][:] = 0.0
    out.append(flat)
    out.append(draw(rng, k, 2, 2, 1))
    tight = draw(rng, k, 1, 3, 1)
    xx, v2 = tight["x"], tight["v2"]
    tight["v1"][:, 0] = np.sqrt(np.einsum("bd,bd->b", xx, v2) ** 2
                                / np.einsum("bd,bd->b", xx, xx) + 1e-8)
    out.append(tight)
    return out


def no_condition_sampler(rng: np.random.Generator, n: int) -> list[Batch]:
    """Exact instances violating the conditions: k_1 = 1, ``x = (3/8, 1/2)`` (``||x|| = 5/8``),
    ``v̄_1 = 1``, ``v̄_2 = (0, -5y/4)`` (``c = 0``: the loss stays > 1); k_1 = 2, ``x = (1, 1,
    0)`` (``x^T ←x = 1``), ``v̄_1 = (1, -1)``, ``v̄_2 = (0, 1/2, -1/2)`` (``c_+ = 0``: beta tends
    to ``y (2x - ←x - →x)``)."""
    return [_exact(1, [0.375, 0.5], [1], [0, -1.25], 1),
            _exact(1, [0.375, 0.5], [1], [0, 1.25], -1),
            _exact(2, [1, 1, 0], [1, -1], [0, 0.5, -0.5], 1)]


# --------------------------------------------------------------------------- symbolic


def derive_corollary4() -> SymbolicOutcome:
    """For d = 2..5 (explicit symbols): (12) gives ``M_conv`` = the engine's tensor, ``[x^T]``
    (k_1 = 1) and ``[x^T; ←x^T]`` (k_1 = 2); ``beta = grad_x f`` is (58); ``M M^T``'s
    eigenpairs and the right singular vectors; the printed conditions are ``2 x`` (k_1 = 1:
    ``||x||^2 x``) Theorem 3's gaps in that frame; the top pairs give ``beta ∝ 2x ± ←x ± →x``
    through (58), and ``(x + →x)`` is NOT a right singular vector (d >= 3)."""
    gaps: list[sympy.Expr] = []
    wrong_shift = []
    for d in range(2, 6):
        x = sympy.Matrix(sympy.symbols(f"x1:{d + 1}", real=True))
        w = sympy.Matrix(sympy.symbols("w1:3", real=True))
        v2 = sympy.Matrix(sympy.symbols(f"u1:{d + 1}", real=True))
        xl = sympy.Matrix([x[(i + 1) % d] for i in range(d)])
        xr = sympy.Matrix([x[(i - 1) % d] for i in range(d)])
        for k1 in (1, 2):
            M = sympy.Matrix([[x[(j1 + j2) % d] for j2 in range(d)] for j1 in range(k1)])
            T = tn.basis_tensor(tn.conv(d, (k1, d)))
            gaps += [M[a, b] - sum(x[j] * int(T[j, a, b]) for j in range(d))
                     for a in range(k1) for b in range(d)]
            star = [sum(x[(i + j) % d] * w[j] for j in range(k1)) for i in range(d)]
            f = sum(star[i] * v2[i] for i in range(d))
            beta = [sympy.diff(f, x[l]) for l in range(d)]
            gaps += [sympy.expand(beta[l] - sum(w[j] * v2[(l - j) % d] for j in range(k1)))
                     for l in range(d)]
            gaps.append(sympy.expand(f - (w[:k1, 0].T * M * v2)[0, 0]))
        M2 = sympy.Matrix.vstack(x.T, xl.T)
        n2, ac = (x.T * x)[0, 0], (x.T * xl)[0, 0]
        gaps += list((M2 * M2.T - sympy.Matrix([[n2, ac], [ac, n2]])).applyfunc(sympy.expand))
        for sg in (1, -1):
            u1 = sympy.Matrix([1, sg]) / sympy.sqrt(2)
            gaps += list((M2 * M2.T * u1 - (n2 + sg * ac) * u1).applyfunc(sympy.expand))
            u2 = x + sg * xl
            gaps += list((M2.T * sympy.Matrix([1, sg]) - u2).applyfunc(sympy.expand))
            gaps.append(sympy.expand((u2.T * u2)[0, 0] - 2 * (n2 + sg * ac)))
            den = n2 + sg * ac
            # Theorem 3's gap [U_1^T w]^2 - [U_2^T v_2]^2 and the printed condition, both
            # multiplied by the (non-zero) denominator 2 (||x||^2 ± x^T ←x) = ||x ± ←x||^2
            gap3 = (u1.T * w)[0, 0] ** 2 * 2 * den - (u2.T * v2)[0, 0] ** 2
            printed = (w[0] + sg * w[1]) ** 2 * den - (u2.T * v2)[0, 0] ** 2
            gaps.append(sympy.expand(2 * printed - 2 * gap3))
            beta = [u2[l] + sg * u2[(l - 1) % d] for l in range(d)]
            gaps += [sympy.expand(beta[l] - (2 * x[l] + sg * xl[l] + sg * xr[l]))
                     for l in range(d)]
        n1 = (x.T * x)[0, 0]
        # k_1 = 1: M = x^T has M M^T = ||x||^2 and M^T 1 = x, so U_1 = 1, U_2 = x / ||x||
        # and ||x||^2 (w^2 - (U_2^T v_2)^2) is the printed ||x||^2 w^2 - (x^T v_2)^2
        M1 = x.T
        gaps += [sympy.expand((M1 * M1.T)[0, 0] - n1), *(M1.T - x).applyfunc(sympy.expand)]
        if d >= 3:
            wr = x + xr
            wrong_shift.append(sympy.expand((M2.T * sympy.Matrix([1, 1]) - wr)[0]) != 0)
    nonzero = [g for g in gaps if g != 0]
    return SymbolicOutcome(not nonzero and all(wrong_shift),
                           f"{len(gaps)} identities for d = 2..5: M_conv from (12) = engine "
                           f"tensor = [x^T] / [x^T; ←x^T]; beta = grad_x f = (58); M M^T = "
                           f"[[||x||^2, x^T←x], [x^T←x, ||x||^2]], eigenvectors (1, ±1)/sqrt 2, "
                           f"right singular vectors (x ± ←x)/(sqrt 2 s_±); printed conditions = "
                           f"2 x Theorem 3's gaps (k_1 = 1: ||x||^2 x); (58) at the top pair "
                           f"gives 2x ± ←x ± →x; x + →x is not M^T (1, 1) for d >= 3; "
                           f"nonzero: {nonzero[:3]}")


# --------------------------------------------------------------------------- the claim

FLOW_CONFIGS = ((1, 4, 2, 1), (1, 2, 2, -1), (1, 3, 1, -1))
"""(arch = conv, d, k_1, y) for the engine runs (:data:`theorems.implicit_bias.thm3.FLOW`)."""

_SEARCH_DIMS = [{"k1": 2, "d": 3, "y": 1}, {"k1": 2, "d": 4, "y": -1}, {"k1": 1, "d": 3, "y": 1},
                {"k1": 2, "d": 2, "y": 1}]

CLAIM = Claim(
    id="BIAS-Cor4",
    paper=BIAS,
    location="App A.3 Corollary 4 (k_1 = 1 and k_1 = 2); proof App E.2 eq. (58)",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Network (12) with L = 2 (the engine's conv, checked symbolically); initial "
           "directions w̄_l = v̄_l (the printed ←w_1, →w_1, →v_2 and the k_1 = 1 statement's "
           "w̄/v̄ are read as bars); exponential loss, y = ±1, v_l(0) = alpha v̄_l. The k_1 = 2 "
           "conditions are undefined (0/0) for constant or alternating x: outside the "
           "statement; for x^T←x = 0 no direction is printed (the limit then depends on the "
           "initialization): only loss -> 0 is checked there. Limits from Theorem 3's closed "
           "form (BIAS-Thm3), mpmath SVD of M_conv(x); engine arc-length runs follow it."),
    variants=(
        Variant(
            "as-printed",
            "Corollary 4 as printed, both parts (k_1 = 1: beta -> y x; k_1 = 2: the printed "
            "filtered x by the sign of x^T←x); loss -> 0",
            (symbolic("derivation-E2", derive_corollary4),
             trials("limit-random", PRINTED, sampler=sampler, count=112),
             trials("limit-degenerate-cases", PRINTED, sampler=degenerate_sampler, count=64),
             search("search-limit", PRINTED, evaluations=4000, dims=_SEARCH_DIMS),
             trials("engine-flows", thm3.FLOW, sampler=thm3.arch_sampler(FLOW_CONFIGS),
                    count=32)),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:taps-sign",
            "planted: filter taps of the wrong sign (2yx - y←x - y→x when x^T←x > 0)",
            (trials("limit-random", WRONG_TAPS, sampler=sampler, count=112),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:beta-yx",
            "planted: beta_conv -> y x also for k_1 = 2",
            (trials("limit-random", BETA_YX, sampler=sampler, count=112),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:no-conditions",
            "planted: the conditions on the initial directions dropped (exact instances with "
            "c = 0 for k_1 = 1 and c_+ = 0 for k_1 = 2)",
            (trials("limit-without-conditions", NO_CONDITION_LIMIT,
                    sampler=no_condition_sampler, count=8),),
            expected=Verdict.REFUTED,
        ),
    ),
)
