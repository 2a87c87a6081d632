"""CONV-Rem-RankDef (condition (iii) ⟺ deficiency margin): derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.convergence.rem_rankdef import (
    EY,
    derive_printed,
    rank_deficient,
    rank_deficient_exact,
)


def test_derivation_and_exact_minimiser():
    assert derive_printed().holds
    A = np.array([[2.0, 5.0], [0.0, 7.0]])
    B = np.array([[1.0, 0.0], [3.0, 1.0]])
    assert np.linalg.matrix_rank(rank_deficient(A[None], B[None])[0]) == 1
    assert rank_deficient_exact(A, B).rank() == 1
    # the Eckart-Young minimiser of diag(2, 1): excess exactly 0
    frac = np.vectorize(Fraction, otypes=[object])
    inst = {"m": 2, "n": 2, "k": 2, "Phi": frac(np.diag([2.0, 1.0])), "A": frac(A * [1, 0]),
            "B": frac(np.eye(2))}
    excess, _ = EY.margin_hp(inst, 30)
    assert excess == 0
