"""Every variant of every registered claim gets the verdict its module expects (quick budget),
every mutant is refuted, and every refutation replays at high precision."""

import pytest

from verify.claims import registry
from verify.testing import assert_expected_verdict

CASES = [(claim.id, variant.name) for claim in registry().claims() for variant in claim.variants]


@pytest.mark.parametrize(("claim_id", "variant"), CASES, ids=[f"{c}:{v}" for c, v in CASES])
def test_expected_verdict(claim_id: str, variant: str) -> None:
    assert_expected_verdict(registry().get(claim_id), variant)
