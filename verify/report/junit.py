"""junit.xml: one test case per claim variant; a case fails when its verdict differs from the
expected one (a mutant that is not refuted, a claim that stopped holding)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET


def render_junit(doc: dict[str, Any]) -> str:
    """The junit.xml of a results document: one suite per paper, one case per variant."""
    results = doc["results"]
    suites = ET.Element("testsuites", name="verify")
    by_paper: dict[str, list[dict[str, Any]]] = {}
    for entry in results:
        by_paper.setdefault(entry.get("paper", "?"), []).append(entry)
    for paper, entries in sorted(by_paper.items()):
        failures = sum(1 for e in entries if _failed(e))
        suite = ET.SubElement(suites, "testsuite", name=paper, tests=str(len(entries)),
                              failures=str(failures))
        for entry in entries:
            case = ET.SubElement(suite, "testcase", classname=f"{paper}.{entry['id']}",
                                 name=entry["variant"], time=str(entry.get("wall_time", 0)))
            ET.SubElement(case, "system-out").text = "\n".join([
                f"verdict: {entry['verdict']}; expected: {entry.get('expected')}; "
                f"margin: {entry.get('margin')}",
                *(f"{c.get('kind')} {c.get('name')}: {c.get('verdict')} - {c.get('details')}"
                  for c in entry.get("checks") or [] if isinstance(c, dict))])
            if _failed(entry):
                ET.SubElement(case, "failure", message=(
                    f"verdict {entry['verdict']}, expected {entry.get('expected')}"))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _failed(entry: dict[str, Any]) -> bool:
    expected = entry.get("expected")
    return expected is not None and expected != entry["verdict"]
