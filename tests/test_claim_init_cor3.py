"""INIT-Cor3 (seed 004, §2.2, Corollary 3): check details, proof steps.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import cor3
from verify import linalg_exact as lx
from verify.claims import registry
from verify.testing import assert_expected_verdict

CLAIM = registry().get("INIT-Cor3")
F = Fraction


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is cor3.CLAIM and CLAIM.asymptotic


def _obj(rows: list) -> np.ndarray:
    return np.array(rows, dtype=object)


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_printed_checks(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks == {"derivation": "certified", "fixed-point": "certified",
                      "gd-limit": "supported", "search": "supported"}


def test_range_fixed_point_is_theta_star() -> None:
    A, b = lx.matrix([[F(1), F(2), F(0)], [F(0), F(1), F(3)]]), lx.column([F(1), F(-2)])
    point = cor3.range_fixed_point(A, b)
    assert point == lx.min_norm_least_squares(A, b)
    assert A.transpose() * (A * point - b) == lx.matrix([[0], [0], [0]])


def test_fixed_point_check_covers_step_sizes_beyond_the_bound() -> None:
    # alpha ||A||^2 = 3: GD from y0 = A^T v diverges in general, but the only possible
    # limit in range(A^T) is still theta*; at y0 = theta* (v = 1/4 here) it stays there.
    inst = {"A": _obj([[F(2), F(0)]]), "b": _obj([F(1)]), "v": _obj([F(1, 4)]),
            "z": _obj([F(0), F(0)]), "alpha": F(3, 4)}
    excess, _ = cor3._fixed_point_hp(inst, 40)
    assert excess == 0
    assert cor3.limit_margin_hp("theta*")(inst, 40) is None  # outside alpha ||A||^2 < 2


def test_zero_initialisation_reaches_theta_star() -> None:
    rng = np.random.default_rng(5)
    domain = cor3.make_domain(2.0)
    for batch in cor3._sampler(domain)(rng, 48):
        batch = {**batch, "v": np.zeros_like(batch["v"])}
        excess, scale = cor3.limit_margin("theta*", cor3.TRIAL_STEPS)(batch)
        assert np.all(np.isfinite(excess)) and np.max(excess / scale) < 1e-9


def test_symbolic_helpers() -> None:
    assert cor3.stationary_in_range(2, 3)
    assert cor3.range_start_has_no_v2_part(2, 3)
