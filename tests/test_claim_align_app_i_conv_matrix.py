"""ALIGN-AppI-ConvMatrix: the parsed printed matrices, the convolution matrix, the dimension
formula.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""


import numpy as np
import pytest
import sympy as sp
from scipy.signal import convolve2d

from theorems.alignment.app_i_conv_matrix import (
    CLAIM,
    CORRECT_FILTER,
    PRINTED_FILTER,
    TAP_COUNTS,
    W_PRINTED,
    C,
    conv_dimension,
    conv_matrix,
    parse_latex_matrix,
)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_parsed_matrices():
    assert W_PRINTED.shape == (9, 9) and W_PRINTED[4, :] == sp.Matrix([list(C[::-1])])
    assert parse_latex_matrix(PRINTED_FILTER)[2, :] == sp.Matrix([[C[6], C[8], C[8]]])
    assert parse_latex_matrix(CORRECT_FILTER) == sp.Matrix(3, 3, C)


@pytest.mark.parametrize("p,s", [(3, 3), (4, 3), (2, 3), (5, 5)])
def test_conv_matrix_matches_scipy(p, s):
    rng = np.random.default_rng(p * 10 + s)
    K = rng.integers(-3, 4, size=(s, s))
    x = rng.integers(-3, 4, size=(p, p))
    W = conv_matrix(K, p).astype(float)
    assert np.array_equal(W @ x.ravel(), convolve2d(x, K, mode="same").ravel())
    Wc = conv_matrix(K, p, flip=False).astype(float)
    assert np.array_equal(Wc, conv_matrix(K[::-1, ::-1], p).astype(float))


def test_dimension_formula_and_tap_counts():
    assert conv_dimension(3, 3) == 9 and conv_dimension(1, 3) == 1 and conv_dimension(2, 5) == 9
    assert conv_dimension(4, 7) == 49 and conv_dimension(3, 7) == 25
    norms = tuple(int(sum(v * v for v in W_PRINTED.diff(ci))) for ci in C)
    assert norms == TAP_COUNTS
