"""ALIGN-Prop1: the rank-one witness, exactly, on a fixed instance.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""


def test_rank_one_witness_exact_on_fixed_instance():
    from fractions import Fraction as F

    import numpy as np

    from theorems.alignment.prop1 import invariance_property

    z = np.zeros((2, 2), dtype=object) * F(0)
    inst = {"d": 3, "k0": 2, "h": 2, "n": 2, "R0": z + F(1, 2), "R1": z.copy(),
            "R2": z + F(1, 4), "R3": z.copy(),
            "X": np.array([[F(1), F(1, 2)], [F(0), F(1)]], dtype=object),
            "yv": np.array([F(1), F(-1)], dtype=object),
            "s": np.array([F(1), F(1, 2), F(2), F(1)], dtype=object),
            "s2": np.array([F(1, 2)] * 4, dtype=object), "lr": F(1, 8), "snap": F(1, 2)}
    R = inst["R0"].copy()
    R[0, 1] = F(-1, 2)
    inst["R0"] = R
    assert invariance_property("squared").margin_hp(inst, 30)[0] == 0
    assert invariance_property("squared", strong=True).margin_hp(inst, 30)[0] > 0
