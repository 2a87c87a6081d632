"""SVG figures for the HTML report: margin histograms, and safe inlining of SVG documents.

Figures are drawn with matplotlib's object-oriented API (no pyplot, so no interactive
backend and no global figure state) and saved as SVG with a fixed hash salt and no date, so
the same data always gives the same bytes. :func:`inline_svg` turns any SVG document (ours,
or one a check supplied) into a fragment that can sit inside an HTML page: no XML prolog or
DOCTYPE, no metadata, no scripts, event handlers, style sheets or external references, and
element ids prefixed so several figures on one page do not clash.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATTRIBUTE_PREFIX = {"": "", XLINK_NS: "xlink:", XML_NS: "xml:"}
_DROPPED = {"script", "foreignObject", "metadata", "style"}
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)
_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#([^)'\"]+)\1\s*\)")
SVG_RC = {"svg.hashsalt": "verify-report", "svg.fonttype": "none", "font.size": 8.0}


def margin_histogram(margins: Sequence[float], title: str) -> str:
    """An SVG histogram of signed margins, with the violation boundary (0) marked.

    Non-finite margins are left out (and counted in the x-axis label).
    """
    import matplotlib
    from matplotlib.figure import Figure

    finite = [m for m in margins if math.isfinite(m)]
    skipped = len(margins) - len(finite)
    with matplotlib.rc_context(SVG_RC):
        fig = Figure(figsize=(4.4, 2.3))
        ax = fig.add_subplot()
        bins = max(5, min(40, int(math.sqrt(len(finite))) + 1))
        low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
        spread = max(high - low, 1e-6 * max(abs(low), abs(high), 1e-300))
        if high - low < spread:  # margins equal to within rounding: one visible bar
            centre = (low + high) / 2
            low, high = centre - spread, centre + spread
        ax.hist(finite, bins=bins, range=(low, high), color="#4878a8", edgecolor="white",
                linewidth=0.4)
        ax.axvline(0.0, color="#c0392b", linestyle="--", linewidth=1.0, label="violation (> 0)")
        label = "signed margin (< 0: the statement holds)"
        if skipped:
            label += f"; {skipped} non-finite left out"
        ax.set_xlabel(label)
        ax.set_ylabel("instances")
        ax.set_title(title)
        ax.legend(loc="best", frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def inline_svg(svg: str, prefix: str) -> str | None:
    """A sanitised SVG fragment for inlining in HTML, or None when ``svg`` is not SVG XML.

    Only SVG elements survive (namespace-free, as HTML expects), with ``xlink:``/``xml:``
    attributes; ids become ``<prefix>-<id>`` and local references follow them.
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return None
    if root.tag not in ("svg", f"{{{SVG_NS}}}svg"):
        return None
    root.tag = "svg"
    _clean(root)
    ids = {el.get("id"): f"{prefix}-{el.get('id')}" for el in root.iter() if el.get("id")}
    for el in root.iter():
        for name, value in list(el.attrib.items()):
            el.set(name, _rename(name, value, ids))
    return ET.tostring(root, encoding="unicode")


def _split(name: str) -> tuple[str, str]:
    """``{namespace}local`` as (namespace, local); no namespace is ""."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _clean(element: ET.Element) -> None:
    for name, value in list(element.attrib.items()):
        del element.attrib[name]
        namespace, local = _split(name)
        if namespace not in _ATTRIBUTE_PREFIX or local.lower().startswith("on") or \
                _EXTERNAL_URL.search(value) or \
                (local == "href" and not value.startswith(("#", "data:image/"))):
            continue
        element.set(_ATTRIBUTE_PREFIX[namespace] + local, value)
    for child in list(element):
        namespace, local = _split(child.tag)
        if namespace not in ("", SVG_NS) or local in _DROPPED:
            element.remove(child)
        else:
            child.tag = local
            _clean(child)


def _rename(name: str, value: str, ids: dict[str, str]) -> str:
    if name == "id":
        return ids.get(value, value)
    if name.endswith("href") and value.startswith("#"):
        return "#" + ids.get(value[1:], value[1:])
    return _LOCAL_URL.sub(lambda m: f"url(#{ids.get(m.group(2), m.group(2))})", value)
