"""Test helpers for claim modules (in the spirit of ``numpy.testing``).

``assert_expected_verdicts`` runs every variant of a claim and checks the verdict its author
established, and that every refutation carries a counterexample that replays at high
precision. The project's own test-suite applies it to every registered claim
(``tests/test_claim_verdicts.py``); a third-party claim package can do the same.
"""

from __future__ import annotations

from typing import Any

from verify.budget import BUDGETS
from verify.claims import Claim
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant


def assert_replays(claim: Claim, counterexample: dict[str, Any], digits: int = 50) -> None:
    """The saved counterexample decodes and is still violated at ``digits`` digits."""
    saved = Counterexample.from_json(counterexample)
    check = claim.variant(saved.variant).check(saved.check)
    assert check.replay is not None, f"{claim.id} {saved.variant}: {saved.check} cannot replay"
    hp = evaluate_hp(check.replay, saved.instance(), saved.tolerance, digits)
    assert hp is not None, f"{claim.id} {saved.variant}: counterexample fails the hypotheses"
    assert hp.violated, f"{claim.id} {saved.variant}: counterexample does not re-check"


def assert_expected_verdict(claim: Claim, variant_name: str, budget: str = "quick",
                            seed: int = 0) -> dict[str, Any]:
    """Run one variant and assert its verdict; a refutation must carry a replayable
    counterexample; a mutant must be refuted. Returns the result entry."""
    variant = claim.variant(variant_name)
    entry = run_variant(claim, variant, BUDGETS[budget], seed)
    errors = [c["error"] for c in entry["checks"] if c["error"]]
    assert not errors, f"{claim.id} {variant_name}: a check raised:\n{errors[0]}"
    assert entry["verdict"] == variant.expected.value, (
        f"{claim.id} {variant_name}: verdict {entry['verdict']}, expected "
        f"{variant.expected.value}; checks: "
        + "; ".join(f"{c['name']}={c['verdict']} ({c['details']})" for c in entry["checks"]))
    if variant.is_mutant:
        assert entry["verdict"] == "refuted", f"{claim.id} {variant_name}: mutant not refuted"
    if entry["verdict"] == "refuted":
        assert entry["counterexample"] is not None, f"{claim.id} {variant_name}: no counterexample"
        assert_replays(claim, entry["counterexample"])
    return entry
