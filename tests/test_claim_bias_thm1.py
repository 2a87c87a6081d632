"""BIAS-Thm1: derivations, the eq. (8) defect and the engine's random data-tensor networks."""

from __future__ import annotations

import mpmath
import numpy as np

from theorems.implicit_bias import thm1
from verify.core import tensor_networks as tn


def test_derivations_hold() -> None:
    assert thm1.derive_gradient().holds
    assert thm1.derive_svd().holds


def test_singular_defect_is_zero_on_an_exact_matrix_svd_and_positive_otherwise() -> None:
    A = np.array([[3.0, 0.0], [0.0, 1.0]])
    T = np.stack([A, np.zeros((2, 2))])
    res, scale = thm1.singular_defect(T, [1.0, 0.0], [np.array([2.0, 0.0]),
                                                      np.array([5.0, 0.0])])
    assert res == 0 and scale == 3.0
    res, _ = thm1.singular_defect(T, [1.0, 0.0], [np.array([1.0, 1.0]), np.array([1.0, 0.0])])
    assert res > 0.5
    neg, _ = thm1.singular_defect(T, [1.0, 0.0], [np.array([1.0, 0.0]), np.array([1.0, 0.0])],
                                  sign=-1)
    assert neg == 3.0
    with mpmath.workdps(30):
        hp, _ = thm1.singular_defect(T, [mpmath.mpf(1), mpmath.mpf(0)],
                                     [[mpmath.mpf(1), mpmath.mpf(1)], [mpmath.mpf(1),
                                                                       mpmath.mpf(0)]],
                                     lib=mpmath)
    assert abs(float(hp) - res) < 1e-12


def test_networks_of_every_architecture() -> None:
    for arch in range(4):
        net = thm1.network(arch, 3, 3, 1)
        assert net.depth == 3 and net.d == 3
    assert thm1.network(3, 2, 2, 1).kind == "tensor"
    np.testing.assert_array_equal(tn.basis_tensor(thm1.network(3, 2, 2, 1)),
                                  tn.basis_tensor(thm1.network(3, 2, 2, 1)))


def test_zero_initialisation_is_exactly_stationary() -> None:
    inst = {"arch": 0, "L": 2, "n": 1, "d": 2, "k": 1, "K": 2,
            "X": np.array([[1.0, 2.0]]), "y": np.array([1.0]), "V": np.zeros((2, 2))}
    assert thm1._zero_margin_hp(inst, 30) == (1, 1)
    inst["V"] = np.array([[1.0, 0.0], [0.0, 0.0]])
    assert thm1._zero_margin_hp(inst, 30) is None
