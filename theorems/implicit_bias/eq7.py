r"""BIAS-Eq7: gradient-flow dynamics of a linear tensor network and the residual vector, §3 of
"A Unifying View on Implicit Bias in Training Linear Neural Networks".

As printed (§3)::

    v_l' = -grad_{v_l} L(Theta) = -sum_i l'(f(x_i; Theta), y_i) M(x_i) ∘ (v_1, .., I_{k_l}, .., v_L)
         = M(-X^T r) ∘ (v_1, ..., v_{l-1}, I_{k_l}, v_{l+1}, ..., v_L),   for all l in [L],
    [r]_i = l'(f(x_i; Theta), y_i) = -y_i exp(-y_i f(x_i; Theta))  (classification),
                                     f(x_i; Theta) - y_i              (regression).   (7)

with ``L(Theta) = sum_i l(f(x_i; Theta), y_i)``, ``l = exp(-y_hat y)`` or ``(y_hat - y)^2 / 2``
(§2.1). Verdict ``as-printed``: supported (the regression identity is certified exactly, the
classification one is checked at high precision, the symbolic derivation is exact for both).

Checks: sympy differentiates the loss of the networks as defined in (3), (4), (5) (linear
activation) entrywise in every parameter, for explicit small sizes and n = 2 data points, and
compares with the printed right-hand side built from the printed data tensors and residual.
Numeric trials (diagonal, conv and fc networks, d <= 4, L <= 3, n <= 3): the printed field
against the engine's gradients (:func:`verify.core.tensor_networks.value_and_gradients`),
re-checked at high precision against derivatives of the loss taken from the network
definitions alone (regression: exact central differences, exact because f is affine in each
single parameter; classification: mpmath differentiation); a search over all sizes; and the
field is checked along engine gradient-flow trajectories (:func:`verify.core.flow.
tensor_gradient_flow`), where the residual shrinks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy

from theorems.implicit_bias import eq2
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import flow
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Matrix, Property, Vector
from verify.verdicts import Tolerance, Verdict

EXCERPTS = (
    r"For our linear tensor network, the evolution of parameters  $\mathbf{v}_l$  under gradient "
    r"flow dynamics reads",
    r"$$\dot{\mathbf{v}}_l = -\nabla_{\mathbf{v}_l} \mathcal{L}(\Theta) = -\sum_{i=1}^n "
    r"\ell'(f(\mathbf{x}_i; \Theta), y_i) \mathbf{M}(\mathbf{x}_i) \circ (\mathbf{v}_1, \dots, "
    r"\mathbf{v}_{l-1}, \mathbf{I}_{k_l}, \mathbf{v}_{l+1}, \dots, \mathbf{v}_L)$$",
    r"$$= \mathbf{M}(-\mathbf{X}^T \mathbf{r}) \circ (\mathbf{v}_1, \dots, \mathbf{v}_{l-1}, "
    r"\mathbf{I}_{k_l}, \mathbf{v}_{l+1}, \dots, \mathbf{v}_L), \quad \forall l \in [L],$$",
    r"$$[\mathbf{r}]_i = \ell'(f(\mathbf{x}_i; \Theta), y_i) = \begin{cases} -y_i \exp(-y_i "
    r"f(\mathbf{x}_i; \Theta)) & \text{for classification,} \\ f(\mathbf{x}_i; \Theta) - y_i & "
    r"\text{for regression.} \end{cases} \quad (7)$$",
)
STATEMENT = "\n\n[...]\n\n".join(EXCERPTS)

TASKS = ("regression", "classification")
TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)
READINGS = ("printed", "residual-sign", "missing-minus")
"""The printed field and two planted mutants: ``r_i = +y_i exp(-y_i f)`` for classification,
and ``M(X^T r)`` instead of ``M(-X^T r)``."""


# --------------------------------------------------------------------------- the printed field


def residual(task: int, f: Any, y: Any, reading: str, exp: Callable[[Any], Any]) -> Any:
    """``[r]_i`` of (7) (``reading = 'residual-sign'`` flips the classification sign)."""
    if task == 0:
        return f - y
    sign = 1 if reading == "residual-sign" else -1
    return sign * y * exp(-y * f)


def contract_except(T: np.ndarray, params: Sequence[np.ndarray], skip: int) -> np.ndarray:
    """``T ∘ (v_1, ..., I_{k_skip}, ..., v_L)`` for batched T (B, k_1..k_L), any dtype."""
    letters = "ijklmn"[: len(params)]
    subs = ["b" + letters] + ["b" + c for l, c in enumerate(letters) if l != skip]
    ops = [p for l, p in enumerate(params) if l != skip]
    return np.einsum(",".join(subs) + "->b" + letters[skip], T, *ops)


def printed_field(net: tn.TensorNetwork, params: Sequence[np.ndarray], X: np.ndarray,
                  y: np.ndarray, task: int, reading: str,
                  exp: Callable[[Any], Any] = np.exp) -> list[np.ndarray]:
    """The printed right-hand side ``M(-X^T r) ∘ (v_1, .., I_{k_l}, .., v_L)`` for every l."""
    if X.dtype == object:
        beta = np.einsum("z" + "ijklmn"[: net.depth] + ","
                         + ",".join("b" + c for c in "ijklmn"[: net.depth]) + "->bz",
                         tn.basis_tensor(net).astype(int).astype(object), *params)
    else:
        beta = tn.beta(net, params)
    f = np.einsum("bnz,bz->bn", X, beta)
    r = residual(task, f, y, reading, exp)
    u = np.einsum("bn,bnz->bz", r, X)
    u = u if reading == "missing-minus" else -u
    Mu = eq2.engine_tensor(net, u, "printed")
    return [contract_except(Mu, params, l) for l in range(net.depth)]


def engine_loss(task: int, X: np.ndarray, y: np.ndarray) -> Any:
    return tn.regression_loss(X, y) if task == 0 else tn.classification_loss(X, y)


# --------------------------------------------------------------------------- margins


def _unpack(inst: Mapping[str, Any]) -> tuple[tn.TensorNetwork, list[np.ndarray]]:
    net = eq2.network(inst["arch"], inst["L"], inst["d"], inst["a"], inst["b"])
    return net, eq2.split(np.asarray(inst["theta"]), net.sizes)


def _margin(reading: str) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        net, params = _unpack(batch)
        X, y, task = batch["X"], batch["y"], batch["task"]
        field = np.concatenate(printed_field(net, params, X, y, task, reading), axis=1)
        grads = np.concatenate(tn.gradients(net, params, engine_loss(task, X, y)), axis=1)
        excess = np.abs(field + grads).max(axis=1)
        return excess, np.maximum(np.abs(grads).max(axis=1), 1.0)

    return margin


def loss_from_definitions(inst: Mapping[str, Any], theta: np.ndarray,
                          exp: Callable[[Any], Any]) -> Any:
    """``L(Theta) = sum_i l(f(x_i; Theta), y_i)`` with f from (3)/(4)/(5) (linear activation)."""
    net = eq2.network(inst["arch"], inst["L"], inst["d"], inst["a"], inst["b"])
    params = eq2.split(theta[None], net.sizes)
    total: Any = 0
    for x, y in zip(inst["X"], inst["y"], strict=True):
        f = eq2.direct(inst["arch"], inst["d"], net.widths, params, x[None],
                       lambda t: t)[0]
        total += (f - y) * (f - y) / 2 if inst["task"] == 0 else exp(-y * f)
    return total


def _mpf(value: Fraction) -> mpmath.mpf:
    value = Fraction(value)
    return mpmath.mpf(value.numerator) / value.denominator


def gradient_from_definitions(inst: Mapping[str, Any], digits: int) -> list[Any]:
    """``grad L`` from the loss alone: f is affine in each single parameter, so the regression
    loss is quadratic along a coordinate and its central difference with step 1 is exact;
    the classification loss is differentiated by mpmath at ``digits`` digits."""
    theta = np.asarray(inst["theta"], dtype=object)
    out = []
    for k in range(theta.size):
        step = np.zeros(theta.size, dtype=object)
        step[k] = 1
        if inst["task"] == 0:
            out.append((loss_from_definitions(inst, theta + step, np.exp)
                        - loss_from_definitions(inst, theta - step, np.exp)) / 2)
            continue
        with mpmath.workdps(digits + 10):
            mp_theta = np.array([_mpf(t) for t in theta], dtype=object)
            mp_inst = {**inst, "X": np.vectorize(_mpf, otypes=[object])(inst["X"]),
                       "y": [_mpf(v) for v in inst["y"]]}
            out.append(mpmath.diff(lambda h, k=k, mp_theta=mp_theta, mp_inst=mp_inst:
                                   loss_from_definitions(mp_inst, mp_theta + h * np.eye(
                                       theta.size, dtype=object)[k], mpmath.exp), 0))
    return out


def _margin_hp(reading: str) -> Callable[[Instance, int], tuple[Any, Any]]:
    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        net, params = _unpack({**inst, "theta": np.asarray(inst["theta"])[None]})
        grad = gradient_from_definitions(inst, digits)
        with mpmath.workdps(digits + 10):
            if inst["task"] == 0:
                X, y, exp = inst["X"][None], inst["y"][None], np.exp
            else:
                X = np.vectorize(_mpf, otypes=[object])(inst["X"])[None]
                y = np.array([[_mpf(v) for v in inst["y"]]], dtype=object)
                exp = np.vectorize(mpmath.exp, otypes=[object])
            field = np.concatenate(printed_field(net, params, X, y, inst["task"], reading, exp),
                                   axis=1)[0]
            excess = max(abs(a + g) for a, g in zip(field, grad, strict=True))
            scale = max([abs(g) for g in grad] + [1])
            return excess, scale

    return margin_hp


def _repair(batch: Batch) -> Batch:
    if batch["task"] == 1:
        return {**batch, "y": np.where(batch["y"] >= 0, 1.0, -1.0)}
    return batch


def _dims_ok(dims: Mapping[str, int]) -> bool:
    return eq2.dims_ok(dims)


def domain(tasks: tuple[int, ...]) -> Domain:
    return Domain((Integer("task", min(tasks), max(tasks)), Integer("arch", 0, 2),
                   Integer("L", 2, 3), Integer("d", 1, 4), Integer("a", 1, 4),
                   Integer("b", 1, 4), Integer("p", 1, 36), Integer("n", 1, 3),
                   Vector("theta", "p"), Matrix("X", "n", "d"), Vector("y", "n")),
                  repair=_repair, dims_ok=_dims_ok)


@functools.cache
def prop(reading: str = "printed", tasks: tuple[int, ...] = (0, 1)) -> Property:
    rigorous = tasks == (0,)
    return Property(domain(tasks), _margin(reading), _margin_hp(reading), TOLERANCE,
                    rigorous=rigorous,
                    description="max_l |M(-X^T r) ∘ (.., I, ..) + grad_{v_l} L| ("
                                + ", ".join(TASKS[t] for t in tasks) + f"; {reading})")


# --------------------------------------------------------------------------- along trajectories


def flow_sampler(tasks: tuple[int, ...]) -> Callable[[np.random.Generator, int], list[Batch]]:
    """States of engine gradient-flow runs at a random time in [0, 4] (uniform start)."""
    dom = domain(tasks)

    def sample(rng: np.random.Generator, n: int) -> list[Batch]:
        out = []
        for _ in range(min(n, 8)):
            batch = dom.sample(rng, max(n // 8, 1), dom.sample_dims(rng))
            net, params = _unpack(batch)
            run = flow.tensor_gradient_flow(net, params, engine_loss(batch["task"], batch["X"],
                                                                       batch["y"]),
                                            t_end=float(rng.uniform(0, 4)))
            out.append({**batch, "theta": np.concatenate(run.weights, axis=1)})
        return out

    return sample


# --------------------------------------------------------------------------- symbolic

SYMBOLIC_CASES = eq2.SYMBOLIC_CASES


def derive(reading: str) -> Callable[[], SymbolicOutcome]:
    """Entrywise ``-dL/dtheta_k`` (sympy) of the loss of (3)/(4)/(5) against the printed
    ``M(-X^T r) ∘ (.., I_{k_l}, ..)`` (printed data tensors and residual), n = 2, both tasks."""

    def run() -> SymbolicOutcome:
        for task in (0, 1):
            for case in SYMBOLIC_CASES:
                arch, L, d = case[:3]
                sizes, widths, _, params = eq2.case_symbols(*case)
                theta = [s for v in params for s in v[0]]
                X = np.array([sympy.symbols(f"x{i}_1:{d + 1}") for i in range(2)], dtype=object)
                y = sympy.symbols("y1:3")
                ident = np.vectorize(lambda t: t, otypes=[object])
                f = [eq2.direct(arch, d, widths, params, X[i][None], ident)[0] for i in range(2)]
                loss = sum((fi - yi) ** 2 / 2 if task == 0 else sympy.exp(-yi * fi)
                           for fi, yi in zip(f, y, strict=True))
                r = [residual(task, fi, yi, reading, sympy.exp) for fi, yi in zip(f, y,
                                                                                  strict=True)]
                u = [sum(r[i] * X[i][j] for i in range(2)) for j in range(d)]
                u = u if reading == "missing-minus" else [-uj for uj in u]
                M = eq2.printed_tensor(arch, u, sizes, widths)[None]
                field = [e for l in range(L) for e in contract_except(M, params, l)[0]]
                for k, (t, rhs) in enumerate(zip(theta, field, strict=True)):
                    if sympy.simplify(sympy.expand(-sympy.diff(loss, t) - rhs)) != 0:
                        cex = _counterexample(task, case, k)
                        return SymbolicOutcome(False, f"{TASKS[task]}, {eq2.ARCHS[arch]} sizes "
                                                      f"{sizes}: d/dtheta_{k + 1} differs",
                                               counterexample=cex)
        return SymbolicOutcome(True, "-grad L (sympy, entrywise) equals M(-X^T r) ∘ (.., I, ..)"
                                     " with the printed residual, for regression and "
                                     f"classification on {len(SYMBOLIC_CASES)} size "
                                     "configurations (n = 2, symbolic data and parameters)")

    return run


def _counterexample(task: int, case: tuple[int, ...], k: int) -> Instance:
    arch, L, d, a, b = case
    sizes = eq2.layout(*case)[0]
    p = sum(sizes)
    return {"task": task, "arch": arch, "L": L, "d": d, "a": a, "b": b, "p": p, "n": 1,
            "theta": np.array([Fraction(1, j + 2) for j in range(p)], dtype=object),
            "X": np.array([[Fraction(j + 1, 3) for j in range(d)]], dtype=object),
            "y": np.array([Fraction(1)], dtype=object)}


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Eq7",
    paper=BIAS,
    location="§3, gradient-flow equation and residual vector (7); losses §2.1",
    statement=STATEMENT,
    notes=("The initialisation v_l(0) = alpha v_bar_l is a definition (nothing to check). "
           "Architectures as in BIAS-Eq2 (linear activation): diagonal, conv (k_L = d), fc."),
    variants=(
        Variant(
            "as-printed",
            "the gradient-flow field of a linear tensor network is M(-X^T r) ∘ (.., I_{k_l}, ..) "
            "with the residual (7), for regression and classification",
            (
                symbolic("sympy-gradient", derive("printed")),
                trials("regression-exact", prop("printed", (0,)), count=256),
                trials("classification-mpmath", prop("printed", (1,)), count=128),
                trials("along-gradient-flow", prop("printed"), sampler=flow_sampler((0, 1)),
                       count=64),
                search("search", prop("printed")),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:residual-sign",
            "planted: [r]_i = +y_i exp(-y_i f(x_i)) for classification",
            (symbolic("sympy-gradient", derive("residual-sign"),
                      replay=prop("residual-sign").margin_hp),
             trials("classification-mpmath", prop("residual-sign", (1,)), count=64)),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:missing-minus",
            "planted: the field is M(X^T r) ∘ (.., I, ..) (sign of X^T r dropped)",
            (search("search", prop("missing-minus", (0,))),),
            expected=Verdict.REFUTED,
        ),
    ),
)
