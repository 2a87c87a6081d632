"""ALIGN-Prop4: alignment helpers."""


import flint

from theorems.alignment.prop4 import CLAIM, alignment_excess, support_ok


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_alignment_criterion():
    A = flint.fmpq_mat(2, 2, [1, 0, 0, 2])
    B = flint.fmpq_mat(2, 2, [3, 0, 0, 0])
    assert alignment_excess(A, B)[0] == 0
    C = flint.fmpq_mat(2, 2, [1, 1, 0, 1])
    assert alignment_excess(A, C)[0] > 0
    # 1 x 2 times 2 x 1: both non-zero on different coordinates cannot share position 1
    row = flint.fmpq_mat(1, 2, [1, 0])
    col = flint.fmpq_mat(2, 1, [0, 1])
    assert not support_ok(row, col)
    assert support_ok(row, flint.fmpq_mat(2, 1, [2, 0]))
