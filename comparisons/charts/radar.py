"""The comparison page's category radar, with its bar-chart and table alternatives."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from comparisons.charts.geometry import (
    RADAR_CHAR_WIDTH,
    RADAR_LINE,
    Anchor,
    Box,
    _chart_id,
    _pts,
    _r,
    _rbox,
    _square,
)
from comparisons.formatting import format_score

# --- Radar ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A position with text: a text baseline, or a marker's centre and its tooltip."""

    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class AxisLabel:
    slug: str
    anchor: Anchor
    lines: tuple[Mark, ...]  # long labels wrap onto two lines
    box: Box  # estimated extent, inside the viewBox


@dataclass(frozen=True, slots=True)
class Ring:
    value: int  # 20, 40 … 100
    points: str
    label: Mark


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    width: float
    value: Mark  # the score, just after the end of the bar


@dataclass(frozen=True, slots=True)
class BarGroup:
    label: Mark
    a: Bar
    b: Bar


@dataclass(frozen=True, slots=True)
class ValueRow:
    label: str
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class RadarChart:
    """A radar of shared categories, or paired bars when fewer than three make no polygon."""

    kind: Literal["radar", "bars"]
    id_prefix: str
    a_name: str
    b_name: str
    view_box: str
    rows: tuple[ValueRow, ...]  # the text alternative: <desc> and the hidden table
    cx: float = 0.0
    cy: float = 0.0
    rings: tuple[Ring, ...] = ()
    spokes: tuple[tuple[float, float], ...] = ()  # outer ends; spokes start at (cx, cy)
    labels: tuple[AxisLabel, ...] = ()
    a_points: str = ""
    b_points: str = ""
    a_markers: tuple[Mark, ...] = ()
    b_markers: tuple[Mark, ...] = ()
    bars: tuple[BarGroup, ...] = ()
    bar_track: float = 0.0  # width of a bar at 100

    @property
    def title(self) -> str:
        return f"{self.a_name} vs {self.b_name} by category"

    @property
    def summary(self) -> list[str]:
        return [f"{r.label}: {r.a} vs {r.b}" for r in self.rows]

    @property
    def desc(self) -> str:
        head = f"Category scores out of 100, {self.a_name} vs {self.b_name}: "
        return head + "; ".join(self.summary) + "." if self.rows else "No categories in common."


def _wrap(label: str, limit: int = 12) -> tuple[str, ...]:
    """Split a long axis label at the space nearest its middle, so the radar stays narrow."""
    if len(label) <= limit or " " not in label:
        return (label,)
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return label[:cut], label[cut + 1 :]


@dataclass(frozen=True, slots=True)
class RadarFrame:
    """What every radar draws whatever its series: rings, spokes, axis labels and the viewBox."""

    c: float  # centre (x and y)
    radius: float  # of the 100 ring
    angles: tuple[float, ...]
    view_box: str
    rings: tuple[Ring, ...]
    spokes: tuple[tuple[float, float], ...]
    labels: tuple[AxisLabel, ...]

    def at(self, value: float, angle: float) -> tuple[float, float]:
        k = self.radius * value / 100
        return _r(self.c + k * math.cos(angle)), _r(self.c + k * math.sin(angle))


