"""What both charts share: text measures, rounding, ids and box arithmetic."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal

CHAR_WIDTH = 6.5  # average glyph width of the 11 px chart font (system-ui), slightly generous
BOLD_CHAR_WIDTH = 7.2  # the same for bold labels (highlighted models)
RADAR_CHAR_WIDTH = 7.8  # radar axis labels are 12 px semibold
RADAR_LINE = 14.0  # line height of wrapped radar axis labels
LABEL_ASCENT, LABEL_DESCENT = 9.0, 3.0  # 11 px text box around its baseline
PALETTE_SIZE = 10  # .prov-0 … .prov-9 in charts.css
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Anchor = Literal["start", "middle", "end"]  # SVG text-anchor


def _r(v: float) -> float:
    return round(v, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def _pts(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_r(x):g},{_r(y):g}" for x, y in coords)


def _chart_id(kind: str, *parts: object) -> str:
    """A deterministic id prefix, unique per chart content, for aria-labelledby targets."""
    return f"{kind}-{hashlib.blake2s(repr(parts).encode(), digest_size=4).hexdigest()}"


def _rbox(b: Box) -> Box:
    return _r(b[0]), _r(b[1]), _r(b[2]), _r(b[3])


def _square(x: float, y: float, r: float) -> Box:
    return x - r, y - r, x + r, y + r
