"""ALIGN-ExAutoenc: the derivation and the recipe on rank-deficient data.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""


import numpy as np

from theorems.alignment.ex_autoenc import CLAIM, _derive, condition_property, recipe_property


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_holds():
    assert _derive().holds


def test_recipe_on_rank_deficient_data():
    X = np.array([[[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 0.0]]])
    batch = {"k": 3, "n": 3, "X": X, "snap": np.array([1.0])}
    excess, scale = recipe_property("left").margin(batch)
    assert excess[0] <= 1e-12 * scale[0]
    excess, _ = condition_property().margin(batch)
    assert excess[0] == 0.0
