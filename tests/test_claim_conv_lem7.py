"""CONV-Lem7 (single-step descent under conditions 1-4): derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.convergence.lem7 import derive_constants, domain, exact_state, sampler
from verify.domain import take, to_exact


def test_constants_derivation():
    outcome = derive_constants()
    assert outcome.holds, outcome.details


def test_sampled_states_meet_the_conditions_exactly():
    dom = domain()
    batches = sampler(np.random.default_rng(3), 32)
    found = 0
    for batch in batches:
        ok = dom.admissible(batch)
        for i in np.flatnonzero(ok)[:2]:
            s = exact_state(to_exact(take(batch, int(i))), 30)
            assert s is not None and s.c > 0 and s.eta > 0
            found += 1
    assert found >= 4
