"""The report pipeline: one results document in, five files (and the counterexamples) out.

``write(doc, out_dir)`` writes results.json, trials.jsonl, report.md, report.html and
junit.xml, plus every counterexample as a replayable JSON file under ``counterexamples/``;
``load(out_dir)`` reads a saved run back so ``verify report DIR`` can re-render it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from verify.counterexample import Counterexample, save
from verify.errors import VerifyError
from verify.report.common import counterexamples
from verify.report.html import render_html
from verify.report.junit import render_junit
from verify.report.markdown import render_markdown

FILES = ("results.json", "trials.jsonl", "report.md", "report.html", "junit.xml")
COUNTEREXAMPLES = "counterexamples"


def _writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise VerifyError(f"cannot write reports to {out_dir}: {exc.strerror}") from None


def write(doc: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write all report files for a results document (with its ``_trials``) to ``out_dir``.

    Without ``_trials`` the trials already in ``out_dir`` (if any) are kept. Returns the five
    report files, then the counterexample directory if any counterexample was saved.
    """
    out_dir = Path(out_dir)
    _writable(out_dir)
    trials = doc.get("_trials")
    if trials is None:
        trials = load_trials(out_dir)
    public = {k: v for k, v in doc.items() if not k.startswith("_")}
    (out_dir / "results.json").write_text(json.dumps(public, indent=1) + "\n")
    with (out_dir / "trials.jsonl").open("w") as fh:
        for record in trials:
            fh.write(json.dumps(record, separators=(",", ":")) + "\n")
    saved = render(public, trials, out_dir)
    return [out_dir / f for f in FILES] + ([out_dir / COUNTEREXAMPLES] if saved else [])


def render(doc: dict[str, Any], trials: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """(Re-)render the reports and counterexample files; returns the counterexample files.

    Counterexample files of an earlier run that this document no longer has are removed, so
    ``counterexamples/`` always matches the report.
    A malformed counterexample in the document is a VerifyError (and nothing is written).
    """
    out_dir = Path(out_dir)
    found = []
    for entry, check, path in counterexamples(doc):
        try:
            found.append((Counterexample.from_json(check["counterexample"]), out_dir / path))
        except (VerifyError, ValueError, TypeError) as exc:
            raise VerifyError(f"bad counterexample in {entry.get('id')} {entry.get('variant')}, "
                              f"check {check.get('name')!r}: {exc}") from None
    markdown, page, junit = render_markdown(doc), render_html(doc, trials), render_junit(doc)
    keep = {path for _, path in found}
    for stale in (out_dir / COUNTEREXAMPLES).glob("*.json"):
        if stale not in keep:
            stale.unlink()
    for counterexample, path in found:
        save(counterexample, path)
    (out_dir / "report.md").write_text(markdown)
    (out_dir / "report.html").write_text(page)
    (out_dir / "junit.xml").write_text(junit)
    return [path for _, path in found]


def load(out_dir: Path) -> dict[str, Any]:
    """Read ``results.json`` from a report directory, with clear errors."""
    path = Path(out_dir) / "results.json"
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise VerifyError(f"no results.json in {out_dir} (run 'verify run --out {out_dir}')") \
            from None
    except OSError as exc:
        raise VerifyError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise VerifyError(f"corrupt {path}: invalid JSON ({exc.msg})") from None
    if not (isinstance(doc, dict) and doc.get("schema") == 1
            and isinstance(doc.get("results"), list)):
        raise VerifyError(f"{path} is not a verify results document (schema 1)")
    for number, entry in enumerate(doc["results"], start=1):
        if not (isinstance(entry, dict)
                and all(isinstance(entry.get(k), str) for k in ("id", "variant", "verdict"))):
            raise VerifyError(f"corrupt {path}: result {number} lacks an id, variant or verdict")
    return doc


def load_trials(out_dir: Path) -> list[dict[str, Any]]:
    """Read trials.jsonl (missing file: no trials); corrupt lines are a clear error."""
    path = Path(out_dir) / "trials.jsonl"
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise VerifyError(f"corrupt {path}: line {number} is not JSON") from None
            if not isinstance(record, dict):
                raise VerifyError(f"corrupt {path}: line {number} is not a JSON object")
            records.append(record)
    return records
