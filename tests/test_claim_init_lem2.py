"""INIT-Lem2 (seed 004, §2.2, Lemma 2): check details, exact invariant.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from theorems.initialization import lem2
from verify import linalg_exact as lx
from verify.claims import registry
from verify.testing import assert_expected_verdict

CLAIM = registry().get("INIT-Lem2")
F = Fraction


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is lem2.CLAIM


def _obj(rows: list) -> np.ndarray:
    return np.array(rows, dtype=object)


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """The run entries the tests below inspect (each also checked by test_claim_verdicts)."""
    return {name: assert_expected_verdict(CLAIM, name) for name in ("as-printed",)}


def test_invariant_is_certified_exactly(results: dict) -> None:
    checks = {c["name"]: c["verdict"] for c in results["as-printed"]["checks"]}
    assert checks["derivation"] == "certified" and checks["invariant"] == "certified"
    assert checks["search"] == "supported"


def test_exact_run_is_the_papers_iteration() -> None:
    A, b = _obj([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]]), _obj([F(1), F(2)])
    alpha = F(1, 7)
    y0 = lx.column([F(1), F(0), F(2)])
    ys = lem2.exact_run(A, b, y0, alpha, 4)
    Am, bm = lx.matrix(A), lx.column(b)
    y = y0
    for k in range(1, 5):
        y = y - Am.transpose() * (Am * y - bm) * lx.to_fmpq(alpha)
        assert ys[k] == y


@pytest.mark.parametrize("inst", [
    # rank-deficient A, inconsistent b, alpha ||A||^2 = 2 exactly (the bound)
    {"A": [[F(1), F(1)], [F(2), F(2)]], "b": [F(1), F(0)], "v": [F(1), F(1)],
     "alpha": F(1, 5)},
    # d = n, b = 0, alpha beyond the bound (GD diverges)
    {"A": [[F(1), F(0)], [F(0), F(2)]], "b": [F(0), F(0)], "v": [F(1), F(-1)],
     "alpha": F(3, 4)},
    # A = 0
    {"A": [[F(0), F(0), F(0)]], "b": [F(1)], "v": [F(5)], "alpha": F(1)},
])
def test_invariant_holds_exactly_in_degenerate_cases(inst: dict) -> None:
    inst = {"A": _obj(inst["A"]), "b": _obj(inst["b"]), "v": _obj(inst["v"]),
            "z": np.zeros(len(inst["A"][0]), dtype=object), "alpha": inst["alpha"]}
    assert lem2.exact_defects(inst, "range", steps=6) == 0
    assert lem2.defect_margin_hp("range", False)(inst, 40)[0] == 0
    assert lem2.defect_margin_hp("range", True)(inst, 40) is None  # not the standing case


def test_float_invariant_over_long_runs() -> None:
    rng = np.random.default_rng(2)
    domain = lem2.make_domain(False)
    for dims in ({"n": 2, "d": 2, "r": 1}, {"n": 3, "d": 4, "r": 2}, {"n": 1, "d": 3, "r": 1}):
        batch = domain.sample(rng, 32, dims)
        excess, scale = lem2.defect_margin("range")(batch)
        assert np.max(excess / scale) < 1e-12
        excess, scale = lem2.defect_margin("anywhere")(batch)
        assert np.median(excess / scale) > 1e-3


def test_proof_step_identity() -> None:
    assert lem2.proof_step_identity(2, 3) and lem2.symbolic_lemma().holds
