"""Engine: Procedure 1 (balanced initialization), float, exact and mpmath twins."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from verify.core.balanced_init import (
    balanced_initialization,
    frames,
    gaussian_balanced_initialization,
    procedure1_exact,
    procedure1_from_svd,
    procedure1_mp,
    rational_frames,
)
from verify.core.balanced_layers import balancedness_sq_exact
from verify.core.hp_linalg import frobenius_sq
from verify.core.measures import balancedness
from verify.core.networks import end_to_end
from verify.errors import VerifyError

WIDTHS = [(2, 3), (3, 3, 2), (1, 2, 2, 1), (3, 3, 4, 3, 2), (2, 1, 1), (4, 3, 5, 3)]


@pytest.mark.parametrize("widths", WIDTHS)
def test_float_procedure_reproduces_a_and_is_balanced(widths):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, widths[-1], widths[0]))
    Ws = balanced_initialization(A, widths)
    assert [W.shape[1:] for W in Ws] == [(widths[j + 1], widths[j])
                                         for j in range(len(widths) - 1)]
    np.testing.assert_allclose(end_to_end(Ws), A, atol=1e-12)
    assert np.all(balancedness(Ws) < 1e-12)


def test_rank_deficient_and_zero_targets():
    A = np.zeros((2, 2, 3))
    A[1, 0, 0] = 2.0
    Ws = balanced_initialization(A, (3, 2, 2, 2))
    np.testing.assert_allclose(end_to_end(Ws), A, atol=1e-12)
    assert np.all(balancedness(Ws) < 1e-12)


def test_wrong_root_breaks_the_product():
    A = np.array([[[4.0]]])
    Ws = balanced_initialization(A, (1, 1, 1), root=1 / 3)
    assert abs(end_to_end(Ws)[0, 0, 0] - 4.0 ** (2 / 3)) < 1e-12


def test_narrow_hidden_layer_truncates():
    A = np.eye(2)[None]
    Ws = balanced_initialization(A, (2, 1, 2))
    assert np.linalg.matrix_rank(end_to_end(Ws)[0]) == 1


def test_gaussian_sampler_shapes():
    Ws = gaussian_balanced_initialization(np.random.default_rng(1), 4, (3, 3, 3, 1), 0.1)
    assert Ws[-1].shape == (4, 1, 3) and np.all(balancedness(Ws) < 1e-12)


@pytest.mark.parametrize("widths", WIDTHS)
def test_exact_twin_is_exact_and_matches_float(widths):
    rng = np.random.default_rng(2)
    k = min(widths[0], widths[-1])
    Ur = rng.uniform(-2, 2, (widths[-1], widths[-1]))
    Vr = rng.uniform(-2, 2, (widths[0], widths[0]))
    roots = [Fraction(v).limit_denominator(50) for v in rng.uniform(0, 2, k)]
    U, V = rational_frames(np.vectorize(Fraction, otypes=[object])(Ur),
                           np.vectorize(Fraction, otypes=[object])(Vr), k)
    A, Ws = procedure1_exact(U, roots, V, widths)
    prod = Ws[0]
    for W in Ws[1:]:
        prod = W * prod
    assert frobenius_sq(prod - A) == 0
    assert balancedness_sq_exact(Ws) == 0
    Uf, Vf = frames(Ur[None], Vr[None], k)
    N = len(widths) - 1
    sig = np.array([[float(r) ** N for r in roots]])
    Wf = procedure1_from_svd(Uf, sig, Vf, widths)
    for W, We in zip(Wf, Ws, strict=True):
        np.testing.assert_allclose(W[0], [[float(v) for v in row] for row in We.tolist()],
                                   atol=1e-12)


def test_mpmath_twin_at_high_precision():
    A = np.array([[Fraction(1), Fraction(2), Fraction(0)],
                  [Fraction(-1, 3), Fraction(1), Fraction(5)]], dtype=object)
    with mpmath.workdps(40):
        Ws = procedure1_mp(A, (3, 2, 3, 2), 40)
        P = Ws[2] * Ws[1] * Ws[0]
        err = max(abs(P[i, j] - mpmath.mpf(Fraction(A[i, j]).numerator) /
                      Fraction(A[i, j]).denominator) for i in range(2) for j in range(3))
        assert err < mpmath.mpf(10) ** -30
        gap = Ws[1].T * Ws[1] - Ws[0] * Ws[0].T
        assert mpmath.mnorm(gap, "F") < mpmath.mpf(10) ** -30


def test_bad_widths_rejected():
    with pytest.raises(VerifyError):
        balanced_initialization(np.zeros((1, 2, 2)), (2,))
