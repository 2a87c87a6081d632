"""BIAS-ExpRegression: helpers and figures. Verdicts, replay and the statement quote are
checked for every claim by tests/test_claim_verdicts.py and tests/test_claim_statements.py."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.implicit_bias import exp_regression as exp
from verify.claims import registry
from verify.core import tensor_networks as tn
from verify.report.plots import inline_svg
from verify.testing import assert_expected_verdict

CLAIM = registry().get("BIAS-ExpRegression")


def test_figures_are_attached_and_inline() -> None:
    entry = assert_expected_verdict(CLAIM, "as-printed")
    check = next(c for c in entry["checks"]
                 if c["name"] == "printed-runs-vs-theorem-6")
    assert len(check["figures"]) == 3
    for fig in check["figures"]:
        assert inline_svg(fig["svg"], "t") is not None
    assert exp.figures()[0].svg == exp.figures()[0].svg


def test_setup_derivation() -> None:
    assert exp.derive_setup().holds


@pytest.mark.parametrize("kind", exp.KINDS)
def test_initialisation_and_frames(kind: str) -> None:
    net = exp.network(kind)
    v1, v2 = exp.initial_directions(kind, 0.7)
    beta = tn.beta(net, [0.5 * v1[None], 0.5 * v2[None]])[0]
    assert np.allclose(beta, 0.25 * np.array([np.cos(0.7), np.sin(0.7)]))
    U1, U2, s = exp.frames(kind)
    m = len(s)
    M = tn.data_tensor(net, exp.X_DATA[0])
    assert np.allclose(U1[:, :m] @ np.diag(s) @ U2[:, :m].T, M)
    assert exp.gap(kind, 0.7) >= exp.LAMBDA


def test_small_alpha_prediction_is_the_min_norm_solution() -> None:
    for kind in exp.KINDS:
        pred = [float(v) for v in exp.predicted_beta(kind, 1e-6, 1.0)]
        goal = [float(v) for v in exp.min_norm_point(kind)]
        assert np.allclose(pred, goal, atol=1e-5)
