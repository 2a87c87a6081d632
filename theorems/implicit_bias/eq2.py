r"""BIAS-Eq2: the tensor formulation (2)-(6) of "A Unifying View on Implicit Bias in Training
Linear Neural Networks", §3 (App B for M_fc).

As printed (§3; excerpts)::

    H_1(x) = phi(M(x) ∘ (v_1, I_{k_2}, ..., I_{k_L})), H_l(x) = phi(H_{l-1}(x) ∘ (v_l, I, ..., I)),
    f(x; Theta) = H_{L-1}(x) ∘ v_L.                                                    (2)
    ... We can set v_l = w_l for all l, and M = M_diag to verify that (2) and (3) are
    equivalent. ... Setting v_l = w_l and M = M_conv, one can verify that (2) and (4) are
    identical. ... By defining ... v_l = vec(W_l) ... and using the tensor M(x) = M_fc(x), we can
    show the equivalence of (2) and (5).  ...  f(x; Theta) = M(x) ∘ (v_1, v_2, ..., v_L).  (6)

Finding. With a general activation ``phi`` (as printed, (2)-(5) all carry ``phi``), (2) equals
(4) for every ``phi``, but (2) equals (3) and (5) only when ``phi(0) = 0`` or ``L = 2``: for
``L >= 3`` the zero entries of ``M_diag(x) ∘ (v_1, I, ..., I)`` (resp. the zero off-diagonal
blocks of ``M_fc``) become ``phi(0)`` and enter the next layer. E.g. diagonal, L = 3, d = 2,
``phi(t) = 1 + t``, all weights and inputs 1: (3) gives 6, (2) gives 8. ``as-printed``:
refuted (exact). ``corrected``: the equivalences under ``phi(0) = 0`` (ReLU, tanh, leaky ReLU,
the identity ...): certified by sympy for an undefined ``phi`` and exactly on polynomial
activations; the linear case (6), the one the paper uses, holds for every architecture.

Checks: sympy derivations on explicit small sizes (diagonal d = 2, 3; conv with filter sizes
(2, 3), (1, 3), (2, 2, 3), (3, 1, 3); fc widths (2, 2), (2, 3), (2, 2, 2), (2, 1, 3)): the data
tensors as printed (entry formulas; App B recursion) equal the engine's
(:func:`verify.core.tensor_networks.basis_tensor`); (2) with an undefined ``phi`` against (3),
(4), (5); (6) with ``phi = id`` against the networks and ``x^T beta``. Numeric trials on
batches with polynomial activations ``phi(t) = c0 + c1 t + c2 t^2``, re-checked exactly with
rationals; a search over all sizes (d <= 4, L <= 3) including ``d = 1`` and filter size 1.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from theorems.implicit_bias.asm1 import printed_m
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

EXCERPTS = (
    r"We can set  $\mathbf{v}_l = \mathbf{w}_l$  for all  $l$ , and  $\mathbf{M} = "
    r"\mathbf{M}_{\text{diag}}$  to verify that (2) and (3) are equivalent.",
    r"Setting  $\mathbf{v}_l = \mathbf{w}_l$  and  $\mathbf{M} = \mathbf{M}_{\text{conv}}$ , one "
    r"can verify that (2) and (4) are identical.",
    r"By defining the parameters of the tensor formulation  $\mathbf{v}_l = "
    r"\text{vec}(\mathbf{W}_l)$  for  $l \in [L - 1]$  and  $\mathbf{v}_L = \mathbf{w}_L$ , and "
    r"using the tensor  $\mathbf{M}(\mathbf{x}) = \mathbf{M}_{\text{fc}}(\mathbf{x})$ , we can "
    r"show the equivalence of (2) and (5).",
    r"$$f(\mathbf{x}; \Theta) = \mathbf{M}(\mathbf{x}) \circ (\mathbf{v}_1, \mathbf{v}_2, \dots, "
    r"\mathbf{v}_L). \quad (6)$$",
)
STATEMENT = "\n\n[...]\n\n".join(EXCERPTS)

ARCHS = ("diagonal", "conv", "fc")
TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12)
Activation = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------- architectures


def layout(arch: int, L: int, d: int, a: int, b: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(sizes k_1..k_L, fc widths) of an instance; ``a, b`` are the conv filter sizes k_1, k_2
    or the fc widths d_2, d_3 (unused entries must be 1)."""
    if arch == 0:
        return (d,) * L, ()
    if arch == 1:
        return ((a, d) if L == 2 else (a, b, d)), ()
    widths = (d, a) if L == 2 else (d, a, b)
    return (*(widths[l] * widths[l + 1] for l in range(L - 1)), widths[-1]), widths


