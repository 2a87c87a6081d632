"""CONV-Eq12: the equality case of zero initial loss.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_zero_initial_loss_gives_equality():
    import numpy as np

    from theorems.convergence.eq12 import PRINTED
    from verify.domain import take, to_exact

    dims = {"N": 1, "dN": 1, "d0": 2, "d1": 1, "d2": 1, "d3": 1}
    batch = PRINTED.domain.sample(np.random.default_rng(0), 4, dims)
    batch["t_W"] = np.zeros(4)
    batch = PRINTED.domain.repair(batch)
    excess, _ = PRINTED.margin_hp(to_exact(take(batch, 0)), 40)
    assert excess <= 0
