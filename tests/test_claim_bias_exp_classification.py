"""BIAS-ExpClassification: certificates, measured directions and mutant replay.

Verdicts and the statement quote are also covered by tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np

from theorems.implicit_bias import exp_classification as ec
from verify.budget import BUDGETS
from verify.claims import registry
from verify.core import max_margin as mm
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("BIAS-ExpClassification")


def test_certificates() -> None:
    assert ec.derive_max_margin().holds
    for kind in ("fc", "diagonal", "conv"):
        z, _, primal, dual, dual_ok = ec.certificate(kind)
        assert dual_ok and primal == dual
        assert np.allclose(mm.unit(np.array([float(v) for v in z])), mm.unit(ec.PREDICTED[kind]))


def test_numerical_max_margin_agrees() -> None:
    z = mm.l2_max_margin(ec.X_DATA, ec.Y_DATA)
    assert np.allclose(z, [0.2, 0.4], atol=1e-8)
    (best, *_) = mm.lp_max_margin(ec.X_DATA, ec.Y_DATA, 1.0)
    assert np.allclose(best.z, [0.0, 0.5], atol=1e-6)


def test_directions_converge_and_depend_on_init_at_t_1000() -> None:
    for kind in ("fc", "diagonal", "conv"):
        data = ec.runs(kind)
        assert np.all(ec.chord(data["beta_arc"], kind) < 1e-4)
        assert np.all(ec.chord(data["beta_arc"], kind) < ec.chord(data["beta_arc_prev"], kind))
    assert np.ptp(ec.chord(ec.runs("fc")["beta_paper"], "fc")) > 0.05


def test_mutants_replay() -> None:
    for variant in CLAIM.variants:
        if not variant.name.startswith("mutant:"):
            continue
        result = run_variant(CLAIM, variant, BUDGETS["quick"], seed=0)
        assert result["verdict"] == "refuted"
        (check,) = variant.checks
        cex = Counterexample.from_json(result["checks"][0]["counterexample"])
        assert evaluate_hp(check.replay, cex.instance(), cex.tolerance, 50).violated
