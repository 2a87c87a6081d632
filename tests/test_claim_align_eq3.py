"""ALIGN-Eq3: the derivation and the Cayley frames.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""


import numpy as np

from theorems.alignment.eq3 import CLAIM, _derive, cayley, cayley_exact


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivation_holds():
    assert _derive().holds


def test_cayley_frames_are_orthogonal():
    rng = np.random.default_rng(0)
    Q = cayley(rng.uniform(-1, 1, size=(5, 3, 3)))
    assert np.allclose(Q @ np.swapaxes(Q, -1, -2), np.eye(3))
    R = np.array([[0.5, -0.25], [0.125, 1.0]])
    Qe = cayley_exact(R)
    assert Qe.transpose() * Qe == type(Qe)(2, 2, [1, 0, 0, 1])
