"""ALIGN-ExMatFact: the derivation and the literal reading of the inversion on a fixed matrix.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""


import numpy as np

from theorems.alignment.ex_mat_fact import CLAIM, _derive, condition_property, recipe_property


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_holds():
    assert _derive().holds


def test_inversion_literal_reading_fails_on_a_fixed_matrix():
    M = np.array([[[1.0, 2.0], [0.0, 1.0]]])
    batch = {"k": 2, "M": M, "N": M, "snap": np.array([1.0])}
    ok, scale = recipe_property("inversion", "right", "left").margin(batch)
    bad, _ = recipe_property("inversion", "left", "right").margin(batch)
    assert ok[0] <= 1e-12 * scale[0] and bad[0] > 0.1 * scale[0]
    assert condition_property("inversion").margin(batch)[0][0] <= 1e-24
    assert condition_property("free").margin_hp(
        {"k": 2, "M": M[0].astype(object), "N": (M[0].T).astype(object)}, 30)[0] > 0