def dims_ok(dims: Mapping[str, int]) -> bool:
    arch, L, d, a, b = (dims[k] for k in ("arch", "L", "d", "a", "b"))
    if arch == 0 and (a, b) != (1, 1):
        return False
    if arch == 1 and (a > d or b > d):
        return False
    if L == 2 and b != 1:
        return False
    return dims["p"] == sum(layout(arch, L, d, a, b)[0])


def network(arch: int, L: int, d: int, a: int, b: int) -> tn.TensorNetwork:
    sizes, widths = layout(arch, L, d, a, b)
    if arch == 0:
        return tn.diagonal(d, L)
    if arch == 1:
        return tn.conv(d, sizes)
    return tn.fully_connected(widths)


def split(theta: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    """``Theta = (v_1, ..., v_L)`` from the concatenation ``theta`` (B, p)."""
    cuts = np.cumsum((0, *sizes))
    return [theta[:, cuts[l]: cuts[l + 1]] for l in range(len(sizes))]


# --------------------------------------------------------------------------- the two sides


def direct(arch: int, d: int, widths: Sequence[int], params: Sequence[np.ndarray],
           x: np.ndarray, phi: Activation) -> np.ndarray:
    """The networks as defined in (3), (4), (5), batched over the leading axis (any dtype)."""
    h = x
    for w in params[:-1]:
        if arch == 0:
            h = phi(h * w)
        elif arch == 1:
            k = w.shape[1]
            gather = (np.arange(d)[:, None] + np.arange(k)[None, :]) % d
            h = phi(np.einsum("bij,bj->bi", h[:, gather], w))
        else:
            rows = h.shape[1]
            W = w.reshape(w.shape[0], -1, rows).transpose(0, 2, 1)  # vec(W) stacks columns
            h = phi(np.einsum("bi,bij->bj", h, W))
    return np.einsum("bi,bi->b", h, params[-1])


def tensor_form(M: np.ndarray, params: Sequence[np.ndarray], phi: Activation) -> np.ndarray:
    """Eq. (2): ``H_l = phi(H_{l-1} ∘ (v_l, I, ..., I))``, ``f = H_{L-1} ∘ v_L`` (batched M)."""
    H = M
    for v in params[:-1]:
        H = phi(np.einsum("bi...,bi->b...", H, v))
    return np.einsum("bi,bi->b", H, params[-1])


def polynomial(c0: Any, c1: Any, c2: Any) -> Activation:
    """``phi(t) = c0 + c1 t + c2 t^2`` with coefficients per trial (arrays (B,)) or scalars."""

    def phi(t: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (t.ndim - 1)
        k0, k1, k2 = (np.asarray(c).reshape(shape) if np.ndim(c) else c for c in (c0, c1, c2))
        return k0 + k1 * t + k2 * t * t

    return phi


# --------------------------------------------------------------------------- data tensors


def engine_tensor(net: tn.TensorNetwork, x: np.ndarray, reading: str) -> np.ndarray:
    """``M(x)`` (B, k_1..k_L) from the engine; ``reading`` plants a mutant: ``conv-shift``
    uses ``x_{(sum j_l - L) mod d}`` (index off by one), any dtype for x."""
    basis = tn.basis_tensor(net)
    if x.dtype == object:
        basis = basis.astype(int).astype(object)
    if reading == "conv-shift" and net.kind == "conv":
        x = np.roll(x, 1, axis=-1)
    return np.tensordot(x, basis, axes=([-1], [0]))


def _params(inst: Mapping[str, Any], reading: str) -> tuple[tn.TensorNetwork, list[np.ndarray]]:
    net = network(inst["arch"], inst["L"], inst["d"], inst["a"], inst["b"])
    theta = np.asarray(inst["theta"])
    params = split(theta, net.sizes)
    if reading == "fc-row-major" and net.kind == "fc":
        w = net.widths
        params = [v.reshape(v.shape[0], w[l], w[l + 1]).transpose(0, 2, 1).reshape(
            v.shape[0], -1) for l, v in enumerate(params[:-1])] + [params[-1]]
    return net, params


def _sides(inst: Mapping[str, Any], reading: str, linear: bool) -> tuple[np.ndarray, ...]:
    """(direct network, tensor form (2)[, (6) and x^T beta when ``linear``])."""
    net, params = _params(inst, reading)
    x = np.asarray(inst["x"])
    phi = (lambda t: t) if linear else polynomial(inst.get("c0", 0), inst["c1"], inst["c2"])
    theta_direct = split(np.asarray(inst["theta"]), net.sizes)
    f_direct = direct(inst["arch"], inst["d"], net.widths[:-1] or (), theta_direct, x, phi)
    M = engine_tensor(net, x, reading)
    f_tensor = tensor_form(M, params, phi)
    if not linear:
        return f_direct, f_tensor
    L = net.depth
    letters = "ijklmn"[:L]
    f6 = np.einsum("b" + letters + "," + ",".join("b" + c for c in letters) + "->b", M, *params)
    if x.dtype == object:
        beta = np.einsum("z" + letters + "," + ",".join("b" + c for c in letters) + "->bz",
                         tn.basis_tensor(net).astype(int).astype(object), *params)
    else:
        beta = tn.beta(net, params)
    return f_direct, f_tensor, f6, np.einsum("bz,bz->b", x, beta)


def _margin(reading: str, linear: bool) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        sides = _sides(batch, reading, linear)
        excess = np.max([np.abs(s - sides[0]) for s in sides[1:]], axis=0)
        scale = np.maximum(np.max([np.abs(s) for s in sides], axis=0), 1.0)
        return excess, scale

    return margin


def _margin_hp(reading: str, linear: bool) -> Callable[[Instance, int], tuple[Any, Any]]:
    def margin_hp(inst: Instance, digits: int) -> tuple[Any, Any]:
        batched = {k: (v[None] if isinstance(v, np.ndarray) else v) for k, v in inst.items()}
        sides = [s[0] for s in _sides(batched, reading, linear)]
        excess = max(abs(s - sides[0]) for s in sides[1:])
        return excess, max([abs(s) for s in sides] + [Fraction(1)])

    return margin_hp


def domain(activation: str) -> Domain:
    """Instances: architecture, depth, sizes, Theta, x and (for ``activation != 'linear'``) the
    coefficients of ``phi``; ``'general'`` has ``c0 = phi(0)`` free, ``'vanishing'`` ``c0 = 0``."""
    variables: list[Any] = [Integer("arch", 0, 2), Integer("L", 2, 3), Integer("d", 1, 4),
                            Integer("a", 1, 4), Integer("b", 1, 4), Integer("p", 1, 36),
                            Vector("theta", "p"), Vector("x", "d")]
    if activation == "general":
        variables.append(Real("c0", -1, 1))
    if activation != "linear":
        variables += [Real("c1", -1, 1), Real("c2", -1, 1)]
    return Domain(tuple(variables), dims_ok=dims_ok)


@functools.cache
def prop(activation: str, reading: str = "printed") -> Property:
    linear = activation == "linear"
    return Property(domain(activation), _margin(reading, linear), _margin_hp(reading, linear),
                    TOLERANCE, rigorous=True,
                    description=f"|(2) - (3)/(4)/(5)| ({activation} activation"
                                + ("; also (6) and x^T beta)" if linear else ")")
                                + ("" if reading == "printed" else f", planted {reading}"))


# --------------------------------------------------------------------------- symbolic

SYMBOLIC_CASES = ((0, 2, 2, 1, 1), (0, 3, 2, 1, 1), (0, 3, 3, 1, 1), (1, 2, 3, 2, 1),
                  (1, 2, 3, 1, 1), (1, 3, 3, 2, 2), (1, 3, 3, 3, 1), (2, 2, 2, 2, 1),
                  (2, 2, 2, 3, 1), (2, 3, 2, 2, 2), (2, 3, 2, 1, 3))
"""(arch, L, d, a, b) of the sympy derivations."""


def printed_fc_tensor(x: Sequence[Any], widths: Sequence[int]) -> np.ndarray:
    """App B: ``T_1 = x``; ``[T_l]_{..., d_{l-1}(j-1)+1 : d_{l-1} j, j} = T_{l-1}``, else 0."""
    T = np.array(x, dtype=object)
    for l in range(1, len(widths)):
        prev, cur = widths[l - 1], widths[l]
        new = np.full((*T.shape[:-1], prev * cur, cur), sympy.Integer(0), dtype=object)
        for j in range(cur):
            new[..., prev * j: prev * (j + 1), j] = T
        T = new
    return T


def printed_tensor(arch: int, x: Sequence[Any], sizes: Sequence[int],
                   widths: Sequence[int]) -> np.ndarray:
    """``M_diag``, ``M_conv`` (§3 entry formulas) or ``M_fc`` (App B) for symbolic x."""
    if arch == 2:
        return printed_fc_tensor(x, widths)
    out = np.empty(tuple(sizes), dtype=object)
    for idx in itertools.product(*(range(k) for k in sizes)):
        out[idx] = printed_m(ARCHS[arch], len(x), x, idx)
    return out


def case_symbols(arch: int, L: int, d: int, a: int, b: int) -> tuple[Any, ...]:
    sizes, widths = layout(arch, L, d, a, b)
    x = sympy.symbols(f"x1:{d + 1}")
    theta = sympy.symbols(f"t1:{sum(sizes) + 1}")
    params = split(np.array([theta], dtype=object), sizes)
    return sizes, widths, x, params


def _drop_phi0(expr: sympy.Expr, phi: sympy.FunctionClass) -> sympy.Expr:
    """Impose ``phi(0) = 0`` (repeatedly: ``phi(0 * w)`` becomes ``phi(0)`` again)."""
    while True:
        new = expr.replace(lambda e: isinstance(e, phi) and e.args[0] == 0, lambda e: 0)
        if new == expr:
            return expr
        expr = new


def derive_data_tensors() -> SymbolicOutcome:
    """The printed data tensors equal the engine's ``M(x)`` entrywise (symbolic x)."""
    for arch, L, d, a, b in SYMBOLIC_CASES:
        sizes, widths, x, _ = case_symbols(arch, L, d, a, b)
        net = network(arch, L, d, a, b)
        engine = np.tensordot(np.array(x, dtype=object),
                              tn.basis_tensor(net).astype(int).astype(object), axes=([0], [0]))
        printed = printed_tensor(arch, x, sizes, widths)
        if engine.shape != printed.shape or any(
                sympy.expand(e - q) != 0 for e, q in zip(engine.ravel(), printed.ravel(),
                                                         strict=True)):
            return SymbolicOutcome(False, f"{ARCHS[arch]} {sizes}: engine M(x) differs")
    return SymbolicOutcome(True, "M_diag, M_conv (§3 entry formulas) and M_fc (App B "
                                 "recursion) equal the engine's data tensors on "
                                 f"{len(SYMBOLIC_CASES)} size configurations")


def _mismatches(vanishing: bool) -> list[tuple[int, ...]]:
    phi = sympy.Function("phi")
    bad = []
    for case in SYMBOLIC_CASES:
        arch, d = case[0], case[2]
        sizes, widths, x, params = case_symbols(*case)
        act = np.vectorize(phi, otypes=[object])
        M = printed_tensor(arch, x, sizes, widths)[None]
        gap = (tensor_form(M, params, act) - direct(arch, d, widths[:-1], params,
                                                    np.array([x], dtype=object), act))[0]
        if vanishing:
            gap = _drop_phi0(gap, phi)
        if sympy.expand(gap) != 0:
            bad.append(case)
    return bad


COUNTEREXAMPLE = {"arch": 0, "L": 3, "d": 2, "a": 1, "b": 1, "p": 6,
                  "theta": np.array([Fraction(1)] * 6, dtype=object),
                  "x": np.array([Fraction(1)] * 2, dtype=object),
                  "c0": Fraction(1), "c1": Fraction(1), "c2": Fraction(0)}
"""Diagonal, L = 3, d = 2, phi(t) = 1 + t, all ones: (3) gives 6, (2) gives 8."""


def derive_general_activation() -> SymbolicOutcome:
    """(2) against (3), (4), (5) with an undefined activation ``phi`` (as printed)."""
    bad = _mismatches(vanishing=False)
    where = ", ".join(f"{ARCHS[c[0]]} L={c[1]} sizes={layout(*c)[0]}" for c in bad)
    return SymbolicOutcome(not bad, f"(2) - (3)/(4)/(5) with undefined phi is nonzero for: "
                                    f"{where or 'none'}; the difference consists of phi(0) "
                                    "terms (zero entries of M(x) ∘ (v_1, I, ...) pass through "
                                    "phi); counterexample: diagonal, L=3, d=2, phi(t) = 1 + t, "
                                    "all ones",
                           counterexample=dict(COUNTEREXAMPLE) if bad else None)


def derive_vanishing_activation() -> SymbolicOutcome:
    """The same with ``phi(0) = 0`` imposed: every difference vanishes."""
    bad = _mismatches(vanishing=True)
    return SymbolicOutcome(not bad, "with phi(0) = 0, (2) equals (3), (4), (5) identically on "
                                    f"{len(SYMBOLIC_CASES)} size configurations"
                                    + (f"; fails for {bad}" if bad else ""))


def derive_linear() -> SymbolicOutcome:
    """Eq. (6): with ``phi = id``, (2), ``M(x) ∘ (v_1, ..., v_L)`` and (3)/(4)/(5) agree as
    polynomials (and f is linear in x: ``f(x) = x^T beta`` with ``beta_j = f(e_j)``)."""
    for case in SYMBOLIC_CASES:
        arch, L, d = case[:3]
        sizes, widths, x, params = case_symbols(*case)
        M = printed_tensor(arch, x, sizes, widths)[None]
        ident = np.vectorize(lambda t: t, otypes=[object])
        f2 = tensor_form(M, params, ident)[0]
        letters = "ijklmn"[:L]
        f6 = np.einsum("b" + letters + "," + ",".join("b" + c for c in letters) + "->b",
                       M, *params)[0]
        fd = direct(arch, d, widths[:-1], params, np.array([x], dtype=object), ident)[0]
        beta = [fd.subs({xi: int(i == j) for i, xi in enumerate(x)}) for j in range(d)]
        linear = sum(xj * bj for xj, bj in zip(x, beta, strict=True))
        if any(sympy.expand(e - fd) != 0 for e in (f2, f6, linear)):
            return SymbolicOutcome(False, f"(6) fails for {ARCHS[arch]} sizes {sizes}")
    return SymbolicOutcome(True, "phi = id: (2) = M(x) ∘ (v_1..v_L) = (3)/(4)/(5) = x^T beta as "
                                 f"polynomials on {len(SYMBOLIC_CASES)} size configurations")


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-Eq2",
    paper=BIAS,
    location="§3 eqs. (2)-(6); App B (M_fc)",
    statement=STATEMENT,
    notes=("(2)-(5) are printed with a general activation phi. vec(W) stacks columns "
           "(notation, §2); the paper's mod maps into [d]. Conv filters: k_l <= d, k_L = d. "
           "Sizes: d <= 4, L <= 3, filter sizes / fc widths <= 4."),
    variants=(
        Variant(
            "as-printed",
            "(2) equals (3), (4), (5) for the activation phi of (2)-(5) (unrestricted), and (6)",
            (
                symbolic("data-tensors", derive_data_tensors),
                symbolic("general-activation", derive_general_activation,
                         replay=prop("general").margin_hp),
                symbolic("linear-eq6", derive_linear),
                trials("polynomial-activation", prop("general"), count=256),
                search("search", prop("general")),
            ),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "corrected",
            "adds phi(0) = 0 (true for ReLU, tanh, leaky ReLU, the identity): needed for (3) and "
            "(5) when L >= 3, since the zero entries of M_diag(x) ∘ (v_1, I, ..) and the zero "
            "blocks of M_fc otherwise become phi(0); (4) and (6) need nothing",
            (
                symbolic("data-tensors", derive_data_tensors),
                symbolic("vanishing-activation", derive_vanishing_activation),
                symbolic("linear-eq6", derive_linear),
                trials("polynomial-activation", prop("vanishing"), count=256),
                trials("linear-eq6", prop("linear"), count=256),
                search("search", prop("vanishing")),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:conv-shift",
            "planted: [M_conv(x)]_{j_1..j_L} = [x]_{(sum j_l - L) mod d} (index off by one)",
            (trials("linear-eq6", prop("linear", "conv-shift"), count=256),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:fc-row-major",
            "planted: v_l = vec(W_l^T) (rows stacked instead of columns) for M_fc",
            (search("search", prop("linear", "fc-row-major")),),
            expected=Verdict.REFUTED,
        ),
    ),
)
