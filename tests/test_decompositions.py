"""verify.core.decompositions: DFT matrix, eq. (9) of seed 003 in float and exactly in Q(psi)."""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
import pytest

from verify.core import decompositions as dc
from verify.core import tensor_networks as tn


def test_dft_matrix_is_the_papers_unitary_dft():
    d = 5
    F = dc.dft_matrix(d)
    j, k = 1, 3
    assert F[j, k] == pytest.approx(np.exp(-2j * np.pi * j * k / d) / np.sqrt(d))
    assert np.allclose(F.conj().T @ F, np.eye(d))
    assert np.allclose(F * np.sqrt(d) @ np.arange(d), np.fft.fft(np.arange(d)))
    assert np.allclose(dc.dft_matrix(d, normalized=False), F * np.sqrt(d))


@pytest.mark.parametrize("kind", ["diagonal", "conv"])
@pytest.mark.parametrize("d, L", [(1, 2), (3, 2), (4, 3), (5, 4)])
def test_float_decomposition_reproduces_the_data_tensor(kind, d, L):
    net = tn.diagonal(d, L) if kind == "diagonal" else tn.conv(d, [d] * L)
    dec = dc.decomposition(kind, d, L)
    x = np.random.default_rng(0).standard_normal((3, d))
    assert np.allclose(dc.decomposed_tensor(dec, x), tn.data_tensor(net, x), atol=1e-12)
    assert dc.unitarity_defect(dec) < 1e-12


def test_wrong_readings_do_not_reproduce_the_conv_tensor():
    d, L = 4, 3
    x = np.arange(1.0, d + 1)
    M = tn.data_tensor(tn.conv(d, [d] * L), x)
    for reading in ({"conjugate": False}, {"normalized": False}, {"s_exponent": Fraction(L, 2)}):
        dec = dc.decomposition("conv", d, L, **reading)
        assert not np.allclose(dc.decomposed_tensor(dec, x), M)


def test_cyclo_arithmetic():
    d = 6
    psi = dc.Cyclo.monomial(d, 1)
    assert (psi * dc.Cyclo.monomial(d, 5) - 1).is_zero()
    # 1 + psi + ... + psi^{d-1} = 0, 1 + psi^3 = 0 (psi^3 = -1), psi + psi^2 != 0
    assert sum((dc.Cyclo.monomial(d, e) for e in range(d)), dc.Cyclo.rational(d, 0)).is_zero()
    assert (dc.Cyclo.monomial(d, 0) + dc.Cyclo.monomial(d, 3)).is_zero()
    assert not (dc.Cyclo.monomial(d, 1) + dc.Cyclo.monomial(d, 2)).is_zero()
    assert (psi * psi.conjugate() - 1).is_zero()
    sqrt_d = dc.Cyclo(d, (Fraction(1),) + (Fraction(0),) * (d - 1), 1)
    assert ((sqrt_d * sqrt_d) - d).is_zero()
    ball = (dc.Cyclo.monomial(d, 1) + 2).ball()
    assert abs(complex(ball.real.mid(), ball.imag.mid())
               - (np.exp(-2j * np.pi / d) + 2)) < 1e-12
    assert (flint.arb(d) ** flint.arb(flint.fmpq(1, 2)) - sqrt_d.ball().real).contains(0)


@pytest.mark.parametrize("d, L", [(1, 3), (2, 2), (3, 3), (4, 2), (5, 3)])
def test_exact_decomposition_equals_conv_tensor(d, L):
    dec = dc.exact_decomposition("conv", d, L)
    x = [Fraction(k + 1, 7) for k in range(d)]
    M9 = dc.exact_decomposed_tensor(dec, x)
    M = tn.data_tensor(tn.conv(d, [d] * L), np.array(x, dtype=float))
    for idx in np.ndindex(M.shape):
        assert (M9[idx] - Fraction(M[idx]).limit_denominator(1000)).is_zero()
    assert all(g.is_zero() for g in dc.exact_gram_defects(dec))


def test_exact_mutant_is_detected():
    d, L = 3, 2
    dec = dc.exact_decomposition("conv", d, L, conjugate=False)
    x = [Fraction(1), Fraction(2), Fraction(3)]
    M9 = dc.exact_decomposed_tensor(dec, x)
    M = tn.data_tensor(tn.conv(d, [d] * L), np.array(x, dtype=float))
    assert not all((M9[i] - Fraction(M[i])).is_zero() for i in np.ndindex(M.shape))
