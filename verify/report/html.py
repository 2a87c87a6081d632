"""report.html: one self-contained page (inline CSS and SVG, no scripts, no external resources).

Every string taken from the results document is HTML-escaped; SVG figures supplied by checks
are sanitised by :func:`verify.report.plots.inline_svg` before they are inlined.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from typing import Any

from verify.report import common, plots
from verify.report.common import DASH, Entry, Value

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       max-width: 1100px; margin: 0 auto; padding: 1em 2em 4em; }
h1 { margin-bottom: .2em; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
h2, h3, h4 { margin-top: 1.6em; }
code, pre, .matrix { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                     font-size: 13px; }
pre { background: #f6f8fa; padding: .6em; overflow-x: auto; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
dl.prov { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; }
dl.prov dt { font-weight: 600; } dl.prov dd { margin: 0; }
.badge { display: inline-block; padding: .05em .55em; border-radius: 1em; color: #fff;
         font-size: 12px; font-weight: 600; white-space: nowrap; }
.v-certified { background: #1a7f37; } .v-supported { background: #0969da; }
.v-refuted { background: #cf222e; } .v-undecided { background: #8250df; }
.v-other { background: #6e7781; }
.counts .badge { font-size: 14px; margin-right: .4em; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; border-left-width: 6px;
        padding: .5em 1em; margin: 1em 0; }
.unexpected { color: #9a6700; font-weight: 600; }
.statement { white-space: pre-wrap; background: #f6f8fa; border-left: 4px solid #8c959f;
             padding: .6em 1em; margin: .5em 0; }
.notes { white-space: pre-wrap; margin: .5em 0; }
.claim { border-top: 2px solid #d0d7de; margin-top: 2em; }
.variant { margin-left: 1em; }
.check { margin: .5em 0 .5em 1em; padding-left: .8em; border-left: 3px solid #eaeef2; }
.facts { color: #57606a; font-size: 13px; }
table.matrix td { text-align: right; border: none; padding: .05em .5em; }
table.matrix { border-left: 2px solid #57606a; border-right: 2px solid #57606a; }
.cex { background: #ffebe9; border: 1px solid #ff8182; padding: .4em 1em; margin: .5em 0; }
.near { background: #ddf4ff; border: 1px solid #54aeff; padding: .4em 1em; margin: .5em 0; }
figure { display: inline-block; margin: .5em 1em .5em 0; }
figure svg { max-width: 100%; height: auto; }
figure svg * { stroke-linejoin: round; stroke-linecap: butt; }
figcaption { font-size: 12px; color: #57606a; }
"""


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


def badge(verdict: Any) -> str:
    """A coloured verdict badge."""
    name = str(verdict)
    cls = name if name in common.VERDICTS else "other"
    return f'<span class="badge v-{cls}">{esc(name)}</span>'


def render_html(doc: dict[str, Any], trials: list[dict[str, Any]]) -> str:
    """The self-contained HTML report of a results document and its trial records."""
    margins: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for record in trials:
        margin = record.get("margin")
        if isinstance(margin, (int, float)):
            key = (str(record.get("id")), str(record.get("variant")), str(record.get("check")))
            margins[key].append(float(margin))
    page = _Page(margins)
    body = [_header(doc.get("provenance") or {}), _summary(doc), _status(doc), _coverage(doc),
            "<h2>Claims</h2>"]
    body += [page.claim(claim) for paper in common.papers(doc) for claim in paper.claims]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>verify: proof-check report</title>\n<style>{CSS}</style>\n</head>\n"
            "<body>\n" + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")


