"""The report writers: results.json, trials.jsonl, report.md, report.html, junit.xml and the
counterexample files, from a small hand-made results document."""

from __future__ import annotations

import copy
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from verify import counterexample as cex_io
from verify import report
from verify.cli import main
from verify.errors import VerifyError
from verify.report import plots
from verify.report.html import render_html
from verify.report.markdown import block_line, render_markdown

STATEMENT = "For every A with ||A|| < 1 & n >= 2:\n  det(I - A) > 0"
TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
MATRIX_CEX = {
    "schema": 1, "claim_id": "ALPHA-Thm1", "variant": "as-printed", "check": "bound",
    "inputs": {"A": {"type": "array", "shape": [2, 2],
                     "value": [["1/3", "-2/7"], ["5/11", "0"]]},
               "n": {"type": "integer", "value": 2},
               "t": {"type": "rational", "value": "-1/9"}},
    "margin_float": 0.25, "margin_hp": "0.25000000000000000003", "excess_hp": "0.5",
    "precision": "exact:40", "seed": 7, "stage": "shrink", "tolerance": TOLERANCE,
}
SCALAR_CEX = {
    "schema": 1, "claim_id": "ALPHA-Thm1", "variant": "mutant:drop-factor", "check": "search",
    "inputs": {"x": {"type": "rational", "value": "3/4"}},
    "margin_float": 0.1, "margin_hp": "0.1", "excess_hp": "0.1", "precision": "exact:40",
    "seed": 7, "stage": "sampling", "tolerance": TOLERANCE,
}
FIGURE = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20" onload="alert(1)">'
          '<script>alert(2)</script><defs><path id="dot" d="M0 0 L1 1"/></defs>'
          '<use xlink:href="#dot"/><image xlink:href="https://example.org/x.png"/>'
          '<rect width="5" height="5" style="fill: url(https://example.org/p)"/></svg>')


def _check(kind: str, name: str, verdict: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "name": name, "verdict": verdict, "details": f"{name} details",
            "margin": extra.pop("margin", None), "margin_hp": None, "tolerance": TOLERANCE,
            "precision": "float64", "evaluations": 10, "counterexample": None,
            "near_miss": None, "figures": [], "wall_time": 0.01, "error": None, **extra}


def _entry(claim_id: str, paper: str, variant: str, verdict: str, expected: str | None,
           checks: list[dict[str, Any]]) -> dict[str, Any]:
    refuting = [c["counterexample"] for c in checks if c["counterexample"]]
    return {"id": claim_id, "paper": paper, "variant": variant, "description": f"{variant} form",
            "verdict": verdict, "expected": expected,
            "margin": max((c["margin"] for c in checks if c["margin"] is not None), default=None),
            "checks": checks, "counterexample": refuting[0] if refuting else None,
            "wall_time": 0.02}


def _claim(paper: str, title: str, location: str, statement: str, variants: list[str]) -> dict:
    return {"paper": paper, "paper_title": title, "location": location, "statement": statement,
            "asymptotic": False, "notes": "Note with *stars* and a_b.", "module": "theorems.x",
            "variants": {v: f"{v} form" for v in variants}}


def make_doc() -> dict[str, Any]:
    """Two papers: a refuted as-printed claim (matrix counterexample) with a certified
    correction and a refuted mutant; a supported claim with a near miss, trials and a figure,
    whose mutant is unexpectedly supported."""
    near = {"margin": -0.0123, "inputs": {"W": [[0.5, -0.25], [1.0, 2.0]], "k": 3},
            "dims": {"k": 3}}
    results = [
        _entry("ALPHA-Thm1", "ALPHA", "as-printed", "refuted", "refuted",
               [_check("trials", "bound", "refuted", margin=0.25, counterexample=MATRIX_CEX)]),
        _entry("ALPHA-Thm1", "ALPHA", "corrected", "certified", "certified",
               [_check("symbolic", "identity", "certified")]),
        _entry("ALPHA-Thm1", "ALPHA", "mutant:drop-factor", "refuted", "refuted",
               [_check("search", "search", "refuted", margin=0.1, counterexample=SCALAR_CEX)]),
        _entry("BETA-Lem2", "BETA", "as-printed", "supported", "supported",
               [_check("trials", "sampled", "supported", margin=-0.0123, near_miss=near,
                       figures=[{"title": "a figure", "svg": FIGURE}])]),
        _entry("BETA-Lem2", "BETA", "mutant:sign", "supported", "refuted",
               [_check("trials", "sampled", "supported", margin=-0.5)]),
    ]
    trials = [{"id": "BETA-Lem2", "variant": v, "check": "sampled", "seed": 7, "trial": i,
               "dims": {"k": 3}, "margin": -0.0123 - i / 40, "precision": "float64"}
              for v in ("as-printed", "mutant:sign") for i in range(40)]
    return {
        "schema": 1,
        "provenance": {"tool": "verify", "versions": {"verify": "0.1.0", "numpy": "2.0"},
                       "git_commit": "abc123", "seed": 7, "budget": "quick",
                       "budget_counts": {"trials": 64}, "precision": {"float": "float64",
                                                                      "high_digits": 40},
                       "jobs": 1, "wall_time": 1.5, "started_at": "2024-01-01T00:00:00+00:00",
                       "platform": "Linux x86_64, 2 cpus"},
        "papers": {"ALPHA": {"title": "Alpha paper", "source": "alpha.txt",
                             "findings": "Theorem 1 is <false> as printed.\n\nLemma 9 is open."}},
        "claims": {
            "ALPHA-Thm1": _claim("ALPHA", "Alpha paper", "§2 Thm 1", STATEMENT,
                                 ["as-printed", "corrected", "mutant:drop-factor"]),
            "BETA-Lem2": _claim("BETA", "Beta paper", "App. A", "x <= y", ["as-printed",
                                                                           "mutant:sign"]),
        },
        "results": results,
        "coverage": {"catalog": [["ALPHA-Thm1", "§2", "main theorem"],
                                 ["ALPHA-Lem9", "App. B", "a lemma"],
                                 ["BETA-Lem2", "App. A", "x <= y"]],
                     "implemented": ["ALPHA-Thm1", "BETA-Lem2"]},
        "_trials": trials,
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, list[Path]]:
    out = tmp_path_factory.mktemp("report")
    doc = make_doc()
    return doc, out, report.write(copy.deepcopy(doc), out)


