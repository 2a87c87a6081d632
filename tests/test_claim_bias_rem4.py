"""BIAS-Rem4: derivation helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import mpmath

from theorems.implicit_bias import rem4
from verify.claims import registry

CLAIM = registry().get("BIAS-Rem4")


def test_H2_closed_form_matches_engine() -> None:
    y, H2 = rem4.H2_closed_form()
    for value in (0.3, 2.0, 1e4):
        assert abs(float(H2.subs(y, value)) - float(rem4.hf.H_mp(2, value, 30))) < 1e-9 * value**2


def test_growth_at_L2_fails_and_holds_for_L3() -> None:
    assert rem4.slope_growth(2, 10**6, 30) > 0.49
    assert rem4.slope_growth(3, 10**6, 30) < 0.01
    assert rem4.derive_growth_corrected().holds
    assert not rem4.derive_growth_as_printed().holds


def test_normalised_limits() -> None:
    eta, rho = [mpmath.mpf("0.5"), mpmath.mpf("-1.3")], [mpmath.mpf("0.7"), mpmath.mpf("-0.2")]
    for regime in ("small", "large"):
        for L in (2, 3, 5):
            alpha = rem4.alpha_of(regime, L)
            kappa, const = rem4.normalisation(regime, L, alpha)
            q = rem4.lp.q_value_mp(L, alpha, eta, rho, 30)
            target = const * rem4.weighted_norm(regime, L, eta, rho)
            assert abs(kappa * q / target - 1) < 1e-5