def _header(prov: dict[str, Any]) -> str:
    versions = prov.get("versions")
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items()) \
        if isinstance(versions, dict) else DASH
    rows = [
        ("Git commit", f"<code>{esc(prov.get('git_commit', DASH))}</code>"),
        ("Seed", esc(prov.get("seed", DASH))),
        ("Budget", f"<code>{esc(prov.get('budget', DASH))}</code> "
                   f"({esc(common.mapping(prov.get('budget_counts')))})"),
        ("Precision", esc(common.mapping(prov.get("precision")))),
        ("Jobs", esc(prov.get("jobs", DASH))),
        ("Wall time", esc(common.seconds(prov.get("wall_time")))),
        ("Started", esc(prov.get("started_at", DASH))),
        ("Platform", esc(prov.get("platform", DASH))),
        ("Versions", esc(version_text)),
    ]
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f"<header><h1>Proof-check report</h1><p>{esc(prov.get('tool', 'verify'))}</p>"
            f"<dl class=\"prov\">{items}</dl></header>")


def _link(entry: Entry) -> str:
    return (f"<a href=\"#{esc(common.anchor(str(entry.get('id'))))}\">{esc(entry.get('id'))}"
            f"</a> <code>{esc(entry.get('variant'))}</code>")


def _summary(doc: dict[str, Any]) -> str:
    results = doc["results"]
    claims = {e.get("id") for e in results}
    counts = "".join(f"{badge(v)} {n} &nbsp; " for v, n in common.verdict_counts(doc).items())
    parts = ["<section id=\"summary\"><h2>Summary</h2>",
             f"<p>{common.plural(len(results), 'variant')} of "
             f"{common.plural(len(claims), 'claim')}</p>",
             f"<p class=\"counts\">{counts}</p>"]
    odd = common.unexpected(doc)
    if odd:
        items = "".join(f"<li>{_link(e)}: {badge(e.get('verdict'))}, expected "
                        f"{badge(e.get('expected'))}</li>" for e in odd)
        title = common.plural(len(odd), "unexpected verdict")
        parts.append(f"<div class=\"warn\"><strong>⚠ {title}</strong> (the verdict differs "
                     f"from the one the module expects)<ul>{items}</ul></div>")
    else:
        parts.append("<p>Every verdict matches its expectation.</p>")
    errors = common.failed_checks(doc)
    if errors:
        items = "".join(f"<li>{_link(e)}, check <code>{esc(c.get('name'))}</code></li>"
                        for e, c in errors)
        parts.append(f"<div class=\"warn\"><strong>⚠ {common.plural(len(errors), 'check')} "
                     f"raised an exception</strong> (reported as undecided)<ul>{items}</ul></div>")
    parts.append("</section>")
    return "\n".join(parts)


def _status_cell(entries: list[Entry]) -> str:
    parts = []
    for entry in entries:
        part = badge(entry.get("verdict"))
        if common.is_unexpected(entry):
            part += f" <span class=\"unexpected\">⚠ expected {esc(entry.get('expected'))}</span>"
        parts.append(part)
    return "<br>".join(parts) or DASH


def _status(doc: dict[str, Any]) -> str:
    parts = ["<section id=\"status\"><h2>Status</h2>"]
    for paper in common.papers(doc):
        title = f" — {esc(paper.title)}" if paper.title else ""
        rows = []
        for claim in paper.claims:
            kinds = common.by_kind(claim.entries)
            mutants = esc(common.mutant_summary(kinds["mutants"]))
            if any(common.is_unexpected(e) for e in kinds["mutants"]):
                mutants = f"<span class=\"unexpected\">{mutants} ⚠</span>"
            rows.append(f"<tr><td><a href=\"#{esc(common.anchor(claim.id))}\">{esc(claim.id)}"
                        f"</a></td><td>{esc(claim.info.get('location', DASH))}</td>"
                        f"<td>{_status_cell(kinds['as-printed'])}</td>"
                        f"<td>{_status_cell(kinds['corrected'])}</td><td>{mutants}</td></tr>")
        findings = "".join(f"<p>{esc(para.strip())}</p>" for para in
                           common.paper_findings(doc, paper.key).split("\n\n") if para.strip())
        parts.append(f"<h3>{esc(paper.key)}{title}</h3>{findings}"
                     f"<p><em>{esc(common.paper_tally(paper))}</em></p><table><tr><th>Claim</th>"
                     "<th>Location</th><th>As printed</th><th>Corrected</th><th>Mutants</th>"
                     f"</tr>{''.join(rows)}</table>")
    parts.append("</section>")
    return "\n".join(parts)


