"""BIAS-Eq2 (tensor formulation (2)-(6), §3 / App B): documented counterexamples, derivations.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from theorems.implicit_bias import eq2
from verify.core import tensor_networks as tn


def test_documented_counterexample_values():
    inst = {k: (v[None] if isinstance(v, np.ndarray) else v)
            for k, v in eq2.COUNTEREXAMPLE.items()}
    f_direct, f_tensor = eq2._sides(inst, "printed", linear=False)
    assert (f_direct[0], f_tensor[0]) == (6, 8)


def test_conv_needs_no_vanishing_activation():
    bad = eq2._mismatches(vanishing=False)
    assert bad and all(case[0] != 1 for case in bad)
    assert all(case[1] == 3 for case in bad)
    assert eq2._mismatches(vanishing=True) == []


def test_printed_fc_tensor_for_l2_is_kron_of_identity_and_x():
    x = [Fraction(1), Fraction(2), Fraction(3)]
    T = eq2.printed_fc_tensor(x, (3, 2))
    assert np.array_equal(T.astype(float), np.kron(np.eye(2), np.array(x, float)[:, None]))


def test_float_sides_agree_with_engine_forward():
    rng = np.random.default_rng(1)
    for arch, L, d, a, b in eq2.SYMBOLIC_CASES:
        net = eq2.network(arch, L, d, a, b)
        theta = rng.standard_normal((4, sum(net.sizes)))
        x = rng.standard_normal((4, d))
        batch = {"arch": arch, "L": L, "d": d, "a": a, "b": b, "theta": theta, "x": x}
        sides = eq2._sides(batch, "printed", linear=True)
        forward = np.einsum("bz,bz->b", x, tn.beta(net, eq2.split(theta, net.sizes)))
        for s in sides:
            assert np.allclose(s, forward)
