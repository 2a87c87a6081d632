"""Engine: rational Cayley transforms, balanced-network parametrisation, ordered spectra."""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np

from verify.core.balanced_layers import (
    balancedness_sq_exact,
    cayley,
    cayley_exact,
    network_domain,
    network_layers,
    network_layers_exact,
)
from verify.core.hp_spectrum import eigenvalue_balls, sorted_singular_value_balls
from verify.core.measures import balancedness
from verify.domain import take, to_exact


def test_cayley_is_orthogonal_in_float_and_exactly():
    R = np.random.default_rng(0).uniform(-2, 2, (4, 3, 3))
    Q = cayley(R)
    np.testing.assert_allclose(Q @ np.swapaxes(Q, -1, -2), np.broadcast_to(np.eye(3), Q.shape),
                               atol=1e-12)
    Qe = cayley_exact(np.vectorize(Fraction, otypes=[object])(R[0]))
    assert Qe * Qe.transpose() == flint.fmpq_mat(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1])
    assert max(abs(float(Qe[i, j]) - Q[0, i, j]) for i in range(3) for j in range(3)) < 1e-14


def test_network_layers_float_and_exact_agree_and_balance():
    domain = network_domain(perturbed=True)
    rng = np.random.default_rng(1)
    for dims in domain.all_dims()[::60]:
        batch = domain.sample(rng, 3, dims)
        batch["eps"] = np.zeros(3)
        Ws = network_layers(batch)
        assert np.all(balancedness(Ws) < 1e-12)
        exact = network_layers_exact(to_exact(take(batch, 0)))
        assert balancedness_sq_exact(exact) == 0
        for W, We in zip(Ws, exact, strict=True):
            assert np.allclose(W[0], [[float(v) for v in row] for row in We.tolist()])


def test_ordered_spectra_keep_multiplicities():
    S = flint.fmpq_mat(3, 3, [2, 0, 0, 0, 2, 0, 0, 0, 0])
    balls = eigenvalue_balls(S, 30)
    assert [b.contains(v) for b, v in zip(balls, (2, 2, 0), strict=True)] == [True] * 3
    A = np.array([[Fraction(3), Fraction(0)], [Fraction(0), Fraction(-4)]], dtype=object)
    assert [b.contains(v) for b, v in zip(sorted_singular_value_balls(A, 30), (4, 3),
                                          strict=True)] == [True, True]
