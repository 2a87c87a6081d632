"""CONV-Lem4 (diagonal vs rotated diagonal): exact orthogonal matrices.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.convergence.lem4 import DOMAIN, orthogonal, orthogonal_exact


def test_orthogonal_matrices_are_exactly_orthogonal():
    import flint
    import numpy as np

    from verify.domain import take, to_exact

    batch = DOMAIN.sample(np.random.default_rng(1), 6, {"d": 3})
    O = orthogonal(batch)
    np.testing.assert_allclose(O @ np.swapaxes(O, -1, -2), np.broadcast_to(np.eye(3), O.shape),
                               atol=1e-12)
    for i in range(6):
        Oe = orthogonal_exact(to_exact(take(batch, i)))
        assert Oe * Oe.transpose() == flint.fmpq_mat(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1])
