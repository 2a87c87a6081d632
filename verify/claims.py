"""The claim model: papers, claims, variants and checks, and the claim registry."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

from verify.budget import RunContext
from verify.domain import Instance, Property
from verify.errors import VerifyError
from verify.results import CheckResult
from verify.verdicts import Verdict

CHECK_KINDS = ("symbolic", "trials", "search")
VARIANT_NAME = re.compile(r"^(as-printed|corrected|mutant:[a-z0-9][a-z0-9-]*)$")
CLAIM_ID = re.compile(r"^[A-Z][A-Z0-9]*-[A-Za-z0-9.\-]+$")
ENTRY_POINT_GROUP = "verify.claims"


@dataclass(frozen=True)
class Paper:
    """A paper whose statements are verified. ``key`` prefixes its claim ids (``INIT``);
    ``findings`` is the referee's summary shown at the top of the paper's section of the
    report (what was found, in prose; the verdict counts are added by the report)."""

    key: str
    slug: str
    title: str
    source: str = ""
    findings: str = ""


@dataclass(frozen=True)
class Check:
    """One way of checking a variant: ``run(ctx)`` returns a :class:`CheckResult`.

    ``replay(instance, digits)`` re-evaluates a saved counterexample at high precision and
    returns ``(excess, scale)`` (see :class:`verify.domain.Property`); ``prop`` is the
    property behind trials and search checks.
    """

    kind: str
    name: str
    run: Callable[[RunContext], CheckResult]
    replay: Callable[[Instance, int], Any] | None = None
    prop: Property | None = None

    def __post_init__(self) -> None:
        if self.kind not in CHECK_KINDS:
            raise VerifyError(f"check {self.name!r}: kind must be one of {CHECK_KINDS}")


@dataclass(frozen=True)
class Variant:
    """A version of the statement: ``as-printed``, ``corrected`` or ``mutant:<name>``.

    ``expected`` is the verdict the module's author established; the test-suite pins it and
    the report flags any run that disagrees.
    """

    name: str
    description: str
    checks: tuple[Check, ...]
    expected: Verdict | None = None

    def __post_init__(self) -> None:
        if not VARIANT_NAME.match(self.name):
            raise VerifyError(
                f"variant name {self.name!r} must be 'as-printed', 'corrected' or 'mutant:<name>'")
        if not self.checks:
            raise VerifyError(f"variant {self.name!r} has no checks")

    @property
    def is_mutant(self) -> bool:
        return self.name.startswith("mutant:")

    def check(self, name: str) -> Check:
        for c in self.checks:
            if c.name == name:
                return c
        raise VerifyError(f"variant {self.name!r} has no check named {name!r}")


@dataclass(frozen=True)
class Claim:
    """A formal statement of a paper and the variants that check it.

    ``statement`` quotes the paper as printed; ``location`` cites section/equation;
    ``asymptotic`` statements (t -> oo, alpha -> 0) are never certified; ``notes`` records
    e.g. textual differences with another version of the paper.
    """

    id: str
    paper: Paper
    location: str
    statement: str
    variants: tuple[Variant, ...]
    asymptotic: bool = False
    notes: str = ""
    module: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not CLAIM_ID.match(self.id):
            raise VerifyError(f"malformed claim id {self.id!r}")
        if not self.id.startswith(self.paper.key + "-"):
            raise VerifyError(f"claim id {self.id!r} does not start with {self.paper.key}-")
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise VerifyError(f"{self.id}: duplicate variant names {names}")
        if "as-printed" not in names:
            raise VerifyError(f"{self.id}: every claim needs an 'as-printed' variant")
        if not any(v.is_mutant for v in self.variants):
            raise VerifyError(f"{self.id}: every claim needs a planted 'mutant:' variant")
        printed = self.variant("as-printed")
        if printed.expected is Verdict.REFUTED and "corrected" not in names:
            raise VerifyError(f"{self.id}: the printed statement is refuted; "
                              "add a 'corrected' variant")

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        raise VerifyError(f"claim {self.id} has no variant {name!r}; "
                          f"variants: {', '.join(v.name for v in self.variants)}")


class Registry:
    """All known claims, by id; papers by key or slug."""

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}
        self.catalog: list[tuple[str, str, str]] = []
        """Catalogued statements (id, where, what) of the loaded claim packages."""
        self.declared_papers: list[Paper] = []
        """Papers the loaded packages declare (even before any claim of theirs exists)."""

    def register(self, claim: Claim) -> None:
        existing = self._claims.get(claim.id)
        if existing is not None and existing.module != claim.module:
            raise VerifyError(f"claim id {claim.id} registered twice "
                              f"({existing.module} and {claim.module})")
        self._claims[claim.id] = claim

    def __len__(self) -> int:
        return len(self._claims)

    def get(self, claim_id: str) -> Claim:
        try:
            return self._claims[claim_id]
        except KeyError:
            close = [c for c in self._claims if c.lower() == claim_id.lower()]
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise VerifyError(f"unknown claim id {claim_id!r}{hint}; "
                              "'verify list' shows the known ids") from None

    def papers(self) -> list[Paper]:
        seen: dict[str, Paper] = {p.key: p for p in self.declared_papers}
        for claim in self._claims.values():
            seen.setdefault(claim.paper.key, claim.paper)
        return sorted(seen.values(), key=lambda p: p.key)

    def coverage(self) -> dict[str, Any]:
        """Which catalogued statements have a claim module yet."""
        return {"catalog": [list(row) for row in self.catalog],
                "implemented": sorted(c for c in self._claims if c in
                                      {row[0] for row in self.catalog})}

    def paper(self, name: str) -> Paper:
        for paper in self.papers():
            if name.lower() in (paper.key.lower(), paper.slug.lower()):
                return paper
        known = ", ".join(f"{p.key} ({p.slug})" for p in self.papers())
        raise VerifyError(f"unknown paper {name!r}; known papers: {known}")

    def claims(self, paper: str | None = None) -> list[Claim]:
        claims = sorted(self._claims.values(), key=lambda c: _natural_key(c.id))
        if paper is not None:
            key = self.paper(paper).key
            claims = [c for c in claims if c.paper.key == key]
        return claims


def _natural_key(text: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def claims_in_module(module: ModuleType) -> list[Claim]:
    """The claims a module declares: a ``CLAIM`` attribute, or a ``CLAIMS`` iterable."""
    found: list[Claim] = []
    if isinstance(getattr(module, "CLAIM", None), Claim):
        found.append(module.CLAIM)
    found.extend(c for c in getattr(module, "CLAIMS", ()) if isinstance(c, Claim))
    for claim in found:
        object.__setattr__(claim, "module", module.__name__)
    return found


def claims_in_package(package: ModuleType) -> list[Claim]:
    """Import every module below ``package`` and collect the claims they declare."""
    found = claims_in_module(package)
    if hasattr(package, "__path__"):
        prefix = package.__name__ + "."
        for info in sorted(pkgutil.walk_packages(package.__path__, prefix), key=lambda i: i.name):
            try:
                module = importlib.import_module(info.name)
            except VerifyError as exc:
                raise VerifyError(f"claim module {info.name}: {exc}") from None
            found.extend(claims_in_module(module))
    return found


def _load(target: Any) -> Iterable[Claim]:
    """Claims of an entry-point target. A package may declare ``CLAIM_IDS``, the ids its
    modules are allowed to use (a claim outside that list is rejected), ``CATALOG``, rows
    (id, where, what) of every statement it means to cover, and ``PAPERS``."""
    if isinstance(target, ModuleType):
        claims = claims_in_package(target)
        allowed = getattr(target, "CLAIM_IDS", None)
        stray = [c.id for c in claims if allowed is not None and c.id not in allowed]
        if stray:
            raise VerifyError(f"{target.__name__} declares ids outside its catalog: {stray}")
        return claims
    if callable(target):
        return list(target())
    raise VerifyError(f"entry point target {target!r} is neither a module nor a callable")


_REGISTRY: Registry | None = None


def registry() -> Registry:
    """The registry of built-in claims (the ``theorems`` package) and of every package that
    declares an entry point in the ``verify.claims`` group (a module whose sub-modules define
    ``CLAIM``, or a callable returning claims). Built once per process."""
    global _REGISTRY
    if _REGISTRY is None:
        reg = Registry()
        targets: dict[str, Any] = {"theorems": importlib.import_module("theorems")}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.value not in targets:
                targets[ep.value] = ep.load()
        for target in targets.values():
            for claim in _load(target):
                reg.register(claim)
            reg.catalog.extend(getattr(target, "CATALOG", ()))
            reg.declared_papers.extend(getattr(target, "PAPERS", ()))
        _REGISTRY = reg
    return _REGISTRY
