"""CONV-Thm2 (§3.3, App. D.3): the witness, the event and the descent.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from theorems.convergence import thm2 as MODULE
from verify.domain import take, to_exact


def test_derivations():
    for derive in (MODULE.derive_witness, MODULE.derive_event):
        outcome = derive()
        assert outcome.holds is True and "FAILED" not in outcome.details


@pytest.mark.parametrize("p", [1e-3, 0.1, 0.25, 0.4, 0.49, 0.4999, 0.5 - 1e-6])
def test_witness_reaches_p(p):
    import flint

    a, d0 = MODULE.witness(p)
    assert a >= 2 and d0 >= 20
    with flint.ctx.workprec(200):
        value = MODULE.bound_38(flint.arb(a), d0, MODULE.Ops(True))
        assert value >= flint.arb(p)


def test_paper_remark_a_d0_100():
    import flint

    with flint.ctx.workprec(200):
        assert MODULE.bound_38(flint.arb(100), 100, MODULE.Ops(True)) > flint.arb(0.25)


def _exact_event_probability(a: float, d0: int, s_frac: float) -> float:
    """P(2(φ/s) z >= z^2 + Q + d0 − (s d0/(2φ))^2) by quadrature over Q ~ χ²_{d0−1}."""
    r = np.sqrt(a) * d0 / s_frac  # φ/s
    k = d0 - (d0 / (2 * r)) ** 2

    def given_q(q: float) -> float:
        # z^2 − 2 r z + (q + k) <= 0  <=>  z in [r − h, r + h], h = sqrt(r^2 − q − k)
        disc = r * r - q - k
        if disc <= 0:
            return 0.0
        h = np.sqrt(disc)
        low = (q + k) / (r + h)  # r − h without cancellation
        return stats.norm.sf(low) - stats.norm.sf(r + h)

    value, _ = integrate.quad(lambda q: given_q(q) * stats.chi2.pdf(q, d0 - 1), 0, np.inf,
                              limit=200)
    return value


def test_monte_carlo_counts_match_the_exact_probability():
    inst = {"N": 2, "dh": 2, "p": 0.25, "extra": 1.0, "phi": 3.0, "s_frac": 0.7}
    _, a, d0 = MODULE._setup(inst)
    exact = _exact_event_probability(a, d0, 0.7)
    assert 0.3 < exact < 0.5
    assert abs(MODULE.event_count_procedure1(inst) / MODULE.MC_SAMPLES - exact) < 0.03
    assert abs(MODULE.event_count_radial(inst) / MODULE.RADIAL_SAMPLES - exact) < 0.015


def test_descent_instances_start_exactly_in_the_event_and_balanced():
    from verify.core.balanced_layers import balancedness_sq_exact

    rng = np.random.default_rng(3)
    seen = 0
    for batch in MODULE._sampler(rng, 12):
        ok = MODULE._descent_domain().admissible(batch)
        for i in np.flatnonzero(ok)[:1]:
            start = MODULE.exact_start(to_exact(take(batch, int(i))), 40)
            assert start is not None
            assert balancedness_sq_exact(start.layers) == 0
            seen += 1
    assert seen >= 2
