"""ALIGN-Thm4: the bottleneck example."""

from fractions import Fraction

import numpy as np

from theorems.alignment.thm4 import bottleneck_property

F = Fraction


def test_smallest_bottleneck_counterexample():
    """Widths (2, 1, 2), X = Y = I_2: U = V = I meet the condition (Lambda = Lambda' = A_1 =
    A_2 = 1), but rank Y = 2 > r = 1, so no network of these widths has zero loss."""
    q = np.vectorize(F, otypes=[object])
    inst = {"d": 2, "k0": 2, "k1": 1, "k2": 2, "k3": 1, "n": 2,
            "sx": q(np.array([1.0, 0.0])), "sy": q(np.array([1.0, 0.0])),
            "Zx": q(np.array([[0, 0], [0, 1]])), "Zy": q(np.array([[0, 0], [0, 1], [0, 0]]))}
    excess, _ = bottleneck_property().margin_hp(inst, 30)
    assert excess == 1
