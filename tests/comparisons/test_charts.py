"""SVG chart geometry (pure) and the two chart templates, rendered with Django's engine."""

import math
import random
import re

import pytest
from django.template.loader import render_to_string

from comparisons.charts import (
    CHAR_WIDTH,
    PricePoint,
    pareto_frontier,
    price_chart,
    provider_classes,
    radar_chart,
)

AXES = [
    ("agentic", "Agentic"),
    ("coding", "Coding"),
    ("reasoning", "Reasoning"),
    ("multimodal", "Multimodal"),
    ("knowledge", "Knowledge"),
    ("multilingual", "Multilingual"),
    ("instruction-following", "Instruction following"),
    ("math", "Math"),
]
A = {
    "agentic": 23.6,
    "coding": 61.7,
    "reasoning": 45.2,
    "multimodal": 70.1,
    "knowledge": 64.2,
    "multilingual": 80.5,
    "instruction-following": 100.0,
    "math": 0.0,
}
B = {
    "agentic": 40.3,
    "coding": 33.0,
    "reasoning": 52.8,
    "multimodal": 55.0,
    "knowledge": 50.3,
    "multilingual": 71.0,
    "instruction-following": 65.0,
    "math": 12.0,
}
NASTY = 'A<b>&"c'
ESCAPED = "A&lt;b&gt;&amp;&quot;c"


def pp(slug: str, cost: float, score: float, provider: str = "Acme", name: str = "") -> PricePoint:
    return PricePoint(slug, name or slug.upper(), provider, cost, score)


def view_box(s: str) -> tuple[float, float, float, float]:
    x, y, w, h = map(float, s.split())
    return x, y, x + w, y + h


def inside(box, frame, tol: float = 0.11) -> bool:
    return (
        box[0] >= frame[0] - tol
        and box[1] >= frame[1] - tol
        and box[2] <= frame[2] + tol
        and box[3] <= frame[3] + tol
    )


# --- Pareto frontier --------------------------------------------------------------------------


def test_pareto_frontier_by_hand():
    points = [
        pp("a", 1.0, 50),  # on: nothing cheaper is as good
        pp("b", 1.0, 40),  # same cost as a, worse: dominated
        pp("c", 2.0, 50),  # same score as a, dearer: dominated
        pp("d", 3.0, 70),  # on
        pp("e", 4.0, 60),  # dearer and worse than d: dominated
        pp("f", 5.0, 80),  # on: the best
        pp("g", 0.5, 30),  # on: the cheapest
    ]
    assert [p.slug for p in pareto_frontier(points)] == ["g", "a", "d", "f"]


def test_pareto_frontier_keeps_exact_twins_and_handles_empty():
    twins = [pp("x", 1.0, 50), pp("y", 1.0, 50), pp("z", 2.0, 45)]
    assert [p.slug for p in pareto_frontier(twins)] == ["x", "y"]
    assert pareto_frontier([]) == []


# --- Price chart ------------------------------------------------------------------------------


def dense_points() -> list[PricePoint]:
    """30 models like the real catalogue: 0.0001 to 0.5 USD, scores 20-90, some near-twins."""
    rng = random.Random(20240601)
    providers = ["OpenAI", "Anthropic", "Google", "Meta", "DeepSeek", "Mistral AI", "xAI"]
    names = [
        "GPT-4.1 nano",
        "Claude Sonnet 4.5",
        "Gemini 2.5 Flash-Lite",
        "Llama 4 Maverick",
        "DeepSeek-R1-0528",
        "Mistral Medium 3",
        "Grok 4",
        "o4-mini",
        "Qwen3-235B-A22B",
    ]
    points = []
    for i in range(24):
        cost = 10 ** rng.uniform(-4, math.log10(0.5))
        points.append(
            pp(
                f"m{i}",
                cost,
                rng.uniform(20, 90),
                rng.choice(providers),
                f"{rng.choice(names)} v{i}",
            )
        )
    # Five models crowded on one spot, and one at the far right edge (the most expensive).
    points += [
        pp(f"crowd{i}", 0.003 * (1 + i / 200), 61 + i / 10, "Google", f"Crowded model {i}")
        for i in range(5)
    ]
    points.append(pp("edge", 0.5, 90, "Anthropic", "Claude Opus 4.1 (thinking)"))
    return points


