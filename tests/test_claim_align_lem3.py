"""ALIGN-Lem3: derivation helpers."""

from itertools import pairwise

import numpy as np

from theorems.alignment.lem3 import derive_eq13, run_rule


def test_derivation_holds():
    assert derive_eq13().holds


def test_rule_increases_to_target_and_overshoots_with_large_rate():
    S = run_rule([np.array([0.5]), np.array([0.5])], 1.0, 1.0, 0.5, 1, 200)
    assert all(b >= a for a, b in pairwise(S)) and abs(S[-1][0] - 1.0) < 1e-9
    S = run_rule([np.array([1.0]), np.array([1.0])], 1.0, 4.0, 0.35, 1, 1)
    assert S[1][0] > 4.0
