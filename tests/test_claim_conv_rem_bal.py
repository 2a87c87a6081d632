"""CONV-Rem-Bal (0-balanced layers share non-zero singular values): the sampled layers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.convergence.rem_bal import DOMAIN, power_sums


def test_sampled_layers_are_exactly_balanced():
    import numpy as np

    from verify.core.balanced_layers import balancedness_sq_exact, network_layers_exact
    from verify.domain import take, to_exact

    rng = np.random.default_rng(2)
    dims = DOMAIN.all_dims()[-1]
    batch = DOMAIN.sample(rng, 4, dims)
    for i in range(4):
        Ws = network_layers_exact(to_exact(take(batch, i)))
        assert balancedness_sq_exact(Ws) == 0
        assert len(power_sums(Ws[0], 3)) == 3