def label_box(p) -> tuple[float, float, float, float]:
    """The text box the brief promises: characters x 6.5 px at 11 px (bold a little wider)."""
    width = len(p.name) * (7.2 if p.highlight else CHAR_WIDTH)
    x0 = {"start": p.label_x, "middle": p.label_x - width / 2, "end": p.label_x - width}[
        p.label_anchor
    ]
    return x0, p.label_y - 9, x0 + width, p.label_y + 3


def test_every_label_stays_inside_the_plot_and_clear_of_the_others():
    chart = price_chart(dense_points(), highlight={"edge", "crowd2"})
    plot = (chart.left, chart.top, chart.right, chart.bottom)
    assert len(chart.points) == 30
    labelled = [p for p in chart.points if p.labelled]
    assert len(labelled) >= 15  # a crowded chart still names most of its dots
    for p in labelled:
        assert inside(label_box(p), plot), p.name
        assert inside(p.label_box, plot), p.name
        assert inside(label_box(p), view_box(chart.view_box)), p.name
    boxes = [p.label_box for p in labelled]
    assert all(overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    # No label covers another model's dot; the compared models are always labelled.
    for p in labelled:
        for q in chart.points:
            if q is not p:
                dot = (q.x - q.r, q.y - q.r, q.x + q.r, q.y + q.r)
                assert overlap(p.label_box, dot) == 0, (p.name, q.name)
    assert {p.slug for p in chart.points if p.highlight} <= {p.slug for p in labelled}
    edge = next(p for p in chart.points if p.slug == "edge")
    assert edge.label_anchor == "end" and edge.label_x < edge.x  # flipped left at the right edge
    assert edge.highlight and edge.r > next(p for p in chart.points if p.slug == "m0").r


def overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def test_labels_are_nudged_apart():
    # Four models at exactly the same spot: their labels must still not sit on each other.
    twins = [pp(f"t{i}", 0.01, 50, name=f"Model {i}") for i in range(4)]
    chart = price_chart([*twins, pp("low", 0.0005, 30), pp("high", 0.2, 80)])
    boxes = [p.label_box for p in chart.points]
    assert all(overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_cost_axis_is_logarithmic():
    chart = price_chart([pp("a", 0.001, 40), pp("b", 0.01, 50), pp("c", 0.1, 60)])
    x = {p.slug: p.x for p in chart.points}
    assert x["b"] - x["a"] == pytest.approx(x["c"] - x["b"], abs=0.11)  # a decade, same width
    decades = [t for t in chart.x_ticks if t.text in {"$0.001", "$0.01", "$0.1"}]
    assert [t.text for t in decades] == ["$0.001", "$0.01", "$0.1"]
    first, second, third = (t.pos for t in decades)
    assert second - first == pytest.approx(third - second, abs=0.2)
    assert first == pytest.approx(x["a"], abs=0.11)


def test_ticks_cover_the_data_with_padding():
    chart = price_chart(dense_points())
    labelled = [t for t in chart.x_ticks if t.text]
    assert [t.text for t in labelled] == ["$0.0001", "$0.001", "$0.01", "$0.1"]
    assert all(chart.left <= t.pos <= chart.right for t in chart.x_ticks)
    ys = [p.y for p in chart.points]
    assert chart.top < min(ys) and max(ys) < chart.bottom  # padded: no dot on the frame
    scores = [p.score for p in chart.points]
    values = [int(t.text) for t in chart.y_ticks]
    assert values == list(range(values[0], values[-1] + 1, 10))  # every 10
    assert values[0] <= min(scores) - 4 and values[-1] >= min(max(scores) + 4, 100)
    assert all(b.pos < a.pos for a, b in zip(chart.y_ticks, chart.y_ticks[1:], strict=False))


def test_frontier_path_and_flags():
    points = [pp("g", 0.0005, 30), pp("a", 0.001, 50), pp("c", 0.002, 50), pp("f", 0.005, 80)]
    chart = price_chart(points)
    assert {p.slug for p in chart.points if p.on_frontier} == {"g", "a", "f"}
    assert chart.frontier_path.startswith("M") and chart.frontier_path.count("L") == 2
    assert [p.slug for p in chart.rows] == ["g", "a", "c", "f"]  # text alternative by cost


def test_no_points_and_unplottable_costs():
    assert price_chart([]).points == ()
    # A free or unpriced model has no place on a log axis: it is left out, not drawn at 0.
    chart = price_chart([pp("free", 0.0, 40), pp("odd", -1.0, 40), pp("nan", math.nan, 40)])
    assert chart.points == ()


def test_one_point_gets_sane_axes():
    chart = price_chart([pp("solo", 0.02, 55)])
    (p,) = chart.points
    assert chart.left < p.x < chart.right and chart.top < p.y < chart.bottom
    assert len([t for t in chart.x_ticks if t.text]) >= 2
    assert len(chart.y_ticks) >= 2
    assert chart.frontier_path == ""  # a frontier of one point is no line
    assert all(math.isfinite(v) for v in (p.x, p.y, p.label_x, p.label_y))


def test_extreme_scores_do_not_collapse_the_axis():
    for score in (0.0, 100.0):
        chart = price_chart([pp("a", 0.01, score), pp("b", 0.02, score)])
        assert chart.y_ticks[0].pos > chart.y_ticks[-1].pos


def test_provider_classes_are_stable_and_wrap_round_the_palette():
    classes = provider_classes(["xAI", "Anthropic", "OpenAI", "Anthropic"])
    assert classes == {"Anthropic": "prov-0", "OpenAI": "prov-1", "xAI": "prov-2"}
    many = provider_classes([f"P{i:02}" for i in range(12)])
    assert many["P10"] == "prov-0" and many["P11"] == "prov-1"


# --- Radar ------------------------------------------------------------------------------------


def distance(x: float, y: float, chart) -> float:
    return math.hypot(x - chart.cx, y - chart.cy)


def test_radar_geometry():
    chart = radar_chart(AXES, A, B, "GPT-4.1 mini", "GPT-4.1 nano")
    assert chart.kind == "radar"
    outer = chart.rings[-1]
    assert outer.value == 100
    outer_radius = distance(*map(float, outer.points.split()[0].split(",")), chart)
    instruction = chart.a_markers[6]  # instruction following: 100 for a
    assert distance(instruction.x, instruction.y, chart) == pytest.approx(outer_radius, abs=0.2)
    assert (instruction.x, instruction.y) == chart.spokes[6]
    math_a = chart.a_markers[7]  # math: 0 for a
    assert (math_a.x, math_a.y) == (chart.cx, chart.cy)
    assert len(chart.a_points.split()) == len(AXES) == len(chart.labels)
    assert [r.value for r in chart.rings] == [20, 40, 60, 80, 100]


def test_radar_labels_anchor_by_side_and_fit_the_view_box():
    chart = radar_chart(AXES, A, B, "GPT-4.1 mini", "GPT-4.1 nano")
    anchors = {label.slug: label.anchor for label in chart.labels}
    assert anchors["agentic"] == anchors["knowledge"] == "middle"  # top and bottom
    assert anchors["coding"] == anchors["reasoning"] == anchors["multimodal"] == "start"  # right
    assert anchors["math"] == anchors["multilingual"] == "end"  # left
    frame = view_box(chart.view_box)
    for label in chart.labels:
        assert inside(label.box, frame), label.slug
    (line1, line2) = next(lb for lb in chart.labels if lb.slug == "instruction-following").lines
    assert (line1.text, line2.text) == ("Instruction", "following")  # long labels wrap


def test_radar_text_alternative():
    chart = radar_chart(AXES[:3], A, B, "GPT-4.1 mini", "GPT-4.1 nano")
    assert chart.summary == [
        "Agentic: 23.6 vs 40.3",
        "Coding: 61.7 vs 33.0",
        "Reasoning: 45.2 vs 52.8",
    ]
    assert "Coding: 61.7 vs 33.0" in chart.desc


def test_radar_uses_shared_categories_only():
    chart = radar_chart(AXES, A, {k: v for k, v in B.items() if k != "math"}, "a", "b")
    assert [row.label for row in chart.rows] == [label for _, label in AXES[:-1]]


def test_fewer_than_three_categories_become_bars():
    chart = radar_chart(AXES[:2], A, B, "GPT-4.1 mini", "GPT-4.1 nano")
    assert chart.kind == "bars" and len(chart.bars) == 2
    agentic = chart.bars[0]
    assert agentic.label.text == "Agentic"
    assert agentic.a.width == pytest.approx(chart.bar_track * 0.236, abs=0.1)
    assert agentic.b.value.text == "40.3" and agentic.b.value.x > agentic.b.width
    frame = view_box(chart.view_box)
    assert all(g.b.y + 12 <= frame[3] for g in chart.bars)
    assert radar_chart([], A, B, "a", "b").rows == ()


def test_chart_ids_differ_between_charts():
    one = radar_chart(AXES, A, B, "a", "b")
    two = radar_chart(AXES, B, A, "b", "a")
    assert one.id_prefix != two.id_prefix
    assert one.id_prefix == radar_chart(AXES, A, B, "a", "b").id_prefix  # deterministic


# --- Templates --------------------------------------------------------------------------------

NUMERIC_ATTR = re.compile(r'\s(?:x|y|cx|cy|r|x1|x2|y1|y2|width|height)="([^"]*)"')


def assert_safe_svg(html: str) -> None:
    assert "<svg" in html and 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert NASTY not in html and ESCAPED in html
    for value in NUMERIC_ATTR.findall(html):
        float(value)  # never "1,234.5" or "1.234,5", whatever the locale settings say
    ids = re.search(r'aria-labelledby="([^"]+)"', html).group(1).split()
    assert all(f'id="{i}"' in html for i in ids)


@pytest.mark.parametrize("axes", [AXES, AXES[:2]], ids=["radar", "bars"])
def test_radar_template(axes, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    chart = radar_chart(axes, A, B, NASTY, "GPT-4.1 nano", size=1200)
    html = render_to_string("includes/radar_chart.html", {"chart": chart})
    assert_safe_svg(html)
    assert "<figure" in html and "<figcaption" in html and 'class="visually-hidden"' in html
    assert "<td>23.6</td>" in html and "<td>40.3</td>" in html


def test_radar_template_without_shared_categories():
    html = render_to_string("includes/radar_chart.html", {"chart": radar_chart([], A, B, "a", "b")})
    assert "<svg" not in html and "No benchmark categories in common" in html


def test_price_template(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    points = [*dense_points(), pp("nasty", 0.004, 66, "Acme <Labs>", NASTY)]
    chart = price_chart(points, highlight={"nasty"}, width=1400, height=800)
    html = render_to_string("includes/price_chart.html", {"chart": chart})
    assert_safe_svg(html)
    assert "Acme &lt;Labs&gt;" in html
    assert 'class="pt-label pt-label-hl"' in html and "pt-hl" in html
    assert html.count("<tr>") == len(points) + 1  # header + one row per model
    assert "Typical request cost (5,000 in / 1,000 out tokens), log scale" in html
    assert 'class="frontier"' in html


def test_price_template_empty_and_single():
    empty = render_to_string("includes/price_chart.html", {"chart": price_chart([])})
    assert "No priced, scored models yet." in empty and "<svg" not in empty
    one = render_to_string("includes/price_chart.html", {"chart": price_chart([pp("x", 0.01, 50)])})
    assert "<svg" in one and "<circle" in one and 'class="frontier"' not in one
