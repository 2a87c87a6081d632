"""Figures a check attaches to its result: 2-D trajectory plots, line plots (e.g. a defect
against the GD step), and a check wrapper.

:func:`trajectory_svg` draws panels of planar trajectories (e.g. the linear coefficients
``beta(Theta(t)) in R^2`` of seed 003, Fig. 1 and Fig. 3) with matplotlib's object-oriented
API and the deterministic SVG settings of :mod:`verify.report.plots` (fixed hash salt, no
date), so the same data always gives the same bytes. :func:`with_figures` wraps any
:class:`verify.claims.Check` so that its result carries the figures (for the HTML report).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from verify.budget import RunContext
from verify.claims import Check
from verify.report import plots
from verify.results import CheckResult, Figure

FLOOR = 1e-300
"""Values below this are drawn at this level on a log axis (zero has no logarithm)."""


def curves_svg(series: Mapping[str, tuple[Sequence[float], Sequence[float]]], title: str,
               xlabel: str, ylabel: str, logy: bool = True,
               threshold: float | None = None) -> str:
    """An SVG line plot of ``{label: (x, y)}``; ``threshold`` draws a dashed horizontal line."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(plots.SVG_RC):
        fig = MplFigure(figsize=(4.8, 2.6))
        ax = fig.add_subplot()
        for label, (x, y) in series.items():
            yv = np.asarray(y, dtype=float)
            ax.plot(np.asarray(x, dtype=float), np.maximum(yv, FLOOR) if logy else yv,
                    marker="o", markersize=2.5, linewidth=1.0, label=label)
        if threshold is not None:
            ax.axhline(threshold, color="#c0392b", linestyle="--", linewidth=0.9,
                       label=f"threshold {threshold:g}")
        if logy:
            ax.set_yscale("log")
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(loc="best", frameon=False, fontsize=6)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


COLORS = ("#4878a8", "#e07b39", "#3a9a5b", "#b8475a", "#7f63b8", "#8c6d46")


@dataclass
class Panel:
    """One subplot: ``paths`` (each (R, 2)) drawn as lines from a circle (start) to a cross
    (end); ``targets`` (each (2,)) drawn as large open circles (predicted points); ``lines``
    as ``(a, b, c)`` for the line ``a z_1 + b z_2 = c``; ``limits`` the axes' box."""

    title: str
    paths: Sequence[np.ndarray]
    targets: Sequence[np.ndarray] = ()
    lines: Sequence[tuple[float, float, float]] = ()
    limits: tuple[float, float, float, float] | None = None
    labels: Sequence[str] = field(default_factory=tuple)


def trajectory_svg(title: str, panels: Sequence[Panel], xlabel: str = "[beta]_1",
                   ylabel: str = "[beta]_2") -> str:
    """An SVG document with one subplot per panel, side by side."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(plots.SVG_RC):
        fig = MplFigure(figsize=(2.6 * len(panels), 2.7))
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, panel in zip(axes, panels, strict=True):
            box = panel.limits
            for a, b, c in panel.lines:
                xs = np.linspace(box[0], box[1], 2) if box else np.linspace(-1, 1, 2)
                if b != 0:
                    ax.plot(xs, (c - a * xs) / b, color="#d4b000", linewidth=1.2)
                else:
                    ax.axvline(c / a, color="#d4b000", linewidth=1.2)
            for i, path in enumerate(panel.paths):
                path = np.asarray(path, dtype=float)
                color = COLORS[i % len(COLORS)]
                label = panel.labels[i] if i < len(panel.labels) else None
                ax.plot(path[:, 0], path[:, 1], color=color, linewidth=0.9, label=label)
                ax.plot(*path[0], "o", color="#7f3fbf", markersize=3)
                ax.plot(*path[-1], "x", color=color, markersize=5)
            for target in panel.targets:
                ax.plot(*np.asarray(target, dtype=float), "o", markerfacecolor="none",
                        markeredgecolor="#222222", markersize=7)
            if box:
                ax.set_xlim(box[0], box[1])
                ax.set_ylim(box[2], box[3])
            ax.locator_params(nbins=4)
            ax.set_title(panel.title)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            if panel.labels:
                ax.legend(loc="best", frameon=False, fontsize=6)
        fig.suptitle(title)
        fig.subplots_adjust(left=0.3 / len(panels), right=0.98, bottom=0.17, top=0.8,
                            wspace=0.4)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def with_figures(check: Check, make: Callable[[RunContext], Sequence[Figure]]) -> Check:
    """The same check, whose result also carries ``make(ctx)``'s figures (drawn after the run,
    so they can reuse whatever the run computed and cached)."""

    def run(ctx: RunContext) -> CheckResult:
        result = check.run(ctx)
        result.figures.extend(make(ctx))
        return result

    return replace(check, run=run)
