"""The claim library: one sub-package per paper, one module per claim id.

Each claim module defines ``CLAIM`` (a :class:`verify.claims.Claim`); the registry imports
every module below this package and collects them. Ids must come from the catalog.
"""

from theorems.catalog import CATALOG
from theorems.catalog import IDS as CLAIM_IDS
from theorems.papers import PAPERS

__all__ = ["CATALOG", "CLAIM_IDS", "PAPERS"]
