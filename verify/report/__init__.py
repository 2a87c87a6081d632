"""The report pipeline: one results document in, five files out.

``write(doc, out_dir)`` writes results.json, trials.jsonl, report.md, report.html and
junit.xml; ``load(out_dir)`` reads a saved run back so ``verify report DIR`` can re-render it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from verify.errors import VerifyError
from verify.report.html import render_html
from verify.report.junit import render_junit
from verify.report.markdown import render_markdown

FILES = ("results.json", "trials.jsonl", "report.md", "report.html", "junit.xml")


def _writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise VerifyError(f"cannot write reports to {out_dir}: {exc.strerror}") from None


def write(doc: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write all report files for a results document (with its ``_trials``) to ``out_dir``."""
    out_dir = Path(out_dir)
    _writable(out_dir)
    trials = doc.get("_trials")
    public = {k: v for k, v in doc.items() if not k.startswith("_")}
    (out_dir / "results.json").write_text(json.dumps(public, indent=1) + "\n")
    if trials is not None:
        with (out_dir / "trials.jsonl").open("w") as fh:
            for record in trials:
                fh.write(json.dumps(record, separators=(",", ":")) + "\n")
    else:
        trials = load_trials(out_dir)
    render(public, trials, out_dir)
    return [out_dir / f for f in FILES]


def render(doc: dict[str, Any], trials: list[dict[str, Any]], out_dir: Path) -> None:
    """(Re-)render the human-readable reports from a results document and its trials."""
    (out_dir / "report.md").write_text(render_markdown(doc))
    (out_dir / "report.html").write_text(render_html(doc, trials))
    (out_dir / "junit.xml").write_text(render_junit(doc))


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
                records.append(json.loads(line))
            except json.JSONDecodeError:
                raise VerifyError(f"corrupt {path}: line {number} is not JSON") from None
    return records
