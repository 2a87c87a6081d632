"""CONV-Lem1: the exact setting of Theorem 1's hypotheses.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations


def test_rational_below_and_exact_setting():
    import flint
    import numpy as np

    from theorems.convergence.lem1 import (
        exact_setting,
        hypothesis_domain,
        rational_below,
        setting,
    )
    from verify.domain import take, to_exact

    x = flint.arb(2).sqrt()
    q = rational_below(x)
    assert flint.arb(q) <= x and float(q) > 1.41421356
    domain = hypothesis_domain()
    dims = {"N": 2, "dN": 2, "d0": 2, "d1": 2, "d2": 2, "d3": 1}
    batch = domain.sample(np.random.default_rng(0), 8, dims)
    ok = domain.admissible(batch)
    i = int(np.argmax(ok))
    s = exact_setting(to_exact(take(batch, i)), 40)
    assert s is not None and s.c > 0 and s.eta > 0
    fs = setting(batch)
    assert abs(float(s.eta) / fs.eta[i] - 1) < 1e-6
