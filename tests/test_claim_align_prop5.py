"""ALIGN-Prop5: membership helpers."""


import numpy as np

from theorems.alignment.prop5 import (
    CLAIM,
    bound,
    derive_orthogonal_counterexample,
    derive_proof_arithmetic,
    rank_one_member,
)
from verify.core.hp_linalg import to_fmpq_mat


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivations():
    assert derive_proof_arithmetic().holds
    out = derive_orthogonal_counterexample()
    assert out.holds is False and out.counterexample is not None


def test_bound_and_rank_one_membership():
    assert bound(3, 3, "printed") == 2 and bound(5, 3, "printed") == 3
    Z = to_fmpq_mat(np.array([[2, 0], [0, 1], [0, 0]]))
    assert rank_one_member(Z, to_fmpq_mat(np.array([[1], [0], [0]])))
    assert rank_one_member(Z, to_fmpq_mat(np.array([[0], [0], [1]])))  # null space of Z^T
    assert not rank_one_member(Z, to_fmpq_mat(np.array([[1], [1], [0]])))
    full = to_fmpq_mat(np.array([[1, 2, 0], [0, 1, 3], [1, 0, 1]]))
    assert rank_one_member(full, to_fmpq_mat(np.eye(3, dtype=int)))
