"""report.md: status tables per paper, then each claim with its statement and variants."""

from __future__ import annotations

from typing import Any


def render_markdown(doc: dict[str, Any]) -> str:
    prov = doc.get("provenance", {})
    lines = ["# Proof-check report", "",
             f"Budget `{prov.get('budget')}`, seed {prov.get('seed')}, commit "
             f"`{prov.get('git_commit')}`, wall time {prov.get('wall_time')} s.", ""]
    for entry in doc["results"]:
        lines.append(f"- {entry['id']} `{entry['variant']}`: **{entry['verdict']}**")
    return "\n".join(lines) + "\n"
