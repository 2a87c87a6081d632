"""INIT-Alg4 (seed 004, §4.1): verdicts, counterexample replay and the module's helpers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from theorems.initialization import alg4
from verify.budget import BUDGETS
from verify.claims import registry
from verify.counterexample import Counterexample, evaluate_hp
from verify.runner import run_variant

CLAIM = registry().get("INIT-Alg4")


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    out = {}
    for variant in CLAIM.variants:
        start = time.perf_counter()
        out[variant.name] = run_variant(CLAIM, variant, BUDGETS["quick"], seed=0)
        out[variant.name]["_seconds"] = time.perf_counter() - start
    return out


def test_statement_is_quoted_verbatim() -> None:
    with open("/work/shared/seeds/004_bae8d3aeafe845f9.txt") as fh:
        assert alg4.STATEMENT in fh.read()
    assert CLAIM is alg4.CLAIM


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants])
def test_variant_verdict_is_the_expected_one(results: dict, name: str) -> None:
    assert results[name]["verdict"] == CLAIM.variant(name).expected.value
    assert results[name]["_seconds"] < 15


@pytest.mark.parametrize("name", [v.name for v in CLAIM.variants
                                  if v.expected is not None and v.expected.value == "refuted"])
def test_refuted_variant_counterexample_replays(results: dict, name: str) -> None:
    cex = results[name]["counterexample"]
    assert cex is not None
    parsed = Counterexample.from_json(cex)
    replay = CLAIM.variant(name).check(parsed.check).replay
    hp = evaluate_hp(replay, parsed.instance(), parsed.tolerance, 50)
    assert hp is not None and hp.violated


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
