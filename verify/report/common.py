"""What the Markdown and HTML reports share: grouping, counting, naming and formatting.

Everything here reads a results document (schema 1) defensively: a field that is missing or
has an unexpected type is shown as "-" rather than aborting the report.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

VERDICTS = ("certified", "supported", "refuted", "undecided")
KINDS = ("as-printed", "corrected", "mutants")
DASH = "-"

Entry = dict[str, Any]


def variant_kind(variant: str) -> str:
    """The status-table column of a variant: ``as-printed``, ``corrected`` or ``mutants``."""
    if variant.startswith("mutant"):
        return "mutants"
    return "as-printed" if variant == "as-printed" else "corrected"


def is_unexpected(entry: Entry) -> bool:
    """True when the variant has an expected verdict and got a different one."""
    expected = entry.get("expected")
    return expected is not None and expected != entry.get("verdict")


def unexpected(doc: dict[str, Any]) -> list[Entry]:
    """The result entries whose verdict differs from the expected one, in document order."""
    return [e for e in doc["results"] if is_unexpected(e)]


def verdict_counts(doc: dict[str, Any]) -> dict[str, int]:
    """Number of variants per verdict (all four verdicts, then any unknown ones)."""
    counts = Counter(str(e.get("verdict")) for e in doc["results"])
    return {v: counts.pop(v, 0) for v in VERDICTS} | dict(sorted(counts.items()))


def failed_checks(doc: dict[str, Any]) -> list[tuple[Entry, dict[str, Any]]]:
    """The (entry, check) pairs of checks that raised an exception."""
    return [(e, c) for e in doc["results"] for c in checks(e) if c.get("error")]


def checks(entry: Entry) -> list[dict[str, Any]]:
    """The check records of a result entry (dicts only)."""
    return [c for c in entry.get("checks") or [] if isinstance(c, dict)]


@dataclass
class ClaimGroup:
    """One claim with its catalogue information and its result entries."""

    id: str
    info: dict[str, Any]
    entries: list[Entry]


@dataclass
class PaperGroup:
    """The claims of one paper, in the order the results list them."""

    key: str
    title: str
    claims: list[ClaimGroup]


def papers(doc: dict[str, Any]) -> list[PaperGroup]:
    """Group the results by paper and claim, in order of first appearance."""
    infos = doc.get("claims") or {}
    by_claim: dict[str, ClaimGroup] = {}
    for entry in doc["results"]:
        claim_id = str(entry.get("id"))
        if claim_id not in by_claim:
            info = infos.get(claim_id)
            by_claim[claim_id] = ClaimGroup(claim_id, info if isinstance(info, dict) else {}, [])
        by_claim[claim_id].entries.append(entry)
    groups: dict[str, PaperGroup] = {}
    for claim in by_claim.values():
        key = str(claim.info.get("paper") or claim.entries[0].get("paper") or "?")
        if key not in groups:
            groups[key] = PaperGroup(key, str(claim.info.get("paper_title") or ""), [])
        groups[key].claims.append(claim)
    return list(groups.values())


def by_kind(entries: list[Entry]) -> dict[str, list[Entry]]:
    """The entries of one claim split into the status-table columns."""
    out: dict[str, list[Entry]] = {k: [] for k in KINDS}
    for entry in entries:
        out[variant_kind(str(entry.get("variant")))].append(entry)
    return out


def mutant_summary(entries: list[Entry]) -> str:
    """E.g. ``"2/2 refuted"`` for the mutants of a claim, ``"-"`` when it has none."""
    if not entries:
        return DASH
    refuted = sum(1 for e in entries if e.get("verdict") == "refuted")
    return f"{refuted}/{len(entries)} refuted"


def paper_tally(paper: PaperGroup) -> str:
    """One sentence of verdict counts for a paper's section, e.g. ``"25 statements checked:
    15 hold as printed (2 certified, 13 supported); 10 are refuted as printed (ALIGN-Thm1,
    ...), with corrected variants (10 supported); 38/38 planted mutants refuted."`` (the
    split of those that hold is given only when some are certified)."""
    printed: dict[str, list[str]] = {v: [] for v in VERDICTS}
    corrected: Counter[str] = Counter()
    mutants = []
    for claim in paper.claims:
        kinds = by_kind(claim.entries)
        for entry in kinds["as-printed"]:
            printed.setdefault(str(entry.get("verdict")), []).append(claim.id)
        corrected.update(str(e.get("verdict")) for e in kinds["corrected"])
        mutants += kinds["mutants"]
    holds = [f"{len(printed[v])} {v}" for v in ("certified", "supported") if printed[v]]
    parts = [f"{plural(len(paper.claims), 'statement')} checked: "
             f"{sum(len(printed[v]) for v in ('certified', 'supported'))} hold as printed"
             + (f" ({', '.join(holds)})" if printed["certified"] else "")]
    if printed["refuted"]:
        fixed = ", ".join(f"{n} {v}" for v, n in sorted(corrected.items()))
        parts.append(f"{len(printed['refuted'])} are refuted as printed "
                     f"({', '.join(printed['refuted'])})"
                     + (f", with corrected variants ({fixed})" if fixed else ""))
    others = {v: ids for v, ids in printed.items()
              if v not in ("certified", "supported", "refuted") and ids}
    parts += [f"{len(ids)} {v} ({', '.join(ids)})" for v, ids in others.items()]
    refuted = sum(1 for e in mutants if e.get("verdict") == "refuted")
    return "; ".join(parts) + f"; {refuted}/{len(mutants)} planted mutants refuted."


def paper_findings(doc: dict[str, Any], key: str) -> str:
    """The referee's summary of a paper from the results document ("" when absent)."""
    papers = doc.get("papers")
    info = papers.get(key) if isinstance(papers, dict) else None
    findings = info.get("findings") if isinstance(info, dict) else None
    return findings if isinstance(findings, str) else ""


