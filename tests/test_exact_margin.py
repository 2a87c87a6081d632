"""verify.core.exact_margin: per-instance exact evaluation as a batched margin."""

from fractions import Fraction

import numpy as np

from verify.core.exact_margin import exact_margin


def test_exact_margin_rounds_and_marks_inadmissible():
    def margin_hp(inst, digits):
        if inst["x"] < 0:
            return None
        assert isinstance(inst["x"], Fraction)
        return inst["x"] - Fraction(1, 3), Fraction(1)

    excess, scale = exact_margin(margin_hp)({"x": np.array([1.0, -1.0, 0.5])})
    assert np.isclose(excess[0], 2 / 3) and np.isnan(excess[1]) and np.isclose(excess[2], 1 / 6)
    assert np.all(scale == 1)
