"""Precision tiers: how a high-precision value bounds the true excess.

Tiers, strongest first: ``exact`` (``Fraction``, ``int``, ``flint.fmpq``), ``ball``
(``flint.arb``: a rigorous enclosure), ``mpmath`` (``mpf`` approximations or ``mpi`` intervals
computed at a stated number of digits). Only the first two are rigorous and may certify.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import mpmath

from verify.errors import VerifyError
from verify.verdicts import Tolerance

DEFAULT_DIGITS = 50


@dataclass(frozen=True)
class Bounds:
    """Lower and upper bounds of a high-precision quantity, and how they were obtained."""

    low: mpmath.mpf
    high: mpmath.mpf
    tier: str  # "exact" | "ball" | "mpmath"

    @property
    def rigorous(self) -> bool:
        return self.tier in ("exact", "ball")

    @property
    def mid(self) -> mpmath.mpf:
        return (self.low + self.high) / 2

    def __str__(self) -> str:
        if self.low == self.high:
            return mpmath.nstr(self.low, 20)
        return f"[{mpmath.nstr(self.low, 20)}, {mpmath.nstr(self.high, 20)}]"


def bounds(value: Any, digits: int = DEFAULT_DIGITS) -> Bounds:
    """Bounds of an exact, ball or mpmath value (evaluated with ``digits`` digits)."""
    with mpmath.workdps(digits + 10):
        if isinstance(value, bool):
            raise VerifyError("a boolean is not a high-precision number")
        if isinstance(value, (int, Fraction)):
            v = _frac_to_mpf(Fraction(value))
            return Bounds(v, v, "exact")
        if isinstance(value, (flint.fmpq, flint.fmpz)):
            frac = Fraction(int(value.p), int(value.q)) if isinstance(value, flint.fmpq) \
                else Fraction(int(value))
            return bounds(frac, digits)
        if isinstance(value, flint.arb):
            if not value.is_finite():
                raise VerifyError("a non-finite ball cannot bound a margin")
            mid, rad = _arb_exact(value.mid()), _arb_exact(value.rad())
            return Bounds(_frac_to_mpf(mid - rad), _frac_to_mpf(mid + rad), "ball")
        if isinstance(value, mpmath.ctx_iv.ivmpf):
            return Bounds(mpmath.mpf(value.a), mpmath.mpf(value.b), "mpmath")
        if isinstance(value, mpmath.mpf):
            return Bounds(value, value, "mpmath")
        if isinstance(value, float):
            v = mpmath.mpf(value)
            return Bounds(v, v, "mpmath")
    raise VerifyError(f"unsupported high-precision value of type {type(value).__name__}")


def _arb_exact(value: flint.arb) -> Fraction:
    """Exact value of a radius-0 arb (a midpoint or a radius), via its mantissa/exponent."""
    man, exp = value.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _frac_to_mpf(value: Fraction) -> mpmath.mpf:
    return mpmath.mpf(value.numerator) / value.denominator


def confirms_violation(excess: Any, scale: Any, tolerance: Tolerance,
                       digits: int = DEFAULT_DIGITS) -> bool:
    """True when the high-precision excess is *certainly* above the tolerance allowance."""
    b = bounds(excess, digits)
    s = bounds(scale, digits)
    allowance = tolerance.atol + tolerance.rtol * abs(s.high)
    return bool(b.low > allowance)


def certifies_holds(excess: Any, digits: int = DEFAULT_DIGITS) -> bool:
    """True when a rigorous high-precision excess is certainly <= 0 (the statement holds)."""
    b = bounds(excess, digits)
    return b.rigorous and bool(b.high <= 0)
