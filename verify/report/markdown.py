"""report.md: provenance, summary, status tables per paper, then each claim in detail.

Text from the results document is escaped for Markdown (backslash escapes, so the rendered
page shows it verbatim); matrices and tracebacks go into fenced code blocks.
"""

from __future__ import annotations

import re
from typing import Any

from verify.report import common
from verify.report.common import DASH, Entry, Value

# Characters that could start Markdown syntax inline: backslashes before punctuation, code,
# emphasis (an underscore only where it can open), links, table pipes, HTML tags and entities.
_SPECIAL = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[`*\[|]|(?<![A-Za-z0-9])_|<(?=[A-Za-z/!?])"
                      r"|&(?=[A-Za-z#])")
# Line starts that would become a heading, quote, list or thematic break.
_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([#>+\-=.)])")


def render_markdown(doc: dict[str, Any]) -> str:
    """The Markdown report of a results document (schema 1)."""
    lines = ["# Proof-check report", ""]
    lines += _provenance(doc.get("provenance") or {})
    lines += _summary(doc)
    lines += _status(doc)
    lines += ["## Claims", ""]
    for paper in common.papers(doc):
        for claim in paper.claims:
            lines += _claim(claim)
    lines += _coverage(doc)
    return "\n".join(lines).rstrip("\n") + "\n"


def text(value: Any) -> str:
    """Escape ``value`` for inline Markdown (one line; special characters backslashed)."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), " ".join(str(value).split("\n")))


def block_line(value: str) -> str:
    """Escape one line of a quote, including syntax that only counts at a line's start."""
    line = text(value)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def code(value: Any) -> str:
    """``value`` as inline code, with enough backticks to hold any it contains."""
    value = " ".join(str(value).split("\n"))
    ticks = "`" * (max((len(m) for m in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def fenced(lines: list[str]) -> list[str]:
    """A fenced code block holding ``lines`` (the fence outgrows any backtick run inside)."""
    longest = max((len(m) for line in lines for m in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, *lines, fence, ""]


def _cell(value: Any) -> str:
    return text(value) if value not in (None, "") else DASH


def _provenance(prov: dict[str, Any]) -> list[str]:
    versions = prov.get("versions")
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items()) \
        if isinstance(versions, dict) else DASH
    budget = f"{code(prov.get('budget'))} ({text(common.mapping(prov.get('budget_counts')))})"
    rows = [
        ("Tool", text(prov.get("tool", "verify"))),
        ("Git commit", code(prov.get("git_commit"))),
        ("Seed", _cell(prov.get("seed"))),
        ("Budget", budget),
        ("Precision", text(common.mapping(prov.get("precision")))),
        ("Jobs", _cell(prov.get("jobs"))),
        ("Wall time", common.seconds(prov.get("wall_time"))),
        ("Started", _cell(prov.get("started_at"))),
        ("Platform", _cell(prov.get("platform"))),
        ("Versions", text(version_text)),
    ]
    return ["## Provenance", "", "| | |", "|---|---|",
            *(f"| {k} | {v} |" for k, v in rows), ""]


def _link(entry: Entry) -> str:
    return (f"[{text(entry.get('id'))} {code(entry.get('variant'))}]"
            f"(#{common.anchor(str(entry.get('id')))})")


def _summary(doc: dict[str, Any]) -> list[str]:
    results = doc["results"]
    claims = {e.get("id") for e in results}
    counts = " · ".join(f"{n} {v}" for v, n in common.verdict_counts(doc).items())
    lines = ["## Summary", "", f"**{common.plural(len(results), 'variant')} of "
             f"{common.plural(len(claims), 'claim')}:** {counts}", ""]
    odd = common.unexpected(doc)
    if odd:
        lines += [f"> **⚠ {common.plural(len(odd), 'unexpected verdict')}** "
                  "(the verdict differs from the one the module expects):", ">"]
        lines += [f"> - {_link(e)}: **{text(e.get('verdict'))}**, expected "
                  f"{text(e.get('expected'))}" for e in odd]
        lines.append("")
    else:
        lines += ["Every verdict matches its expectation.", ""]
    errors = common.failed_checks(doc)
    if errors:
        lines += [f"> **⚠ {common.plural(len(errors), 'check')} raised an exception** "
                  "(reported as undecided):", ">"]
        lines += [f"> - {_link(e)}, check {code(c.get('name'))}" for e, c in errors]
        lines.append("")
    return lines


def _status_cell(entries: list[Entry]) -> str:
    parts = []
    for entry in entries:
        part = text(entry.get("verdict"))
        if common.is_unexpected(entry):
            part = f"**{part}** ⚠ (expected {text(entry.get('expected'))})"
        parts.append(part)
    return "; ".join(parts) or DASH


def _status(doc: dict[str, Any]) -> list[str]:
    lines = ["## Status", ""]
    for paper in common.papers(doc):
        title = f" — {text(paper.title)}" if paper.title else ""
        lines += [f"### {text(paper.key)}{title}", ""]
        findings = common.paper_findings(doc, paper.key)
        if findings:
            lines += [findings.strip(), ""]
        lines += [f"*{common.paper_tally(paper)}*", "",
                  "| Claim | Location | As printed | Corrected | Mutants |",
                  "|---|---|---|---|---|"]
        for claim in paper.claims:
            kinds = common.by_kind(claim.entries)
            mutants = common.mutant_summary(kinds["mutants"])
            if any(common.is_unexpected(e) for e in kinds["mutants"]):
                mutants = f"**{mutants}** ⚠"
            lines.append(f"| [{text(claim.id)}](#{common.anchor(claim.id)}) | "
                         f"{_cell(claim.info.get('location'))} | "
                         f"{_status_cell(kinds['as-printed'])} | "
                         f"{_status_cell(kinds['corrected'])} | {mutants} |")
        lines.append("")
    return lines


def _coverage(doc: dict[str, Any]) -> list[str]:
    papers = common.coverage(doc)
    if papers is None:
        return []
    lines = ["## Coverage", "", "Catalogued statements that have a claim module yet.", ""]
    for key, rows in papers:
        done = sum(1 for row in rows if row[3])
        lines += [f"### {text(key)}: {done}/{len(rows)} implemented", "",
                  "| Claim | Where | What | Module |", "|---|---|---|---|"]
        lines += [f"| {text(i)} | {_cell(where)} | {_cell(what)} | {'✓' if ok else DASH} |"
                  for i, where, what, ok in rows]
        lines.append("")
    return lines


def _claim(claim: common.ClaimGroup) -> list[str]:
    info = claim.info
    location = f" — {text(info['location'])}" if info.get("location") else ""
    lines = [f'<a id="{common.anchor(claim.id)}"></a>', "",
             f"### {text(claim.id)}{location}", ""]
    if info.get("paper_title"):
        lines += [f"*{text(info['paper_title'])}*", ""]
    statement = str(info.get("statement") or "(no statement recorded)").split("\n")
    quoted = [("> " + block_line(line)).rstrip() for line in statement]
    # two trailing spaces: a hard line break, so the statement keeps its lines when rendered
    lines += [q + "  " if q != ">" and following != ">" else q
              for q, following in zip(quoted, [*quoted[1:], ">"], strict=True)]
    lines.append("")
    if info.get("asymptotic"):
        lines += ["*Asymptotic statement: it can be supported, never certified.*", ""]
    if info.get("notes"):
        lines += [f"**Notes.** {text(info['notes'])}", ""]
    if info.get("module"):
        lines += [f"Module: {code(info['module'])}", ""]
    for entry in claim.entries:
        lines += _variant(entry)
    return lines


def _variant(entry: Entry) -> list[str]:
    expected = entry.get("expected")
    flag = " ⚠ **unexpected**" if common.is_unexpected(entry) else ""
    lines = [f"#### {code(entry.get('variant'))}: {text(entry.get('verdict'))}{flag}", ""]
    if entry.get("description"):
        lines += [f"*{text(entry['description'])}*", ""]
    lines += [f"Verdict **{text(entry.get('verdict'))}**, expected "
              f"{text(expected) if expected else '(none)'}; worst margin "
              f"{common.number(entry.get('margin'))}; {common.seconds(entry.get('wall_time'))}.",
              ""]
    checks = common.checks(entry)
    lines += [_check_line(c) for c in checks]
    lines.append("")
    for check in checks:
        lines += _check_extras(entry, check)
    return lines


def _check_line(check: dict[str, Any]) -> str:
    facts = [f"margin {common.number(check.get('margin'))}"]
    if check.get("margin_hp"):
        facts.append(f"high precision: {text(check['margin_hp'])}")
    facts += [f"precision {code(check.get('precision'))}",
              f"tolerance {text(common.tolerance(check.get('tolerance')))}",
              f"{check.get('evaluations', 0)} evaluations",
              common.seconds(check.get("wall_time"))]
    return (f"- **{text(check.get('kind'))}** {code(check.get('name'))}: "
            f"**{text(check.get('verdict'))}** — {text(check.get('details', ''))} "
            f"({'; '.join(facts)})")


def _check_extras(entry: Entry, check: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    name = code(check.get("name"))
    near = check.get("near_miss")
    if isinstance(near, dict):
        extra = "".join(f"; {k} {text(common.mapping(near[k]))}" for k in ("stage", "dims")
                        if near.get(k) is not None)
        lines += [f"**Near miss** of {name}: margin {common.number(near.get('margin'))}{extra} "
                  "(inputs rounded):", ""]
        lines += fenced(_values(common.rounded_inputs(near.get("inputs"))))
    cex = check.get("counterexample")
    if isinstance(cex, dict):
        path = common.counterexample_relpath(str(entry.get("id")), str(entry.get("variant")),
                                             str(check.get("name")))
        lines += [f"**Counterexample** from {name} (found by {text(cex.get('stage', DASH))}, "
                  f"seed {text(cex.get('seed', DASH))}), exact inputs:", ""]
        lines += fenced(_values(common.exact_inputs(cex.get("inputs"))))
        lines += [f"- high-precision margin: {text(cex.get('margin_hp', DASH))} "
                  f"(float64: {common.number(cex.get('margin_float'))})",
                  f"- excess: {text(cex.get('excess_hp', DASH))}; precision "
                  f"{code(cex.get('precision'))}",
                  f"- tolerance: {text(common.tolerance(cex.get('tolerance')))}",
                  f"- replay (from the report directory): {code('verify replay ' + path)} "
                  f"([file]({path}))", ""]
    if check.get("error"):
        lines += [f"**Error** in {name}:", ""]
        lines += fenced(str(check["error"]).rstrip("\n").split("\n"))
    return lines


def _values(values: list[Value]) -> list[str]:
    lines: list[str] = []
    for value in values:
        if value.blocks is None:
            lines.append(f"{value.name} = {value.text}")
            continue
        lines.append(f"{value.name} ({common.shape_text(value.shape)}) =")
        for label, block in value.blocks:
            if label:
                lines.append(f"{value.name}{label} =")
            lines += common.aligned(block)
    return lines
