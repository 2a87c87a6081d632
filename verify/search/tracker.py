"""Batched float evaluation of a property, keeping the best candidates and the violators.

The quantity every stage maximises is the signed relative margin
``relative_margin(excess, scale)``; instances that fail the hypotheses, are not finite or
give ``nan`` count as ``-inf``. A *float violator* is an admissible instance whose excess is
above the tolerance allowance in float64; only the high-precision re-check (in the engine)
turns one into a counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verify.domain import Batch, Instance, Property, batch_size
from verify.verdicts import relative_margin

PENALTY = 1e12
"""Objective value (to minimise) of inadmissible points, finite so optimisers stay sane."""

STOP_FACTOR = 10.0
"""A violation is *clearly positive* when its excess is this many allowances (or more)."""

DimsKey = tuple[tuple[str, int], ...]


def dims_of(batch: Batch | Instance) -> dict[str, int]:
    """The integer parameters of a batch or instance."""
    return {k: int(v) for k, v in batch.items()
            if isinstance(v, (int, np.integer)) and not isinstance(v, bool)}


def dims_key(dims: dict[str, int]) -> DimsKey:
    return tuple(sorted(dims.items()))


@dataclass
class Candidate:
    """One evaluated instance: its float margin, how it was found and how simple it is."""

    margin: float
    excess: float
    scale: float
    instance: Instance
    stage: str
    complexity: int
    key: bytes

    @property
    def dims(self) -> dict[str, int]:
        return dims_of(self.instance)


def _row_values(batch: Batch, names: list[str], n: int) -> np.ndarray:
    parts = [np.asarray(batch[k], dtype=float).reshape(n, -1) for k in names]
    return np.concatenate(parts, axis=1) if parts else np.zeros((n, 0))


def _complexity(values: np.ndarray) -> np.ndarray:
    """Per row: entries that are not multiples of 1/64 up to 64, plus a tenth per non-zero."""
    scaled = values * 64.0
    simple = (scaled == np.round(scaled)) & (np.abs(values) <= 64)
    return 10 * np.sum(~simple, axis=1) + np.sum(values != 0, axis=1)


def _rank_key(c: Candidate) -> tuple[float, int]:
    """Violators: largest margin first (to two significant digits), then the simplest."""
    m = c.margin
    rounded = float(f"{m:.2g}") if np.isfinite(m) else m
    return (-rounded, c.complexity)


@dataclass
class Tracker:
    """Counts evaluations and keeps the best candidates (per dims) and the float violators."""

    keep: int = 16
    best: dict[DimsKey, list[Candidate]] = field(default_factory=dict)
    violators: list[Candidate] = field(default_factory=list)
    evaluations: int = 0
    float_violations: int = 0
    violator_keys: set[bytes] = field(default_factory=set)
    stage_evaluations: dict[str, int] = field(default_factory=dict)
    clear: bool = False

    def evaluate(self, prop: Property, batch: Batch, stage: str) -> np.ndarray:
        """Margins (B,) of a batch (``-inf`` where inadmissible); updates the records."""
        n = batch_size(batch)
        self.evaluations += n
        self.stage_evaluations[stage] = self.stage_evaluations.get(stage, 0) + n
        names = [v.name for v in prop.domain.continuous]
        values = _row_values(batch, names, n)
        margins = np.full(n, -np.inf)
        excess = np.full(n, np.nan)
        scale = np.full(n, np.nan)
        rows = np.flatnonzero(np.all(np.isfinite(values), axis=1))
        if rows.size:
            sub = batch if rows.size == n else {
                k: (v[rows] if isinstance(v, np.ndarray) and v.ndim >= 1 else v)
                for k, v in batch.items()}
            e, s, ok = _margin(prop, sub, rows.size)
            with np.errstate(all="ignore"):
                m = relative_margin(e, s)
            ok &= ~np.isnan(m)
            margins[rows[ok]] = m[ok]
            excess[rows], scale[rows] = e, s
        with np.errstate(invalid="ignore"):
            violated = (margins > -np.inf) & prop.tolerance.violated(
                np.nan_to_num(excess, nan=-np.inf, posinf=np.inf), scale)
        self._record(prop, batch, values, margins, excess, scale, violated, stage)
        return margins

    def _record(self, prop: Property, batch: Batch, values: np.ndarray, margins: np.ndarray,
                excess: np.ndarray, scale: np.ndarray, violated: np.ndarray,
                stage: str) -> None:
        key = dims_key(dims_of(batch))
        top = np.argsort(-margins, kind="stable")[: self.keep]
        top = top[margins[top] > -np.inf]
        viol = np.flatnonzero(violated)
        self.float_violations += int(viol.size)
        self.violator_keys.update(values[i].tobytes() for i in viol)
        if viol.size > 4 * self.keep:
            viol = viol[np.argsort(-margins[viol], kind="stable")[: 4 * self.keep]]
        complexity = _complexity(values)

        def make(i: int) -> Candidate:
            inst = {k: (np.array(v[i]) if isinstance(v, np.ndarray) and v.ndim >= 1 else v)
                    for k, v in batch.items()}
            for k, v in inst.items():
                if isinstance(v, np.ndarray) and v.ndim == 0:
                    inst[k] = float(v)
            return Candidate(float(margins[i]), float(excess[i]), float(scale[i]), inst,
                             stage, int(complexity[i]), values[i].tobytes())

        if top.size:
            self.best[key] = _merge(self.best.get(key, []), [make(int(i)) for i in top],
                                    self.keep, lambda c: -c.margin)
        if viol.size:
            self.violators = _merge(self.violators, [make(int(i)) for i in viol], self.keep,
                                    _rank_key)
            allowance = prop.tolerance.allowance(scale[viol])
            self.clear |= bool(np.any(excess[viol] >= STOP_FACTOR * allowance))

    def merge(self, other: Tracker) -> None:
        """Fold another tracker's records into this one (deterministic order)."""
        self.evaluations += other.evaluations
        self.float_violations += other.float_violations
        self.violator_keys |= other.violator_keys
        for stage, count in other.stage_evaluations.items():
            self.stage_evaluations[stage] = self.stage_evaluations.get(stage, 0) + count
        for key, cands in other.best.items():
            self.best[key] = _merge(self.best.get(key, []), cands, self.keep, lambda c: -c.margin)
        self.violators = _merge(self.violators, other.violators, self.keep, _rank_key)
        self.clear |= other.clear

    def overall_best(self) -> Candidate | None:
        """The candidate with the largest margin over every dims (first found on ties)."""
        tops = [cands[0] for cands in self.best.values() if cands]
        return max(tops, key=lambda c: c.margin) if tops else None


def _merge(old: list[Candidate], new: list[Candidate], keep: int, key: Any) -> list[Candidate]:
    seen: set[bytes] = set()
    out = []
    for c in sorted(old + new, key=key):
        if c.key not in seen:
            seen.add(c.key)
            out.append(c)
    return out[:keep]


def _margin(prop: Property, batch: Batch, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(excess, scale, admissible) of a batch of finite instances; a numerical failure of the
    margin (e.g. an SVD that does not converge) marks the whole batch inadmissible."""
    try:
        with np.errstate(all="ignore"):
            excess, scale = prop.margin(batch)
            ok = prop.domain.admissible(batch)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError, ZeroDivisionError):
        return np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=bool)
    excess = np.broadcast_to(np.asarray(excess, dtype=float), (n,)).copy()
    scale = np.broadcast_to(np.asarray(scale, dtype=float), (n,)).copy()
    return excess, scale, np.broadcast_to(np.asarray(ok, dtype=bool), (n,)).copy()
