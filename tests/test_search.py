"""The search engine end to end: the planted suite, shrinking, determinism, near misses and
float artefacts."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from verify.budget import RunContext, get_budget
from verify.checks import search
from verify.counterexample import Counterexample, evaluate_hp
from verify.domain import Domain, Matrix, Property, Real
from verify.errors import VerifyError
from verify.search import run, shrink
from verify.search.planted import correct, norm_boundary, planted_suite, run_planted
from verify.verdicts import Tolerance, Verdict

SUITE = {p.name: p for p in planted_suite()}


def ctx(budget: str = "standard", seed: int = 0, name: str = "TEST-Search") -> RunContext:
    return RunContext(get_budget(budget), seed, (name, "as-printed", "search"))


@pytest.mark.parametrize("name", sorted(SUITE))
def test_planted_statement(name):
    planted = SUITE[name]
    result = run_planted(planted, "standard", seed=0)
    assert correct(planted, result), (name, result.verdict, result.details)
    if planted.false:
        cex = result.counterexample
        assert cex["stage"] in ("sampling", "structured-sampling", "optimisation")
        assert float(cex["margin_hp"]) > 0
        saved = Counterexample.from_json(json.loads(json.dumps(cex)))
        hp = evaluate_hp(planted.prop.margin_hp, saved.instance(), saved.tolerance, 50)
        assert hp is not None and hp.violated
    else:
        assert result.near_miss is not None and result.evaluations > 0


def test_false_statements_refuted_with_other_seeds():
    for planted in SUITE.values():
        if planted.false:
            assert run_planted(planted, "standard", seed=7).verdict is Verdict.REFUTED


def test_uniform_sampling_alone_misses_structure():
    """The baseline the structured stage exists for: uniform sampling misses the corner."""
    result = run_planted(SUITE["norm-boundary"], "standard", 0, stages=("sampling",))
    assert result.verdict is Verdict.SUPPORTED


def test_optimisation_alone_finds_the_corner():
    result = run_planted(SUITE["norm-boundary"], "standard", 0, stages=("optimisation",))
    assert result.verdict is Verdict.REFUTED
    assert result.counterexample["stage"] == "optimisation"


def test_shrinks_boundary_counterexample_to_signs():
    result = run_planted(SUITE["norm-boundary"], "standard", 0)
    entries = result.counterexample["inputs"]["A"]["value"]
    assert {x for row in entries for x in row} <= {"1", "-1"}


def test_shrinks_dimensions_and_entries():
    result = run_planted(SUITE["gradient-factor-2"], "standard", 0)
    inputs = result.counterexample["inputs"]
    assert inputs["d"]["value"] == 1
    values = [Fraction(x) for k in ("W1", "W2", "X", "Y", "E")
              for row in inputs[k]["value"] for x in row]
    assert all(v.denominator == 1 and abs(v) <= 1 for v in values)


def test_shrink_keeps_the_margin_away_from_the_threshold():
    prop = norm_boundary()
    start = np.array([[1, -0.9991, -1], [0.9983, -1, -0.9994], [1, -0.9979, -0.9987]])
    hp = evaluate_hp(prop.margin_hp, {"A": start}, prop.tolerance, 50)
    assert hp.violated
    shrunk, shrunk_hp = shrink(prop, {"A": start}, hp, ctx())
    assert shrunk_hp.violated and float(shrunk_hp.margin) >= min(0.5 * float(hp.margin), 0.25)
    assert all(Fraction(x).denominator == 1 for x in shrunk["A"].ravel())


def test_deterministic_under_seed():
    planted = SUITE["interior-bump"]
    first = run_planted(planted, "standard", 3)
    second = run_planted(planted, "standard", 3)
    assert first.counterexample == second.counterexample
    assert first.evaluations == second.evaluations


def test_same_counterexample_with_two_workers():
    planted = SUITE["interior-bump"]
    one = run_planted(planted, "quick", 1, workers=1)
    two = run_planted(planted, "quick", 1, workers=2)
    assert one.verdict is Verdict.REFUTED
    assert one.counterexample == two.counterexample


def test_near_miss_reported_when_nothing_found():
    result = run_planted(SUITE["norm-corner"], "quick", 0)
    assert result.verdict is Verdict.SUPPORTED
    near = result.near_miss
    assert set(near) >= {"margin", "inputs", "stage", "dims", "margin_hp"}
    assert -0.05 < near["margin"] <= 1e-9
    assert "structured-sampling" in result.details and "optimisation" in result.details


def _artefact() -> Property:
    """(x + y) + z <= x + (y + z): true exactly, violated in float64 by rounding only."""

    def margin(b):
        x, y, z = b["x"], b["y"], b["z"]
        return (x + y) + z - (x + (y + z)), np.ones_like(x)

    def margin_hp(inst, digits):
        return Fraction(0), Fraction(1)

    domain = Domain((Real("x", 0.0, 1.0), Real("y", 0.0, 1.0), Real("z", 0.0, 1.0)))
    return Property(domain, margin, margin_hp, Tolerance(0.0, 0.0), rigorous=True)


def test_float_artefact_is_not_a_counterexample():
    result = run("search", _artefact(), ctx("quick"))
    assert result.verdict is Verdict.UNDECIDED
    assert result.counterexample is None
    assert "not confirmed" in result.details or "none confirmed" in result.details


def test_float_artefacts_all_rechecked_leave_the_search_supported():
    """Float64 'violates' at the single grid point x = 1 only; exact arithmetic says it holds.
    Every distinct violating instance is re-checked, so the exact result decides."""

    def margin(b):
        return np.where(b["x"] == 1.0, 1.0, -1.0), np.ones_like(b["x"])

    domain = Domain((Real("x", 0.0, 1.0),), repair=lambda b: {"x": np.round(b["x"])})
    prop = Property(domain, margin, lambda inst, digits: (Fraction(-1), Fraction(1)),
                    Tolerance(0.0, 0.0), rigorous=True)
    result = run("search", prop, ctx("quick"))
    assert result.verdict is Verdict.SUPPORTED, result.details
    assert "at 1 distinct instances" in result.details and "all re-checked" in result.details


def test_hypothesis_failing_at_high_precision_is_not_a_counterexample():
    base = norm_boundary()
    prop = Property(base.domain, base.margin, lambda inst, digits: None, base.tolerance)
    result = run("search", prop, ctx("quick"))
    assert result.verdict is Verdict.UNDECIDED and result.counterexample is None


def test_search_check_through_checks_module():
    check = search("search", norm_boundary())
    result = check.run(ctx("quick", name="TEST-Check"))
    assert result.verdict is Verdict.REFUTED
    assert result.counterexample["claim_id"] == "TEST-Check"
    assert result.counterexample["seed"] == 0


def test_unknown_option_is_an_error():
    with pytest.raises(VerifyError, match="unknown search option"):
        run("search", norm_boundary(), ctx("quick"), populaton=3)
    with pytest.raises(VerifyError, match="stages"):
        run("search", norm_boundary(), ctx("quick"), stages=("guessing",))


def test_structured_matrix_property_with_symmetric_structure():
    """lambda_max(S) <= 0.9 for symmetric S in [-1, 1]^{2x2} (max 2): refuted and readable."""

    def margin(b):
        return np.linalg.eigvalsh(b["S"])[:, -1] - 0.9, np.ones(b["S"].shape[0])

    def margin_hp(inst, digits):
        s = inst["S"]
        a, b_, d = s[0, 0], s[0, 1], s[1, 1]
        # lambda_max > 9/10  <=>  9/10 is below the larger root of the characteristic poly
        t = Fraction(9, 10)
        above = (a - t) + (d - t) > 0 or (a - t) * (d - t) - b_ * b_ < 0
        return (Fraction(1) if above else Fraction(-1)), Fraction(1)

    prop = Property(Domain((Matrix("S", 2, 2, structure="symmetric"),)), margin, margin_hp)
    result = run("search", prop, ctx("quick"))
    assert result.verdict is Verdict.REFUTED
    entries = result.counterexample["inputs"]["S"]["value"]
    assert entries[0][1] == entries[1][0]
