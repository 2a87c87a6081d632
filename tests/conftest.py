"""Shared fixtures: where the papers are (``../shared/seeds`` beside the checkout, or
``$VERIFY_SEEDS``)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path | None:
    """The folder holding the papers' text, if present."""
    candidates = [os.environ.get("VERIFY_SEEDS"), ROOT.parent / "shared" / "seeds"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def seeds() -> Path:
    found = seeds_dir()
    if found is None:
        pytest.skip("the papers (../shared/seeds) are not beside this checkout")
    return found
