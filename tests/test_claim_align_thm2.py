"""ALIGN-Thm2: derivation helpers."""

from fractions import Fraction

import numpy as np

from theorems.alignment.thm2 import (
    CLAIM,
    apply_rule,
    derive_chain_rule,
    derive_footnote,
    gram_schmidt,
    runs_exact,
    toeplitz_basis,
)


def test_has_mutants():
    assert any(v.is_mutant for v in CLAIM.variants)


def test_derivations():
    assert derive_chain_rule().holds
    assert derive_footnote().holds


def test_bases_are_orthogonal():
    B = toeplitz_basis(3, 5)
    G = np.array([[np.sum(a * b) for b in B] for a in B])
    assert np.array_equal(G, np.diag([3, 2, 2, 1, 1]))
    rows = [np.array([Fraction(v) for v in r], dtype=object) for r in ([1, 2, 0], [3, 1, 1])]
    a, b = gram_schmidt(rows)
    assert np.sum(a * b) == 0


def test_projection_rules():
    B = [np.eye(2)]
    M = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.allclose(apply_rule("printed", M, B), 5 * np.eye(2))
    assert np.allclose(apply_rule("plain", M, B), 2.5 * np.eye(2))


def test_exact_runs_agree_on_app_i_like_basis():
    q = Fraction
    inst = {"d": 2, "k": 2, "n": 2, "r": 3, "kind": q(1, 2), "eta": q(1, 4),
            "X": np.array([[q(1), q(1, 2)], [q(0), q(1)]], dtype=object),
            "Y": np.array([[q(1, 4), q(0)], [q(1), q(-1)]], dtype=object)}
    for i in (1, 2, 3):
        inst[f"R{i}"] = np.full((3, 9), q(1), dtype=object)
        inst[f"C{i}"] = np.array([q(1, 2), q(-1, 4), q(1)], dtype=object)
    c_run, w_run = runs_exact(inst, "printed")
    pairs = [(a, b) for ca, wa in zip(c_run, w_run, strict=True)
             for a, b in zip(ca, wa, strict=True)]
    assert all(a == b for a, b in pairs)
    c_run, w_run = runs_exact(inst, "plain")
    pairs = [(a, b) for ca, wa in zip(c_run[1:], w_run[1:], strict=True)
             for a, b in zip(ca, wa, strict=True)]
    assert any(a != b for a, b in pairs)
