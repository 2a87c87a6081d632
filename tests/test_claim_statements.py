"""Every registered claim quotes its statement from the paper as printed: after normalising
whitespace, each fragment of the quoted statement (fragments are separated by "[...]" where the
module elides prose) occurs in one of the paper's text files."""

import re
from pathlib import Path

import pytest

from verify.claims import registry

CLAIMS = registry().claims()
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]+\.txt")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_statement_is_quoted_from_the_paper(claim, seeds: Path) -> None:
    files = SEED_FILE.findall(claim.paper.source)
    assert files, f"{claim.paper.key}: the paper's source names no seed file"
    paper = "".join(_normalise((seeds / name).read_text()) for name in files)
    fragments = [f for f in re.split(r"\[(?:\.\.\.|…)\]", claim.statement) if f.strip()]
    missing = [f.strip()[:80] for f in fragments if _normalise(f) not in paper]
    assert not missing, f"{claim.id}: not found in the paper as printed: {missing}"