def _coverage(doc: dict[str, Any]) -> str:
    papers = common.coverage(doc)
    if papers is None:
        return ""
    parts = ["<section id=\"coverage\"><h2>Coverage</h2>"
             "<p>Catalogued statements that have a claim module yet.</p>"]
    for key, rows in papers:
        done = sum(1 for row in rows if row[3])
        cells = "".join(f"<tr><td>{esc(i)}</td><td>{esc(where)}</td><td>{esc(what)}</td>"
                        f"<td>{'✓' if ok else DASH}</td></tr>" for i, where, what, ok in rows)
        parts.append(f"<details><summary><strong>{esc(key)}</strong>: {done}/{len(rows)} "
                     f"implemented</summary><table><tr><th>Claim</th><th>Where</th><th>What</th>"
                     f"<th>Module</th></tr>{cells}</table></details>")
    parts.append("</section>")
    return "\n".join(parts)


def _values(values: list[Value]) -> str:
    rows = []
    for value in values:
        if value.blocks is None:
            shown = f"<code>{esc(value.text)}</code>"
        else:
            tables = []
            for label, block in value.blocks:
                cells = "".join("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in row) + "</tr>"
                                for row in block)
                caption = f"<caption>{esc(value.name + label)}</caption>" if label else ""
                tables.append(f"<table class=\"matrix\">{caption}{cells}</table>")
            shown = f"<span class=\"facts\">{esc(common.shape_text(value.shape))}</span>" + \
                "".join(tables)
        rows.append(f"<tr><th><code>{esc(value.name)}</code></th><td>{shown}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


class _Page:
    """Renders claim sections; numbers the inlined figures so their SVG ids stay unique."""

    def __init__(self, margins: dict[tuple[str, str, str], list[float]]) -> None:
        self.margins = margins
        self.figures = 0

    def claim(self, claim: common.ClaimGroup) -> str:
        info = claim.info
        parts = [f"<section class=\"claim\" id=\"{esc(common.anchor(claim.id))}\">",
                 f"<h3>{esc(claim.id)}</h3><p>{esc(info.get('paper_title', ''))} — "
                 f"{esc(info.get('location', DASH))}</p>",
                 f"<div class=\"statement\">{esc(info.get('statement') or '(no statement)')}"
                 "</div>"]
        if info.get("asymptotic"):
            parts.append("<p><em>Asymptotic statement: it can be supported, never certified."
                         "</em></p>")
        if info.get("notes"):
            parts.append(f"<div class=\"notes\"><strong>Notes.</strong> {esc(info['notes'])}"
                         "</div>")
        if info.get("module"):
            parts.append(f"<p class=\"facts\">Module: <code>{esc(info['module'])}</code></p>")
        parts += [self.variant(entry) for entry in claim.entries]
        parts.append("</section>")
        return "\n".join(parts)

    def variant(self, entry: Entry) -> str:
        expected = entry.get("expected")
        flag = " <span class=\"unexpected\">⚠ unexpected</span>" \
            if common.is_unexpected(entry) else ""
        parts = [f"<div class=\"variant\"><h4><code>{esc(entry.get('variant'))}</code> "
                 f"{badge(entry.get('verdict'))}{flag}</h4>"]
        if entry.get("description"):
            parts.append(f"<p><em>{esc(entry['description'])}</em></p>")
        parts.append(f"<p class=\"facts\">expected: {badge(expected) if expected else '(none)'}"
                     f"; worst margin {esc(common.number(entry.get('margin')))}; "
                     f"{esc(common.seconds(entry.get('wall_time')))}</p>")
        parts += [self.check(entry, c) for c in common.checks(entry)]
        parts.append("</div>")
        return "\n".join(parts)

    def check(self, entry: Entry, check: dict[str, Any]) -> str:
        facts = [f"margin {esc(common.number(check.get('margin')))}"]
        if check.get("margin_hp"):
            facts.append(f"high precision: {esc(check['margin_hp'])}")
        facts += [f"precision <code>{esc(check.get('precision', DASH))}</code>",
                  f"tolerance {esc(common.tolerance(check.get('tolerance')))}",
                  f"{esc(check.get('evaluations', 0))} evaluations",
                  esc(common.seconds(check.get("wall_time")))]
        parts = [f"<div class=\"check\"><p><strong>{esc(check.get('kind'))}</strong> "
                 f"<code>{esc(check.get('name'))}</code> {badge(check.get('verdict'))} "
                 f"{esc(check.get('details', ''))}</p>",
                 f"<p class=\"facts\">{'; '.join(facts)}</p>"]
        near = check.get("near_miss")
        if isinstance(near, dict):
            extra = "".join(f"; {k} {esc(common.mapping(near[k]))}" for k in ("stage", "dims")
                            if near.get(k) is not None)
            parts.append(f"<div class=\"near\"><strong>Near miss</strong>: margin "
                         f"{esc(common.number(near.get('margin')))}{extra} (inputs rounded)"
                         f"{_values(common.rounded_inputs(near.get('inputs')))}</div>")
        cex = check.get("counterexample")
        if isinstance(cex, dict):
            parts.append(self.counterexample(entry, check, cex))
        if check.get("error"):
            parts.append(f"<details><summary>error</summary><pre>{esc(check['error'])}</pre>"
                         "</details>")
        parts.append(self.figures_of(entry, check))
        parts.append("</div>")
        return "\n".join(p for p in parts if p)

    @staticmethod
    def counterexample(entry: Entry, check: dict[str, Any], cex: dict[str, Any]) -> str:
        path = common.counterexample_relpath(str(entry.get("id")), str(entry.get("variant")),
                                             str(check.get("name")))
        return (f"<div class=\"cex\"><strong>Counterexample</strong> (found by "
                f"{esc(cex.get('stage', DASH))}, seed {esc(cex.get('seed', DASH))}), exact "
                f"inputs:{_values(common.exact_inputs(cex.get('inputs')))}"
                f"<p>high-precision margin {esc(cex.get('margin_hp', DASH))} (float64: "
                f"{esc(common.number(cex.get('margin_float')))}); excess "
                f"{esc(cex.get('excess_hp', DASH))}; precision "
                f"<code>{esc(cex.get('precision', DASH))}</code>; tolerance "
                f"{esc(common.tolerance(cex.get('tolerance')))}</p>"
                f"<p>replay (from the report directory): <code>verify replay {esc(path)}</code> "
                f"(<a href=\"{esc(path)}\">file</a>)</p></div>")

    def figures_of(self, entry: Entry, check: dict[str, Any]) -> str:
        svgs: list[tuple[str, str]] = []
        key = (str(entry.get("id")), str(entry.get("variant")), str(check.get("name")))
        margins = self.margins.get(key)
        if check.get("kind") in ("trials", "search") and margins:
            finite = sum(1 for m in margins if math.isfinite(m))
            title = f"margins of {common.plural(finite, 'instance')}"
            svgs.append((title, plots.margin_histogram(margins, title)))
        for fig in check.get("figures") or []:
            if isinstance(fig, dict) and isinstance(fig.get("svg"), str):
                svgs.append((str(fig.get("title", "")), fig["svg"]))
        out = []
        for title, svg in svgs:
            self.figures += 1
            inline = plots.inline_svg(svg, f"fig{self.figures}")
            shown = inline if inline is not None else \
                "<p class=\"facts\">(figure omitted: not valid SVG)</p>"
            out.append(f"<figure>{shown}<figcaption>{esc(title)}</figcaption></figure>")
        return "".join(out)
