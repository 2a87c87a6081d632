"""INIT-Alg1 (seed 004, §2.2, Algorithm 1 and Fig. 2.1): check details, the printed
counterexample, the inner loop's step-size condition alpha < 2, and the figure's end points.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import flint
import numpy as np
import pytest

from theorems.initialization import alg1
from verify import linalg_exact as lx
from verify.claims import registry
from verify.core.hp import FMPQ
from verify.core.networks import gd_step
from verify.testing import assert_expected_verdict
from verify.verdicts import Verdict

CLAIM = registry().get("INIT-Alg1")
F = Fraction
PRINTED, CORRECTED = alg1.Setting(inner_cap=False), alg1.Setting(inner_cap=True)


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is alg1.CLAIM and CLAIM.asymptotic


def test_claim_text_is_quoted_verbatim(seeds: Path) -> None:
    assert alg1.CLAIM_TEXT in (seeds / "004_bae8d3aeafe845f9.txt").read_text()


def _smallest(alpha: Fraction, z0: tuple[Fraction, Fraction] = (F(0), F(0))) -> dict:
    """A = [1/2 0], b = 1/2 (theta* = (1, 0)), theta = (1, 1)."""
    return {"n": 1, "d": 2, "r": 1, "A": np.array([[F(1, 2), F(0)]], dtype=object),
            "b": np.array([F(1, 2)], dtype=object), "t": np.array([F(0), F(1)], dtype=object),
            "z0": np.array(z0, dtype=object), "step": alpha / 8, "alpha": alpha}


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed", "corrected")}


def test_printed_refuted_corrected_supported(results: dict) -> None:
    assert CLAIM.variant("as-printed").expected is Verdict.REFUTED
    printed = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert printed["derivation"] == "refuted" and printed["figure-2.1"] == "certified"
    corrected = {c["name"]: c["verdict"] for c in results["corrected"]["checks"]}
    assert corrected["derivation"] == corrected["output"] == "certified"
    assert corrected["figure-2.1"] == "certified"


def test_printed_counterexample_exactly() -> None:
    margin = alg1.algorithm_margin_hp(PRINTED)
    excess, _ = margin(_smallest(F(3)), 40)  # alpha ||A||^2 = 3/4 < 2, inner steps double
    assert excess.contains(flint.fmpq(3, 2)) and excess.rad() == 0
    assert alg1.algorithm_margin_hp(CORRECTED)(_smallest(F(3)), 40) is None  # alpha >= 2


def test_inner_loop_converges_only_for_alpha_below_2() -> None:
    """INIT-Thm4's note: the inner loop reuses alpha and converges only if alpha < 2 (for
    generic z0: at alpha = 2 it alternates, above it diverges); with V2 V2^T z0 = theta -
    theta* it is stationary for every alpha."""
    for alpha, converges in ((F(1, 2), True), (F(1), True), (F(3, 2), True),
                             (F(199, 100), True), (F(2), False), (F(3), False)):
        out = alg1.exact_output(_smallest(alpha), PRINTED)
        assert (out["inner"] is None) == converges, alpha
        if converges:
            assert out["output"] == out["theta"]
    out = alg1.exact_output(_smallest(F(2)), PRINTED)
    assert out["inner"] == 4  # ||z_1 - z_0||^2 = ||2 (0, 1)||^2, and it never shrinks
    special = alg1.exact_output(_smallest(F(3), (F(5), F(1))), PRINTED)  # P z0 = (0, 1) = w
    assert special["inner"] is None and special["output"] == special["theta"]


def test_alpha_one_reaches_the_inner_limit_in_one_step() -> None:
    inst = _smallest(F(1), (F(7), F(-3)))
    P = lx.null_space_projector(lx.matrix(inst["A"]))
    w = lx.column([F(0), F(1)])
    loss = alg1.inner_loss(lx.to_fractions(P), lx.to_fractions(w)[:, 0])
    z1 = gd_step([lx.column(inst["z0"]).transpose()], loss, FMPQ.scalar(1),
                 xp=FMPQ)[0].transpose()
    assert z1 == lx.column([F(7), F(1)])  # (I - P) z0 + w


def test_figure_2_1_end_points() -> None:
    rng = np.random.default_rng(3)
    domain = alg1._fig_domain()
    batch = domain.sample(rng, 16, {"n": 1, "d": 2, "r": 1})
    excess, scale = alg1._fig_float(batch)
    assert np.all(np.isfinite(excess)) and np.max(excess / scale) < 1e-9
    inst = {"z0": np.array([F(3), F(-8)], dtype=object), "v": np.array([F(5)], dtype=object),
            "step": F(1, 4), "alpha": F(1, 4), "n": 1, "d": 2, "r": 1}
    excess, _ = alg1._fig_hp(inst, 40)
    assert excess == 0
    out = alg1.exact_output({**inst, "A": np.array([[F(1), F(1)]], dtype=object),
                             "b": np.array([F(0)], dtype=object),
                             "t": np.array([F(10), F(-10)], dtype=object)}, CORRECTED)
    assert lx.to_fractions(out["output"]).ravel().tolist() == [10, -10]


def test_float_run_matches_exact_output() -> None:
    rng = np.random.default_rng(4)
    domain = alg1.make_domain(CORRECTED)
    for batch in alg1._sampler(domain, CORRECTED)(rng, 40):
        excess, scale = alg1.algorithm_margin(CORRECTED, alg1.TRIAL_STEPS)(batch)
        assert np.all(np.isfinite(excess)) and np.max(excess / scale) < 1e-9
        s = alg1.inputs_float(batch, "V2")
        P_N = np.eye(batch["A"].shape[2]) - np.linalg.pinv(batch["A"]) @ batch["A"]
        np.testing.assert_allclose(s["P"], P_N, atol=1e-9)


def test_symbolic_helpers() -> None:
    inner, outer = alg1.unstable_steps((False, 2.0))
    assert 2 in inner and 3 in inner and outer.is_empty
    inner, outer = alg1.unstable_steps((True, 2.0))
    assert inner.is_empty and outer.is_empty
    assert not alg1.unstable_steps((True, 4.0))[1].is_empty
    output, theta = alg1.composed_limit(2, 3, "V2")
    assert (output - theta).applyfunc(lambda e: e.simplify()).is_zero_matrix
    output, theta = alg1.composed_limit(1, 2, "V1")
    assert not (output - theta).applyfunc(lambda e: e.simplify()).is_zero_matrix
