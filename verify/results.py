"""Results of checks, variants and claims, and their JSON form (results.json schema 1)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from verify.verdicts import Tolerance, Verdict


@dataclass(frozen=True)
class Figure:
    """A picture for the report: a title and a self-contained SVG document."""

    title: str
    svg: str


@dataclass
class CheckResult:
    """The outcome of one check of one variant.

    ``margin`` is the worst (largest) signed normalised margin observed in float64, or None
    for a purely symbolic check; ``margin_hp`` the high-precision re-evaluation of the worst
    instance (as text, with its tier). ``trials`` are per-instance records for trials.jsonl.
    """

    kind: str
    name: str
    verdict: Verdict
    details: str
    margin: float | None = None
    margin_hp: str | None = None
    tolerance: Tolerance | None = None
    precision: str = "float64"
    evaluations: int = 0
    trials: list[dict[str, Any]] = field(default_factory=list)
    counterexample: dict[str, Any] | None = None
    near_miss: dict[str, Any] | None = None
    figures: list[Figure] = field(default_factory=list)
    wall_time: float = 0.0
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "verdict": self.verdict.value,
            "details": self.details,
            "margin": _finite_or_none(self.margin),
            "margin_hp": self.margin_hp,
            "tolerance": self.tolerance.to_json() if self.tolerance else None,
            "precision": self.precision,
            "evaluations": self.evaluations,
            "counterexample": self.counterexample,
            "near_miss": self.near_miss,
            "figures": [{"title": f.title, "svg": f.svg} for f in self.figures],
            "wall_time": round(self.wall_time, 4),
            "error": self.error,
        }


def _finite_or_none(value: float | None) -> float | str | None:
    if value is None:
        return None
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return float(value)