def plural(count: int, noun: str) -> str:
    """``"1 claim"``, ``"2 claims"``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def slug(text: str) -> str:
    """A conservative identifier/filename fragment: runs of other characters become '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def anchor(claim_id: str) -> str:
    """The HTML/Markdown anchor of a claim's section."""
    return "claim-" + slug(claim_id).lower()


def counterexample_relpath(claim_id: str, variant: str, check: str) -> str:
    """Where the report writer saves a check's counterexample, relative to the report dir."""
    return f"counterexamples/{slug(claim_id)}__{slug(variant)}__{slug(check)}.json"


def counterexamples(doc: dict[str, Any]) -> Iterator[tuple[Entry, dict[str, Any], str]]:
    """Every counterexample of every check: (entry, check, relative path of its file)."""
    for entry in doc["results"]:
        for check in checks(entry):
            if isinstance(check.get("counterexample"), dict):
                yield entry, check, counterexample_relpath(
                    str(entry.get("id")), str(entry.get("variant")), str(check.get("name")))


def number(value: Any, digits: int = 4) -> str:
    """A margin or similar number for display; JSON's "nan"/"inf" strings pass through."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{value:.{digits}g}" if math.isfinite(value) else str(value)
    return str(value)


def seconds(value: Any) -> str:
    """A duration in seconds for display."""
    return f"{value:.3g} s" if isinstance(value, (int, float)) else DASH


def tolerance(value: Any) -> str:
    """``rtol=1e-09, atol=1e-12`` (or "-")."""
    if not isinstance(value, dict):
        return DASH
    return ", ".join(f"{k}={number(v)}" for k, v in value.items())


def mapping(value: Any) -> str:
    """A flat dict as ``k=v, k=v`` (provenance versions, budget counts, dims)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or DASH
    return DASH if value is None else str(value)


@dataclass
class Value:
    """One input of a counterexample or near miss, ready for display.

    ``blocks`` holds labelled 2-D grids of entry strings: a matrix is one block (label ""),
    a vector one row, a higher-dimensional array one block per leading index (label
    ``"[i, :, :]"``). ``text`` is used instead for scalars and for irregular values.
    """

    name: str
    text: str | None = None
    shape: tuple[int, ...] = ()
    blocks: list[tuple[str, list[list[str]]]] | None = None


def _grid(value: Any) -> Value | None:
    arr = np.array(value, dtype=object)
    if arr.ndim == 0 or any(isinstance(x, (list, dict)) for x in arr.flat):
        return None  # a scalar, or ragged nested lists
    strings = np.vectorize(str, otypes=[object])(arr) if arr.size else arr
    if arr.ndim <= 2:
        block = strings.reshape(1, -1) if arr.ndim == 1 else strings
        return Value("", shape=arr.shape, blocks=[("", block.tolist())])
    blocks = [("[" + ", ".join(str(i) for i in index) + ", :, :]", strings[index].tolist())
              for index in np.ndindex(arr.shape[:-2])]
    return Value("", shape=arr.shape, blocks=blocks)


def exact_inputs(inputs: Any) -> list[Value]:
    """Counterexample inputs ({"type": ..., "value": ...}) with their exact entries."""
    if not isinstance(inputs, dict):
        return [Value("inputs", text=json.dumps(inputs))]
    out = []
    for name, item in inputs.items():
        raw = item.get("value") if isinstance(item, dict) else item
        grid = _grid(raw) if isinstance(item, dict) and item.get("type") == "array" else None
        if grid is None:
            out.append(Value(str(name), text=raw if isinstance(raw, str) else json.dumps(raw)))
        else:
            grid.name = str(name)
            out.append(grid)
    return out


def rounded_inputs(inputs: Any) -> list[Value]:
    """Near-miss inputs (rounded floats, matrices as nested lists)."""
    if not isinstance(inputs, dict):
        return [Value("inputs", text=json.dumps(inputs))]
    out = []
    for name, raw in inputs.items():
        grid = _grid(raw) if isinstance(raw, list) else None
        if grid is None:
            out.append(Value(str(name), text=json.dumps(raw)))
        else:
            grid.name = str(name)
            out.append(grid)
    return out


def shape_text(shape: tuple[int, ...]) -> str:
    """``3×4`` for a shape."""
    return "×".join(str(n) for n in shape)


def aligned(block: list[list[str]]) -> list[str]:
    """Rows of a grid with right-aligned columns, as ``[ a  b ]`` lines."""
    if not block or not block[0]:
        return ["[ ]"]
    widths = [max(len(row[j]) for row in block) for j in range(len(block[0]))]
    return ["[ " + "  ".join(x.rjust(w) for x, w in zip(row, widths, strict=True)) + " ]"
            for row in block]


def coverage(doc: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str, bool]]]] | None:
    """The optional coverage section: per paper, (id, where, what, implemented) rows."""
    data = doc.get("coverage")
    if not isinstance(data, dict) or not isinstance(data.get("catalog"), list):
        return None
    implemented = set(data.get("implemented") or [])
    out: dict[str, list[tuple[str, str, str, bool]]] = {}
    for row in data["catalog"]:
        if isinstance(row, (list, tuple)) and len(row) == 3:
            claim_id, where, what = (str(x) for x in row)
            out.setdefault(claim_id.split("-")[0], []).append(
                (claim_id, where, what, claim_id in implemented))
    return list(out.items())
