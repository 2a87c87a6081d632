"""ALIGN-ExMatSensing: construction helpers."""

from fractions import Fraction

import numpy as np

from theorems.alignment.ex_mat_sensing import DOMAIN, common_svd_defect, push_norm


def test_common_svd_defect_detects_non_simultaneous_diagonalizability():
    D = np.diag([1.0, 2.0])
    O = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert common_svd_defect([D, 2 * D])[0] == 0
    assert common_svd_defect([D, O])[0] > 0


def test_push_norm_vanishes_without_off_diagonal_parts():
    rng = np.random.default_rng(0)
    batch = DOMAIN.repair(DOMAIN.sample(rng, 1, {"d": 2, "k": 2, "n": 2}))
    inst = {k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
    inst["O"] = np.zeros_like(inst["O"])
    assert push_norm(inst) == 0
    inst["O"] = np.full_like(inst["O"], 0.5)
    inst["Z"] = np.eye(3) * Fraction(1)
    inst["Sg"] = np.zeros_like(inst["Sg"])
    assert push_norm(inst) > 0