def test_write_creates_every_file(written) -> None:
    _, out, paths = written
    for name in report.FILES:
        assert (out / name).is_file()
    matrix_file = out / "counterexamples" / "ALPHA-Thm1__as-printed__bound.json"
    scalar_file = out / "counterexamples" / "ALPHA-Thm1__mutant-drop-factor__search.json"
    assert paths == [out / f for f in report.FILES] + [out / "counterexamples"]
    assert sorted((out / "counterexamples").iterdir()) == [matrix_file, scalar_file]
    saved = cex_io.load(matrix_file)
    assert saved.inputs == MATRIX_CEX["inputs"] and saved.stage == "shrink"
    assert saved.instance()["A"][0, 1] == Fraction(-2, 7)


def test_results_and_trials_round_trip(written) -> None:
    doc, out, _ = written
    public = {k: v for k, v in doc.items() if k != "_trials"}
    assert report.load(out) == public
    assert report.load_trials(out) == doc["_trials"]


def test_html_is_self_contained_and_escaped(written) -> None:
    _, out, _ = written
    page = (out / "report.html").read_text()
    references = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page)
    assert references and not [r for r in references if "http" in r or r.startswith("//")]
    assert "<script" not in page and "<link" not in page and "onload" not in page
    assert "example.org" not in page
    assert page.count("<svg") == 3  # two trial histograms and the check's figure
    assert "||A|| &lt; 1 &amp; n &gt;= 2:\n  det(I - A) &gt; 0" in page
    assert STATEMENT not in page
    assert 'href="#claim-alpha-thm1"' in page and 'id="claim-alpha-thm1"' in page
    for verdict in ("certified", "supported", "refuted"):
        assert f'class="badge v-{verdict}"' in page
    assert "unexpected verdict" in page
    assert "<td>-2/7</td>" in page and "<td>5/11</td>" in page  # the matrix as a table
    assert "verify replay counterexamples/ALPHA-Thm1__as-printed__bound.json" in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # figure ids are prefixed, never clash


def test_markdown_shows_counterexample_and_flags(written) -> None:
    _, out, _ = written
    text = (out / "report.md").read_text()
    assert "[  1/3  -2/7 ]\n[ 5/11     0 ]" in text
    assert "t = -1/9" in text and "n = 2" in text
    assert "0.25000000000000000003" in text and "shrink" in text and "seed 7" in text
    assert "`verify replay counterexamples/ALPHA-Thm1__as-printed__bound.json`" in text
    assert "⚠ 1 unexpected verdict" in text
    assert "| [ALPHA-Thm1](#claim-alpha-thm1) | §2 Thm 1 | refuted | certified | 1/1 refuted |" \
        in text
    assert "0/1 refuted" in text
    assert "> For every A with \\|\\|A\\|\\| < 1 & n >= 2:  \n>   det(I - A) > 0\n" in text
    assert "## Coverage" in text and "ALPHA: 1/2 implemented" in text
    assert "near miss" in text.lower() and "[ 0.5  -0.25 ]" in text


