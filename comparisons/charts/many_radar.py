"""The "compare many" page's radar: one polygon per model over the categories all of them have."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from comparisons.charts.geometry import _chart_id, _pts
from comparisons.charts.radar import Mark, RadarFrame, radar_frame
from comparisons.formatting import format_score


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    index: int  # 0-5: the colour (.prov-N) and the line pattern (.series-N)
    points: str
    markers: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class ManyRadar:
    id_prefix: str
    names: tuple[str, ...]
    axes: tuple[str, ...]  # category labels, in display order
    values: tuple[tuple[str, ...], ...]  # per axis, each model's score as printed
    frame: RadarFrame | None  # None with fewer than three axes: no polygon to draw
    series: tuple[Series, ...]

    @property
    def title(self) -> str:
        return f"{', '.join(self.names)} by category"

    @property
    def desc(self) -> str:
        if not self.axes:
            return "No category is measured for every model."
        rows = (
            f"{axis}: " + ", ".join(f"{n} {v}" for n, v in zip(self.names, row, strict=True))
            for axis, row in zip(self.axes, self.values, strict=True)
        )
        return "Category scores out of 100. " + "; ".join(rows) + "."


def many_radar(
    axes: Sequence[tuple[str, str]],
    models: Sequence[tuple[str, Mapping[str, float]]],
    *,
    size: int = 360,
) -> ManyRadar:
    """A radar of category scores (0-100) for each of ``models`` (name, category slug -> score).

    Only the ``axes`` (slug, label) every model has a measured score for are drawn: a missing
    score is unknown, not 0. With fewer than three such categories there is no radar, only the
    table of values (``frame`` is None).
    """
    axes = [(s, label) for s, label in axes if all(s in scores for _, scores in models)]
    names = tuple(name for name, _ in models)
    values = tuple(tuple(format_score(scores[s]) for _, scores in models) for s, _ in axes)
    chart_id = _chart_id("many-radar", names, axes, values, size)
    if len(axes) < 3:
        return ManyRadar(chart_id, names, tuple(lbl for _, lbl in axes), values, None, ())
    frame = radar_frame(axes, size)
    series = []
    for index, (name, scores) in enumerate(models):
        clamped = [min(max(scores[s], 0.0), 100.0) for s, _ in axes]
        points = [frame.at(v, t) for v, t in zip(clamped, frame.angles, strict=True)]
        markers = tuple(
            Mark(x, y, f"{label}: {name} {format_score(scores[s])}")
            for (x, y), (s, label) in zip(points, axes, strict=True)
        )
        series.append(Series(name, index, _pts(points), markers))
    return ManyRadar(chart_id, names, tuple(lbl for _, lbl in axes), values, frame, tuple(series))


__all__ = ["ManyRadar", "Series", "many_radar"]
