import numpy as np
import pytest

from verify.errors import VerifyError
from verify.verdicts import Tolerance, Verdict, combine, relative_margin

C, S, R, U = Verdict.CERTIFIED, Verdict.SUPPORTED, Verdict.REFUTED, Verdict.UNDECIDED


@pytest.mark.parametrize(("verdicts", "asymptotic", "expected"), [
    ([C, C], False, C),
    ([C, S], False, S),
    ([C, S, U], False, U),
    ([C, U, R], False, R),
    ([R], False, R),
    ([C], True, S),
    ([R], True, R),
    ([], False, U),
])
def test_combine(verdicts, asymptotic, expected):
    assert combine(verdicts, asymptotic=asymptotic) is expected


def test_tolerance_scales_with_problem():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert not tol.violated(1e-7, 1.0)
    assert tol.violated(1e-5, 1.0)
    assert not tol.violated(1e-5, 100.0)
    np.testing.assert_array_equal(tol.violated([0.0, 2e-6], [1.0, 1.0]), [False, True])


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_tolerance_rejects_bad_values(bad):
    with pytest.raises(VerifyError):
        Tolerance(rtol=bad)


def test_relative_margin_sign():
    np.testing.assert_allclose(relative_margin([-1.0, 2.0], [4.0, 4.0]), [-0.25, 0.5])
    assert np.isfinite(relative_margin(1.0, 0.0))
