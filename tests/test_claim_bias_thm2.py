"""Claim-specific tests for BIAS-Thm2 (derivation helpers and the planted instances)."""

import numpy as np
import sympy

from theorems.implicit_bias import thm2


def test_gap_rates_not_equal_without_orthonormality() -> None:
    """Negative control: with a non-orthonormal U_1 the per-layer rates differ, so the
    conservation derivation is not vacuous."""
    S = sympy.Matrix(2, 1, lambda a, b: sympy.Symbol(f"s{a}", real=True))
    U = [sympy.Matrix([[1, 1], [0, 1]]), sympy.eye(2)]
    rates = thm2.gap_rates(S, U)
    first = {j: r for l, j, r in rates if l == 0}
    last = {j: r for l, j, r in rates if l == 1}
    assert any(sympy.expand(first[j] - last[j]) != 0 for j in first)


def test_symbolic_derivations_hold() -> None:
    assert thm2.derive_diagonal_form().holds
    assert thm2.derive_transpose_modulus().holds


def test_no_gap_instance_layers_stay_equal_and_loss_at_least_one() -> None:
    """The planted no-gap instance: beta = w ⊙ w >= 0 and y x <= 0, so the float loss at
    t = 100 stays >= 1 (log >= 0)."""
    prop = thm2.no_gap_property()
    excess, _ = prop.margin(thm2.NO_GAP_INSTANCE)
    assert excess[0] >= -np.log(thm2.LOSS_OK) - 1e-9


def test_instances_satisfy_hypotheses() -> None:
    assert thm2.L1_DOMAIN.admissible(thm2.L1_INSTANCE)[0]
    assert thm2.L1_DOMAIN.admissible(thm2.L2_INSTANCE)[0]
    assert not thm2.L1_DOMAIN.admissible({**thm2.NO_GAP_INSTANCE, "L": 2})[0]
