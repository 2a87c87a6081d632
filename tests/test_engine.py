import json

import pytest

from tests.toy_claims import CLAIM, square_bound
from verify.budget import BUDGETS, RunContext, get_budget
from verify.claims import Claim, Registry, Variant, claims_in_module, registry
from verify.counterexample import Counterexample, evaluate_hp, load
from verify.errors import VerifyError
from verify.runner import run_claims, run_variant
from verify.verdicts import Verdict

QUICK = BUDGETS["quick"]


def test_toy_claim_verdicts():
    printed = run_variant(CLAIM, CLAIM.variant("as-printed"), QUICK, seed=0)
    assert printed["verdict"] == "supported"
    mutant = run_variant(CLAIM, CLAIM.variant("mutant:constant"), QUICK, seed=0)
    assert mutant["verdict"] == "refuted"
    cex = mutant["counterexample"]
    assert cex["claim_id"] == "TOY-Square" and cex["variant"] == "mutant:constant"
    saved = Counterexample.from_json(json.loads(json.dumps(cex)))
    hp = evaluate_hp(square_bound(3.0).margin_hp, saved.instance(), saved.tolerance, 50)
    assert hp.violated


def test_runs_are_deterministic():
    a = run_variant(CLAIM, CLAIM.variant("as-printed"), QUICK, seed=7)
    b = run_variant(CLAIM, CLAIM.variant("as-printed"), QUICK, seed=7)
    assert a["margin"] == b["margin"]


def test_exception_in_check_is_reported_not_raised():
    from verify.claims import Check
    from verify.results import CheckResult

    def boom(ctx) -> CheckResult:
        raise RuntimeError("kaboom")

    variant = Variant("as-printed", "x", (Check("trials", "boom", boom),))
    mutant = Variant("mutant:m", "y", (Check("trials", "boom", boom),))
    claim = Claim("TOY-Boom", CLAIM.paper, "§0", "s", (variant, mutant))
    entry = run_variant(claim, variant, QUICK, 0)
    assert entry["verdict"] == "undecided"
    assert "kaboom" in entry["checks"][0]["details"]


def test_claim_model_validation():
    variant = CLAIM.variant("as-printed")
    with pytest.raises(VerifyError, match="mutant"):
        Claim("TOY-X", CLAIM.paper, "§0", "s", (variant,))
    with pytest.raises(VerifyError, match="as-printed"):
        Claim("TOY-X", CLAIM.paper, "§0", "s", (CLAIM.variant("mutant:constant"),))
    with pytest.raises(VerifyError, match="variant name"):
        Variant("printed", "d", variant.checks)
    with pytest.raises(VerifyError, match="does not start with TOY-"):
        Claim("OTHER-X", CLAIM.paper, "§0", "s", CLAIM.variants)
    refuted = Variant("as-printed", "d", variant.checks, expected=Verdict.REFUTED)
    with pytest.raises(VerifyError, match="corrected"):
        Claim("TOY-X", CLAIM.paper, "§0", "s", (refuted, CLAIM.variant("mutant:constant")))


def test_registry_lookup_and_errors():
    import tests.toy_claims as module

    reg = Registry()
    for claim in claims_in_module(module):
        reg.register(claim)
    assert reg.get("TOY-Square") is CLAIM
    assert [c.id for c in reg.claims("toy")] == ["TOY-Square"]
    with pytest.raises(VerifyError, match="did you mean TOY-Square"):
        reg.get("toy-square")
    with pytest.raises(VerifyError, match="unknown paper"):
        reg.claims("nope")


def test_builtin_registry_uses_catalog_ids():
    from theorems.catalog import IDS

    reg = registry()
    assert all(claim.id in IDS for claim in reg.claims())
    for claim in reg.claims():
        assert any(v.is_mutant for v in claim.variants)
        assert all(v.expected is not None for v in claim.variants), claim.id


def test_budget_and_context():
    assert get_budget("standard").trials > get_budget("quick").trials
    with pytest.raises(VerifyError, match="unknown budget"):
        get_budget("huge")
    with pytest.raises(VerifyError):
        RunContext(QUICK, -1)
    a = RunContext(QUICK, 3, ("A",)).rng("x").random()
    b = RunContext(QUICK, 3, ("A",)).rng("x").random()
    c = RunContext(QUICK, 3, ("B",)).rng("x").random()
    assert a == b != c


def test_run_claims_document():
    doc = run_claims([CLAIM], QUICK, seed=0)
    assert doc["schema"] == 1
    assert {"git_commit", "seed", "budget", "versions", "wall_time"} <= set(doc["provenance"])
    assert [r["variant"] for r in doc["results"]] == ["as-printed", "mutant:constant"]
    assert doc["papers"] == {"TOY": {"title": "A toy paper", "source": "", "findings": ""}}
    assert all(set(t) >= {"id", "variant", "check", "seed", "dims", "margin", "precision"}
               for t in doc["_trials"])


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "invalid JSON"),
    ("[]", "JSON object"),
    ('{"claim_id": "X"}', "missing field"),
    ('{"claim_id": "X", "variant": "as-printed", "check": "c", "tolerance": {"rtol": 0, '
     '"atol": 0}, "inputs": {"A": {"type": "array", "shape": [1, 1], "value": [["1/0"]]}}}',
     "not a rational"),
    ('{"claim_id": "X", "variant": "as-printed", "check": "c", "tolerance": {"rtol": 0, '
     '"atol": 0}, "inputs": {"A": {"type": "array", "shape": [2, 1], "value": [["1"]]}}}',
     "shape"),
])
def test_corrupt_counterexample_files(tmp_path, content, message):
    path = tmp_path / "cex.json"
    path.write_text(content)
    with pytest.raises(VerifyError, match=message):
        load(path)


def test_missing_counterexample_file(tmp_path):
    with pytest.raises(VerifyError, match="cannot read"):
        load(tmp_path / "missing.json")


def test_broken_claim_module_is_named_in_the_error(tmp_path, monkeypatch):
    from verify.claims import claims_in_package

    package = tmp_path / "brokenpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "bad.py").write_text(
        "from verify.claims import Variant\nVariant('printed', 'd', ())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    with pytest.raises(VerifyError, match=r"claim module brokenpkg\.bad: variant name"):
        claims_in_package(importlib.import_module("brokenpkg"))
