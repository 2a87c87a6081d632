"""Tiny claims used by the engine tests (not part of the claim library)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Paper, Variant
from verify.domain import Domain, Property, Real
from verify.verdicts import Tolerance, Verdict

TOY = Paper("TOY", "toy", "A toy paper")

DOMAIN = Domain((Real("x", -2.0, 2.0),))


def square_bound(constant: float) -> Property:
    """x^2 <= constant on [-2, 2]: true for constant >= 4."""

    def margin(batch):
        return batch["x"] ** 2 - constant, np.maximum(batch["x"] ** 2, constant)

    def margin_hp(inst, digits):
        x = inst["x"]
        return x * x - Fraction(constant), max(x * x, Fraction(constant))

    return Property(DOMAIN, margin, margin_hp, Tolerance(1e-12, 1e-15), rigorous=True)


def _identity_holds() -> SymbolicOutcome:
    return SymbolicOutcome(True, "(x+1)^2 - x^2 - 2x - 1 simplifies to 0")


CLAIM = Claim(
    id="TOY-Square", paper=TOY, location="§1", statement="x^2 <= 4 for |x| <= 2",
    variants=(
        Variant("as-printed", "x^2 <= 4", (symbolic("identity", _identity_holds),
                                          trials("grid", square_bound(4.0)),
                                          search("search", square_bound(4.0))),
                expected=Verdict.SUPPORTED),
        Variant("mutant:constant", "x^2 <= 3", (trials("grid", square_bound(3.0)),
                                                 search("search", square_bound(3.0))),
                expected=Verdict.REFUTED),
    ),
)
