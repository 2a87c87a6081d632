"""CONV-Eq38 (App. D.3, eqs. (38)-(42)): the derivations and the chain.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.convergence import eq38 as MODULE
from verify.counterexample import evaluate_hp


@pytest.mark.parametrize("derive", [MODULE.derive_lemma9, MODULE.derive_lemma8_parameters,
                                    MODULE.derive_39, MODULE.derive_40, MODULE.derive_41,
                                    MODULE.derive_delta_chain, MODULE.derive_eta_at_half,
                                    MODULE.derive_42, MODULE.derive_final_t])
def test_each_link_derives(derive):
    outcome = derive()
    assert outcome.holds is True and "FAILED" not in outcome.details


def test_final_t_with_factor_two_fails_symbolically():
    outcome = MODULE.derive_final_t(2)
    assert outcome.holds is False and "k >= 1" in outcome.details.split("FAILED")[0]


def _instance(**kw) -> dict:
    base = {"N": 3, "d0": 2, "phi": Fraction(1), "a": Fraction(2), "s_frac": Fraction(1),
            "eta_frac": Fraction(1), "eps_ratio": Fraction(1, 10)}
    base.update(kw)
    return base


def test_boundary_instance_holds_and_each_mutant_breaks_its_link():
    ops = MODULE.Ops(True)
    import flint

    with flint.ctx.workprec(300):
        v = MODULE.values(_instance(), ops)
        links = MODULE.chain_links(v, ops)
        assert all(not (e / s > 1e-30) for e, s in links.values())
        v4 = MODULE.values(_instance(), ops, MODULE.Reading(eta_constant=10**4))
        assert MODULE.chain_links(v4, ops)["eta <= (39)"][0] > 0
        bad = MODULE.chain_links(v, ops, MODULE.Reading(t_factor=2))
        assert bad["final T covers (40)+(42) or Theorem 1 once"][0] > 0


def test_the_gap_for_large_eps_needs_theorem_1_once():
    """For eps just below ||Phi||^2/2 and N = 1, T* is far below (40)'s t_0 (so (40)+(42)
    alone do not justify it), yet above what Theorem 1 applied once needs."""
    ops = MODULE.Ops(False)
    inst = {"N": 1, "d0": 50, "phi": 2.0, "a": 10.0, "s_frac": 0.5, "eta_frac": 0.3,
            "eps_ratio": 3.9}
    v = MODULE.values(inst, ops)
    A, B, R1 = MODULE.t_parts(v, ops)
    T = MODULE.t_printed(v, ops)
    assert T < A and B < 0
    assert R1 <= T


def test_float_and_ball_chain_agree():
    rng = np.random.default_rng(1)
    prop = MODULE.CHAIN
    batch = prop.domain.sample(rng, 16, {"N": 4, "d0": 7})
    excess, _ = prop.margin(batch)
    for i in range(4):
        inst = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in batch.items()}
        hp = evaluate_hp(prop.margin_hp, inst, prop.tolerance, 40)
        assert abs(float(hp.excess.mid) - excess[i]) < 1e-9
