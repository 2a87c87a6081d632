"""ALIGN-ExampleConv: exact helpers."""


import numpy as np

from theorems.alignment.app_i_conv_matrix import conv_matrix
from theorems.alignment.example_conv import (
    CLAIM,
    derive_arithmetic,
    derive_interior_column,
    derive_m2_counterexample,
    factorisation,
    in_conv_space,
)
from verify.core.hp_linalg import to_fmpq_mat


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivations():
    assert derive_arithmetic().holds
    assert derive_interior_column().holds
    out = derive_m2_counterexample()
    assert out.holds is False and factorisation(out.counterexample) == 1


def test_membership_and_trivial_filter():
    K = np.arange(1, 10).reshape(3, 3)
    assert in_conv_space(to_fmpq_mat(conv_matrix(K, 4)), 4)
    assert not in_conv_space(to_fmpq_mat(conv_matrix(K, 4)).inv(), 4)
    delta = np.zeros((3, 3), dtype=int)
    delta[1, 1] = 3
    assert factorisation({"m": 4, "K": delta}) == 0  # scalar multiple of I is excluded
    # m = 3: the m = 2 counterexample's filter no longer has an inverse in S
    half = np.array([[0, 0, 0], [1, 2, 1], [0, 0, 0]])
    assert factorisation({"m": 3, "K": half}) == 0
