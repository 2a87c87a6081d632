"""Shrinking a confirmed counterexample toward something a referee can read.

Greedy and exact: every step proposes simpler instances (smaller dimensions, fewer non-zero
entries, integers, simple rationals p/q), screens them with the batched float margin, and
accepts the simplest one whose high-precision re-check is still violated with a margin that
stays well away from the threshold: at least ``KEEP`` times the original margin (capped at
``CAP``) and ``SAFETY`` allowances. Instances are exact (``Fraction`` entries) throughout.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from verify.budget import RunContext
from verify.counterexample import HPEvaluation, evaluate_hp
from verify.domain import Domain, Instance, Matrix, Property, Real, stack, to_exact, to_float
from verify.search.tracker import dims_key, dims_of
from verify.verdicts import relative_margin

KEEP = 0.5
CAP = 0.25
SAFETY = 10.0
TRIES_PER_ROUND = 6
DENOMINATORS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 32, 64, 100, 1000)
ENTRY_DENOMINATORS = (1, 2, 4, 10, 100)


def fraction_cost(value: Fraction) -> int:
    """Description length of a rational: 0 for zero, growing with numerator and denominator."""
    if value == 0:
        return 0
    return 1 + abs(value.numerator).bit_length() + 2 * (value.denominator.bit_length() - 1)


def cost(domain: Domain, instance: Instance) -> tuple[int, int]:
    """(sum of the integer parameters, total entry cost): smaller is simpler."""
    dims = sum(int(instance[v.name]) for v in domain.integers)
    entries = 0
    for var in domain.continuous:
        value = instance[var.name]
        if isinstance(value, np.ndarray):
            entries += sum(fraction_cost(x) for x in value.ravel())
        else:
            entries += fraction_cost(value)
    return dims, entries


def floor_margin(hp: HPEvaluation) -> float:
    """The margin a simplification must keep (see the module docstring)."""
    with mpmath.workdps(hp.digits):
        m0 = float(hp.margin)
        scale = max(float(abs(hp.scale.mid)), 1e-300)
    allowance = hp.tolerance.allowance(scale) / scale
    if not math.isfinite(m0):
        return CAP
    return max(min(KEEP * m0, CAP), min(m0, SAFETY * allowance))


def shrink(prop: Property, instance: Instance, hp: HPEvaluation,
           ctx: RunContext) -> tuple[Instance, HPEvaluation]:
    """Simplify a confirmed counterexample within ``ctx.budget.shrink_evaluations``
    high-precision evaluations; returns the exact instance and its re-check."""
    domain = prop.domain
    current, current_hp = to_exact(instance), hp
    floor = floor_margin(hp)
    budget = ctx.budget.shrink_evaluations
    rejected: set[bytes] = set()
    while budget > 0:
        here = cost(domain, current)
        proposals = {}
        for proposal in _proposals(domain, current):
            key = _key(proposal)
            if key not in rejected and key not in proposals and cost(domain, proposal) < here:
                proposals[key] = proposal
        accepted = False
        for key, proposal in _screen(prop, list(proposals.items()), floor)[:TRIES_PER_ROUND]:
            budget -= 1
            result = safe_evaluate(prop, proposal, ctx.budget.digits)
            if result is not None and result.violated and float(result.margin) >= floor:
                current, current_hp, accepted = proposal, result, True
                break
            rejected.add(key)
            if budget <= 0:
                break
        if not accepted:
            break
    return current, current_hp


def safe_evaluate(prop: Property, instance: Instance, digits: int) -> HPEvaluation | None:
    """High-precision re-check; a failure of ``margin_hp`` on an instance counts as not
    confirmed (None), like an instance outside the hypotheses."""
    try:
        return evaluate_hp(prop.margin_hp, instance, prop.tolerance, digits)
    except (ArithmeticError, ValueError, np.linalg.LinAlgError, mpmath.libmp.NoConvergence):
        return None


def float_margin(prop: Property, instance: Instance) -> float:
    """The float64 margin of one (exact or float) instance, ``-inf`` when inadmissible."""
    batch = stack([to_float(instance)])
    with np.errstate(all="ignore"):
        excess, scale = prop.margin(batch)
        ok = prop.domain.admissible(batch)
        margin = relative_margin(excess, scale)
    margin = np.broadcast_to(margin, (1,))
    return float(margin[0]) if bool(np.asarray(ok).reshape(-1)[0]) else -math.inf


def _screen(prop: Property, proposals: list[tuple[bytes, Instance]],
            floor: float) -> list[tuple[bytes, Instance]]:
    """Proposals in the domain whose float margin clears half the floor, simplest first
    (larger margin first among equally simple ones)."""
    domain = prop.domain
    groups: dict[Any, list[tuple[bytes, Instance]]] = {}
    for key, proposal in proposals:
        if domain.contains(proposal):
            groups.setdefault(dims_key(dims_of(proposal)), []).append((key, proposal))
    kept = []
    for members in groups.values():
        batch = stack([to_float(p) for _, p in members])
        try:
            with np.errstate(all="ignore"):
                excess, scale = prop.margin(batch)
                ok = np.asarray(domain.admissible(batch), dtype=bool)
                margins = np.broadcast_to(relative_margin(excess, scale), ok.shape)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError, ZeroDivisionError):
            continue
        for (key, proposal), good, m in zip(members, ok, margins, strict=True):
            if good and m >= 0.5 * floor:
                kept.append((cost(domain, proposal), -float(m), key, proposal))
    kept.sort(key=lambda item: (item[0], item[1]))
    return [(key, proposal) for _, _, key, proposal in kept]


def _key(instance: Instance) -> bytes:
    parts = []
    for name in sorted(instance):
        value = instance[name]
        flat = value.ravel().tolist() if isinstance(value, np.ndarray) else [value]
        parts.append(f"{name}={flat}")
    return ";".join(parts).encode()


# --------------------------------------------------------------------------- proposals


def _round(value: Fraction, q: int) -> Fraction:
    return Fraction(round(value)) if q == 1 else value.limit_denominator(q)


def _proposals(domain: Domain, instance: Instance) -> Iterator[Instance]:
    yield from _dimension_reductions(domain, instance)
    names = [v.name for v in domain.continuous]
    for q in DENOMINATORS:
        yield _map_values(instance, names, lambda x, q=q: _round(x, q))
    for var in domain.continuous:
        value = instance[var.name]
        if isinstance(var, Real):
            for simple in _simple_reals(var, value):
                yield {**instance, var.name: simple}
            continue
        yield {**instance, var.name: np.vectorize(lambda x: Fraction(0), otypes=[object])(value)}
        for q in DENOMINATORS:
            yield _map_values(instance, [var.name], lambda x, q=q: _round(x, q))
        largest = max((abs(x) for x in value.ravel()), default=Fraction(0))
        if largest not in (0, 1):
            yield _map_values(instance, [var.name], lambda x, m=largest: x / m)
        symmetric = isinstance(var, Matrix) and var.structure in ("symmetric", "psd")
        for index in zip(*np.nonzero(value != 0), strict=True):
            if symmetric and index[0] > index[1]:
                continue
            entry = value[index]
            options = [Fraction(0), Fraction(1 if entry > 0 else -1)]
            options += [_round(entry, q) for q in ENTRY_DENOMINATORS]
            for option in dict.fromkeys(options):
                if option != entry:
                    yield {**instance, var.name: _set(value, index, option, symmetric)}


def _simple_reals(var: Real, value: Fraction) -> Iterator[Fraction]:
    yield from (Fraction(0), Fraction(1), Fraction(-1))
    for q in DENOMINATORS:
        yield _round(value, q)
    if not var.open_low:
        yield Fraction(var.low)
    if not var.open_high:
        yield Fraction(var.high)


def _set(value: np.ndarray, index: tuple[int, ...], entry: Fraction,
         symmetric: bool) -> np.ndarray:
    out = value.copy()
    out[index] = entry
    if symmetric:
        out[index[::-1]] = entry
    return out


def _map_values(instance: Instance, names: list[str], fn) -> Instance:
    out = dict(instance)
    for name in names:
        value = instance[name]
        out[name] = np.vectorize(fn, otypes=[object])(value) if isinstance(value, np.ndarray) \
            else fn(value)
    return out


def _axes(domain: Domain, name: str) -> dict[str, list[int]]:
    """For each continuous variable, the axes whose size is the integer parameter ``name``."""
    out: dict[str, list[int]] = {}
    for var in domain.continuous:
        if isinstance(var, Matrix):
            sizes = (var.rows, var.rows) if var.structure == "psd" else (var.rows, var.cols)
        elif isinstance(var, Real):
            continue
        else:
            sizes = (var.size,)
        axes = [i for i, s in enumerate(sizes) if s == name]
        if axes:
            out[var.name] = axes
    return out


def _dimension_reductions(domain: Domain, instance: Instance) -> Iterator[Instance]:
    """Each integer parameter one smaller, deleting one index along every axis it sizes."""
    for var in domain.integers:
        value = int(instance[var.name])
        if value <= var.low:
            continue
        axes = _axes(domain, var.name)
        indices = range(value) if axes else range(1)
        for index in indices:
            out = {**instance, var.name: value - 1}
            for name, which in axes.items():
                arr = instance[name]
                for axis in which:
                    arr = np.delete(arr, index, axis=axis)
                out[name] = arr
            yield out
