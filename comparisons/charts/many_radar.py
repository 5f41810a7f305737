"""The "compare many" page's radar: one polygon per model over the live categories.

Every live category where each model has a figure is an axis: a measured score, or the
capability fit's estimate where a model has none. Estimated points are drawn hollow and their
values carry "≈", so an estimate is never read as a measurement; a category with no figure for
some model is left out, because a missing score is unknown, not 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from comparisons.charts.geometry import _chart_id, _pts
from comparisons.charts.radar import RadarFrame, radar_frame
from comparisons.formatting import format_score
from comparisons.presenter import ESTIMATE_MARK


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    text: str  # the tooltip: "Coding: GPT-4.1 ≈58.0"
    estimated: bool


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    index: int  # 0-5: the colour (.prov-N) and the line pattern (.series-line-N)
    points: str
    markers: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class ManyRadar:
    id_prefix: str
    names: tuple[str, ...]
    axes: tuple[str, ...]  # category labels, in display order
    values: tuple[tuple[str, ...], ...]  # per axis, each model's figure as printed ("≈58.0")
    frame: RadarFrame | None  # None with fewer than three axes: no polygon to draw
    series: tuple[Series, ...]

    @property
    def rows(self) -> list[tuple[str, tuple[str, ...]]]:
        """(category label, each model's figure as printed): the table beside the picture."""
        return list(zip(self.axes, self.values, strict=True))

    @property
    def estimates(self) -> bool:
        return any(ESTIMATE_MARK in v for row in self.values for v in row)

    @property
    def title(self) -> str:
        return f"{', '.join(self.names)} by category"

    @property
    def desc(self) -> str:
        if not self.axes:
            return "No category has a figure for every model."
        rows = (
            f"{axis}: " + ", ".join(f"{n} {v}" for n, v in zip(self.names, row, strict=True))
            for axis, row in zip(self.axes, self.values, strict=True)
        )
        lead = "Category scores out of 100; ≈ marks an estimate. "
        return lead + "; ".join(rows) + "."


def many_radar(
    axes: Sequence[tuple[str, str]],
    models: Sequence[tuple[str, Mapping[str, float], Mapping[str, float]]],
    *,
    size: int = 360,
) -> ManyRadar:
    """A radar of category scores (0-100), one series per model.

    ``axes`` are (category slug, label) in display order; ``models`` are (name, measured
    scores, estimated scores), each mapping category slug to an unrounded score. An axis is
    drawn when every model has a figure there. With fewer than three such axes there is no
    radar, only the table of values (``frame`` is None).
    """

    def figure(scores: tuple, slug: str) -> tuple[float, bool]:
        _, measured, estimated = scores
        return (measured[slug], False) if slug in measured else (estimated[slug], True)

    axes = [(s, label) for s, label in axes if all(s in m[1] or s in m[2] for m in models)]
    names = tuple(m[0] for m in models)
    values = tuple(
        tuple(
            (ESTIMATE_MARK if est else "") + format_score(v)
            for v, est in (figure(m, s) for m in models)
        )
        for s, _ in axes
    )
    chart_id = _chart_id("many-radar", names, axes, values, size)
    if len(axes) < 3:
        return ManyRadar(chart_id, names, tuple(lbl for _, lbl in axes), values, None, ())
    frame = radar_frame(axes, size)
    series = []
    for index, model in enumerate(models):
        found = [figure(model, s) for s, _ in axes]
        xy = [
            frame.at(min(max(v, 0.0), 100.0), t)
            for (v, _), t in zip(found, frame.angles, strict=True)
        ]
        markers = tuple(
            Point(x, y, f"{label}: {model[0]} {text}", est)
            for (x, y), (_, label), (_, est), text in zip(
                xy, axes, found, (row[index] for row in values), strict=True
            )
        )
        series.append(Series(model[0], index, _pts(xy), markers))
    return ManyRadar(chart_id, names, tuple(lbl for _, lbl in axes), values, frame, tuple(series))