def radar_frame(axes: Sequence[tuple[str, str]], size: int) -> RadarFrame:
    """The frame of a radar with ``axes`` (slug, label), three or more, first at the top."""
    c, radius = size / 2, size / 2 - 6
    angles = [-math.pi / 2 + 2 * math.pi * i / len(axes) for i in range(len(axes))]

    def at(value: float, angle: float) -> tuple[float, float]:
        k = radius * value / 100
        return _r(c + k * math.cos(angle)), _r(c + k * math.sin(angle))

    labels, boxes = [], [_square(*at(100, t), 4) for t in angles]  # the outer ring and its dots
    for (slug, text), t in zip(axes, angles, strict=True):
        cos, sin = math.cos(t), math.sin(t)
        # Right of the centre a label starts at its spoke, left of it it ends there, near the
        # vertical it is centred: no label can run back over the chart.
        anchor = "middle" if abs(cos) < 0.26 else ("start" if cos > 0 else "end")
        lx, ly = c + (radius + 10) * cos, c + (radius + 10) * sin
        lines = _wrap(text)
        top = ly - RADAR_LINE * len(lines) * (1 - sin) / 2  # above at the top, below at the bottom
        w = max(map(len, lines)) * RADAR_CHAR_WIDTH
        x0 = {"start": lx, "middle": lx - w / 2, "end": lx - w}[anchor]
        box = _rbox((x0, top, x0 + w, top + RADAR_LINE * len(lines)))
        marks = tuple(Mark(_r(lx), _r(top + 11 + RADAR_LINE * i), s) for i, s in enumerate(lines))
        labels.append(AxisLabel(slug, anchor, marks, box))
        boxes.append(box)
    x0, y0 = min(b[0] for b in boxes) - 4, min(b[1] for b in boxes) - 4
    x1, y1 = max(b[2] for b in boxes) + 4, max(b[3] for b in boxes) + 4
    rings = tuple(
        Ring(
            v,
            _pts([at(v, t) for t in angles]),
            Mark(_r(c + 3), _r(c - radius * v / 100 - 3), str(v)),
        )
        for v in (20, 40, 60, 80, 100)
    )
    return RadarFrame(
        c,
        radius,
        tuple(angles),
        f"{_r(x0):g} {_r(y0):g} {_r(x1 - x0):g} {_r(y1 - y0):g}",
        rings,
        tuple(at(100, t) for t in angles),
        tuple(labels),
    )


def radar_chart(
    axes: Sequence[tuple[str, str]],
    a: Mapping[str, float],
    b: Mapping[str, float],
    a_name: str,
    b_name: str,
    *,
    size: int = 320,
) -> RadarChart:
    """Geometry of a radar of category scores (0-100) for models a and b.

    ``axes`` are (category slug, label) in display order; only categories both models have are
    drawn, because a missing score is unknown, not 0. ``size`` is the diameter of the 100 ring
    plus room for markers; the viewBox grows around it to fit the axis labels. With fewer than
    three categories the polygon would be a line or a dot, so the chart becomes paired horizontal
    bars (``kind == "bars"``).
    """
    axes = [(slug, label) for slug, label in axes if slug in a and slug in b]
    va = [min(max(a[slug], 0.0), 100.0) for slug, _ in axes]
    vb = [min(max(b[slug], 0.0), 100.0) for slug, _ in axes]
    rows = tuple(ValueRow(lbl, format_score(a[s]), format_score(b[s])) for s, lbl in axes)
    chart_id = _chart_id("radar", a_name, b_name, axes, va, vb, size)
    if len(axes) < 3:
        # As wide as a radar with its labels, so the text comes out the same size on the page.
        width = size * 3 // 2
        track, groups = width - 44.0, []  # 44: room for "100.0" after a full bar
        for i, ((_, label), x, z) in enumerate(zip(axes, va, vb, strict=True)):
            y = 58.0 * i
            groups.append(BarGroup(
                Mark(0, y + 12, label),
                Bar(y + 18, _r(track * x / 100), Mark(_r(track * x / 100 + 5), y + 28, rows[i].a)),
                Bar(y + 34, _r(track * z / 100), Mark(_r(track * z / 100 + 5), y + 44, rows[i].b)),
            ))  # fmt: skip
        height = max(58 * len(axes) - 6, 20)
        return RadarChart("bars", chart_id, a_name, b_name, f"0 0 {width} {height}", rows,
                          bars=tuple(groups), bar_track=track)  # fmt: skip

    frame = radar_frame(axes, size)
    c, at, angles = frame.c, frame.at, frame.angles

    def markers(values: list[float], name: str) -> tuple[Mark, ...]:
        return tuple(
            Mark(*at(v, t), f"{lbl}: {name} {format_score(v)}")
            for v, t, (_, lbl) in zip(values, angles, axes, strict=True)
        )

    return RadarChart(
        "radar",
        chart_id,
        a_name,
        b_name,
        frame.view_box,
        rows,
        cx=_r(c),
        cy=_r(c),
        rings=frame.rings,
        spokes=frame.spokes,
        labels=frame.labels,
        a_points=_pts([at(v, t) for v, t in zip(va, angles, strict=True)]),
        b_points=_pts([at(v, t) for v, t in zip(vb, angles, strict=True)]),
        a_markers=markers(va, a_name),
        b_markers=markers(vb, b_name),
    )
