"""ALIGN-Thm3: exact helpers."""


import numpy as np

from theorems.alignment.thm3 import (
    CLAIM,
    construction,
    corrected_indicator,
    derive_data_dependent_subspace,
    witness,
)
from verify.core.hp_linalg import to_fmpq_mat


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_and_construction():
    out = derive_data_dependent_subspace()
    assert out.holds is False
    assert construction(out.counterexample, "printed") == 1
    # k = 3: r = 2 is not < k - 1, so the construction does not meet the hypotheses
    inst = {"k": 3, "X": np.eye(3, dtype=int).astype(object),
            "Y": np.array([[1, 2, 0], [0, 1, 1], [1, 0, 3]], dtype=object),
            "A": np.zeros((3, 3), dtype=object)}
    assert construction(inst, "printed") == 0


def test_witness():
    G = to_fmpq_mat(np.diag([1, 2, 3, 4]))
    diag = to_fmpq_mat(np.diag([1, 5, 2, 7]))
    assert witness([diag], G)  # diagonal W: W^T W commutes with diagonal G
    assert not witness([to_fmpq_mat(np.eye(4, dtype=int))], G)  # multiple of I excluded
    swap = to_fmpq_mat(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]))
    assert not witness([swap], G)  # orthogonal: W^T W = I excluded
    # span{swap, diag}: t = 0 (W = diag) is a witness
    assert witness([swap, diag], G)
    full = to_fmpq_mat(np.array([[1, 2, 0, 1], [0, 1, 3, 0], [1, 0, 1, 2], [2, 1, 0, 1]]))
    assert not witness([swap, full], G)


def test_corrected_indicator_orthogonal_generator():
    rng = np.random.default_rng(3)
    inst = {"k": 4, "r": 2, "orth": 0.1,
            **{name: rng.integers(-3, 4, size=(4, 4)).astype(object) for name in "ABXY"}}
    assert corrected_indicator(inst) == 0
