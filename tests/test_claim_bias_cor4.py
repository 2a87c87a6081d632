"""BIAS-Cor4: derivation helpers and the uncovered case x^T ←x = 0.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

import mpmath
import numpy as np

from theorems.implicit_bias import cor4
from verify.core import single_point as sp
from verify.core import tensor_networks as tn
from verify.domain import take, to_exact


def test_derivation_holds() -> None:
    assert cor4.derive_corollary4().holds


def test_shifts_follow_the_papers_convolution() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert list(cor4.left(x)) == [2, 3, 4, 1] and list(cor4.right(x)) == [4, 1, 2, 3]
    v1, v2 = np.array([1.0, 1.0]), x + cor4.left(x)
    beta = tn.beta(tn.conv(4, (2, 4)), [v1[None], v2[None]])[0]
    assert np.allclose(beta, 2 * x + cor4.left(x) + cor4.right(x))


def test_printed_direction_is_the_limit() -> None:
    batch = cor4._exact(2, [1, 2, -1, 0.5], [1, 0.25], [0.5, -0.25, 0, 0.5], -1)
    inst = to_exact(take(batch, 0))
    assert cor4.exact_ok(inst)
    with mpmath.workdps(40):
        assert cor4.excess(inst, 30) < mpmath.mpf(10) ** -20


def test_zero_autocorrelation_limit_depends_on_init() -> None:
    """x = e_1 (d = 4): x^T ←x = 0, equal singular values; two admissible initializations
    give different limit directions, so no single printed case could cover it."""
    a = cor4._exact(2, [1, 0, 0, 0], [2, 1], [0.5, 0, 0, -0.25], 1)
    b = cor4._exact(2, [1, 0, 0, 0], [1, 2], [0, 0, 0, 0], 1)
    betas = []
    for batch in (a, b):
        inst = take(batch, 0)
        assert cor4.DOMAIN.admissible(batch).all()
        betas.append(cor4.limit_beta(inst, None)[0])
    assert sp.chord(betas[0], betas[1]) > 0.1