def test_junit_has_one_case_per_variant(written) -> None:
    doc, out, _ = written
    root = ET.parse(out / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(doc["results"])
    failed = [c for c in cases if c.find("failure") is not None]
    assert [(c.get("classname"), c.get("name")) for c in failed] == [("BETA.BETA-Lem2",
                                                                      "mutant:sign")]


def test_render_reproduces_the_reports(written, tmp_path: Path) -> None:
    _, out, _ = written
    for name in ("results.json", "trials.jsonl"):
        (tmp_path / name).write_text((out / name).read_text())
    saved = report.render(report.load(tmp_path), report.load_trials(tmp_path), tmp_path)
    assert [p.name for p in saved] == ["ALPHA-Thm1__as-printed__bound.json",
                                       "ALPHA-Thm1__mutant-drop-factor__search.json"]
    for name in ("report.md", "report.html", "junit.xml"):
        assert (tmp_path / name).read_text() == (out / name).read_text(), name
    assert main(["report", str(tmp_path)]) == 0


def test_corrupt_inputs_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text("{not json")
    with pytest.raises(VerifyError, match="corrupt"):
        report.load(tmp_path)
    (tmp_path / "results.json").write_text(json.dumps({"schema": 1, "results": [{"id": 1}]}))
    with pytest.raises(VerifyError, match="result 1"):
        report.load(tmp_path)
    (tmp_path / "trials.jsonl").write_text('{"margin": 0.1}\n{oops\n')
    with pytest.raises(VerifyError, match="line 2"):
        report.load_trials(tmp_path)
    (tmp_path / "trials.jsonl").write_text("[1, 2]\n")
    with pytest.raises(VerifyError, match="line 1"):
        report.load_trials(tmp_path)
    doc = make_doc()
    doc["results"][0]["checks"][0]["counterexample"] = {"claim_id": "ALPHA-Thm1"}
    with pytest.raises(VerifyError, match="bad counterexample in ALPHA-Thm1 as-printed"):
        report.write(doc, tmp_path / "bad")
    assert not (tmp_path / "bad" / "report.md").exists()


def test_paper_sections_open_with_findings_and_tally(written) -> None:
    _, out, _ = written
    md = (out / "report.md").read_text()
    alpha = md.index("### ALPHA")
    assert md.index("Theorem 1 is <false> as printed.", alpha) < md.index("| Claim |", alpha)
    assert ("*1 statement checked: 0 hold as printed; 1 are refuted as printed (ALPHA-Thm1), "
            "with corrected variants (1 certified); 1/1 planted mutants refuted.*") in md
    assert "*1 statement checked: 1 hold as printed; 0/1 planted mutants refuted.*" in md
    page = (out / "report.html").read_text()
    assert "<p>Theorem 1 is &lt;false&gt; as printed.</p><p>Lemma 9 is open.</p>" in page


def test_minimal_document_renders() -> None:
    doc = {"schema": 1, "provenance": {}, "claims": {},
           "results": [{"id": "X-1", "variant": "as-printed", "verdict": "undecided",
                        "checks": [{"kind": "trials", "name": "t", "verdict": "undecided",
                                    "margin": "nan", "error": "Traceback ```boom```"}]}]}
    text = render_markdown(doc)
    assert "1 variant of 1 claim" in text and "raised an exception" in text
    assert "````\nTraceback ```boom```\n````" in text
    page = render_html(doc, [{"id": "X-1", "variant": "as-printed", "check": "t",
                                     "margin": float("inf")}])
    assert "<svg" in page and "non-finite left out" in page


def test_inline_svg_sanitises_and_prefixes() -> None:
    fragment = plots.inline_svg(FIGURE, "f9")
    assert fragment is not None and fragment.startswith("<svg")
    assert "script" not in fragment and "onload" not in fragment and "http" not in fragment
    assert 'id="f9-dot"' in fragment and 'xlink:href="#f9-dot"' in fragment
    assert plots.inline_svg("<html/>", "f") is None and plots.inline_svg("<svg", "f") is None


def test_histogram_is_deterministic() -> None:
    margins = [-0.5, -0.25, -0.1, 0.0, 0.2]
    first = plots.margin_histogram(margins, "m")
    assert first == plots.margin_histogram(margins, "m")
    assert "<dc:date>" not in first


def test_markdown_escaping_keeps_text_verbatim() -> None:
    assert block_line("# not a heading") == "\\# not a heading"
    assert block_line("1. not a list") == "1\\. not a list"
    assert block_line("a_b *c* <div> x < y & z") == "a_b \\*c\\* \\<div> x < y & z"
    assert block_line("\\frac{a}{b} \\{") == "\\frac{a}{b} \\\\{"


def test_histogram_of_margins_equal_to_within_an_ulp():
    import numpy as np

    from verify.report.plots import margin_histogram

    base = -0.25
    margins = [base, float(np.nextafter(base, 0.0)), base]
    assert "<svg" in margin_histogram(margins, "tight")
    assert "<svg" in margin_histogram([0.0, 0.0], "zeros")
    assert "<svg" in margin_histogram([], "empty")
