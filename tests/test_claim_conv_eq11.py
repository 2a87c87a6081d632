"""CONV-Eq11: the operator P and its exact certificate.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_p_matrix_of_identity_layers_is_n_times_identity():
    import numpy as np

    from theorems.convergence.eq11 import DOMAIN, p_matrix

    dims = {"N": 3, "k": 2, "d0": 2, "d1": 2, "d2": 2, "d3": 2, "d4": 1, "dN": 2}
    batch = DOMAIN.sample(np.random.default_rng(0), 2, dims)
    for j in range(5):
        batch[f"U{j}"] = np.zeros_like(batch[f"U{j}"])
    batch["s"] = np.ones((2, 2))
    batch["scale"] = np.ones(2)
    np.testing.assert_allclose(p_matrix(batch), np.broadcast_to(3 * np.eye(4), (2, 4, 4)),
                               atol=1e-14)


def test_exact_p_is_certified():
    import numpy as np

    from theorems.convergence.eq11 import DOMAIN, _exact_setup, exact_p, exact_sigma_rate
    from verify.domain import take, to_exact

    dims = {"N": 2, "k": 1, "d0": 1, "d1": 2, "d2": 2, "d3": 1, "d4": 1, "dN": 2}
    inst = to_exact(take(DOMAIN.sample(np.random.default_rng(1), 1, dims), 0))
    e = _exact_setup(inst)
    assert exact_p(e) is not None and exact_sigma_rate(e) is not None
