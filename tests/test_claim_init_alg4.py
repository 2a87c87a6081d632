"""INIT-Alg4 (seed 004, §4.1): the module's helpers.

Verdicts, counterexample replay and the statement quote: tests/test_claim_verdicts.py and
tests/test_claim_statements.py."""

from __future__ import annotations

from theorems.initialization import alg4
from verify.claims import registry

CLAIM = registry().get("INIT-Alg4")


def test_claim_is_the_modules_registered_claim() -> None:
    assert CLAIM is alg4.CLAIM


def test_boxed_and_text_iterations_match_gd_exactly() -> None:
    from fractions import Fraction as F

    import numpy as np

    obj = lambda rows: np.array(rows, dtype=object) * F(1)  # noqa: E731
    inst = {"n": 2, "d": 3, "A": obj([[1, 0, 1], [0, 1, -1]]), "b": obj([1, 2]),
            "v0": obj([F(1, 2), F(-1, 4)]), "t": obj([F(1, 3), 2, 0]), "alpha": F(1, 32),
            "step": 0.5}
    for mode in ("boxed", "text"):
        assert alg4.compact_property(mode).margin_hp(inst, 30)[0] == 0
    for mode in ("lemma9-start", "output-rho2"):
        assert alg4.compact_property(mode).margin_hp(inst, 30)[0] > 0


def test_unit_vector_is_exactly_unit() -> None:
    from fractions import Fraction as F

    import numpy as np

    from verify import linalg_exact as lx

    x = alg4.exact_unit_vector(np.array([F(2, 7), F(-1, 3), F(5)], dtype=object))
    assert lx.squared_norm(x) == 1
