"""Verdicts, tolerances and signed violation margins: the single margin/verdict model.

A *margin* is signed and normalised: ``excess / scale`` where ``excess = lhs - rhs`` for a
statement ``lhs <= rhs`` (or ``|a - b|`` for an identity ``a = b``) and ``scale`` is the size
of the quantities compared. Negative means the statement holds with that much relative slack,
positive means it is violated by that relative amount. Whether a positive excess counts as a
violation is decided by a :class:`Tolerance` (relative plus absolute, scaled by ``scale``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from verify.errors import VerifyError

TINY = 1e-300


class Verdict(str, Enum):
    """What a check (or the combination of a variant's checks) established."""

    CERTIFIED = "certified"
    """Exact rational or ball arithmetic proves the statement for the finite computation checked."""
    SUPPORTED = "supported"
    """Numerical evidence within a stated tolerance and precision."""
    REFUTED = "refuted"
    """A counterexample, re-checked at high precision or exactly."""
    UNDECIDED = "undecided"
    """Neither: e.g. a float violation that the high-precision re-check did not confirm."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Tolerance:
    """Relative plus absolute tolerance: a violation must exceed ``atol + rtol * scale``."""

    rtol: float = 1e-9
    atol: float = 1e-12

    def __post_init__(self) -> None:
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise VerifyError(f"tolerance {name} must be a finite number >= 0, got {value!r}")

    def allowance(self, scale):
        """The excess that is still within tolerance for quantities of size ``scale``."""
        return self.atol + self.rtol * abs(scale)

    def violated(self, excess, scale):
        """Elementwise: does ``excess`` exceed the allowance? Non-finite excess counts as violated
        only when it is ``+inf``; ``nan`` is never a violation (it is reported as undecided)."""
        excess = np.asarray(excess, dtype=float)
        return excess > self.allowance(np.asarray(scale, dtype=float))

    def to_json(self) -> dict:
        return {"rtol": self.rtol, "atol": self.atol}


def relative_margin(excess, scale):
    """Signed normalised margin ``excess / max(scale, TINY)`` (numpy-friendly)."""
    excess = np.asarray(excess, dtype=float)
    scale = np.maximum(np.abs(np.asarray(scale, dtype=float)), TINY)
    return excess / scale


_ORDER = {
    Verdict.REFUTED: 3,
    Verdict.UNDECIDED: 2,
    Verdict.SUPPORTED: 1,
    Verdict.CERTIFIED: 0,
}


def combine(verdicts: Iterable[Verdict], asymptotic: bool = False) -> Verdict:
    """Combine a variant's check verdicts.

    Any refuting check refutes. Otherwise the weakest evidence wins (undecided < supported <
    certified), so a variant is certified only when every check certified it. An asymptotic
    statement (t -> oo, alpha -> 0) is never certified: it is at best supported. No checks at
    all is undecided.
    """
    verdicts = list(verdicts)
    if not verdicts:
        return Verdict.UNDECIDED
    worst = max(verdicts, key=_ORDER.__getitem__)
    if asymptotic and worst is Verdict.CERTIFIED:
        return Verdict.SUPPORTED
    return worst
