"""The "compare many" matrix (comparisons.many) and its radar, on plain figures and the seed."""

from decimal import Decimal

import pytest

from comparisons import charts, many, model_set
from comparisons.formatting import figure_context
from comparisons.presenter import present
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from comparisons.views.many import matrix_sections
from tests.comparisons.test_compare import seed  # noqa: F401 (fixture)

D = Decimal
SEED_SET = ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]


@pytest.mark.parametrize(
    ("raw", "slugs"),
    [
        ("a,b,c", ["a", "b", "c"]),
        ("C,a,B", ["c", "a", "b"]),  # the reader's order, lower-cased
        ("a,b,a,c,b", ["a", "b", "c"]),  # duplicates: the first place counts
        (",a,,b, c,", ["a", "b", "c"]),
        (",,", []),
    ],
)
def test_split_set_keeps_the_order_and_drops_duplicates_and_empties(raw, slugs):
    assert model_set.split_set(raw) == slugs


def test_canonical_order_is_alphabetical_and_moves_stay_inside_the_set():
    assert model_set.canonical_set(["o3", "gpt-5", "claude"]) == ["claude", "gpt-5", "o3"]
    assert model_set.moved(["a", "b", "c"], "b", -1) == ["b", "a", "c"]
    assert model_set.moved(["a", "b", "c"], "b", 1) == ["a", "c", "b"]
    assert model_set.moved(["a", "b", "c"], "a", -1) == ["a", "b", "c"]  # clamped at the ends
    assert model_set.moved(["a", "b", "c"], "c", 1) == ["a", "b", "c"]
    assert model_set.without(["a", "b", "c"], "b") == ["a", "c"]


@pytest.mark.parametrize(
    ("figures", "better", "marks"),
    [
        ([D("64.2"), D("50.3"), D("66.3")], "higher", (False, False, True)),
        ([D("2"), D("0.4"), D("0.1")], "lower", (False, False, True)),
        # A tie at the top marks every leader.
        ([D("88.5"), D("88.5"), D("83.2")], "higher", (True, True, False)),
        # Unknown never wins, even where lower is better.
        ([None, D("0.4"), D("1.6")], "lower", (False, True, False)),
        # All level: nobody is best.
        ([D("1000"), D("1000"), D("1000")], "higher", (False, False, False)),
        # One known figure is no contest.
        ([None, D("5"), None], "higher", (False, False, False)),
        ([None, None, None], "higher", (False, False, False)),
    ],
)
def test_mark_best_handles_ties_unknowns_and_level_rows(figures, better, marks):
    assert many.mark_best(figures, better) == marks


def test_context_windows_compare_as_they_print():
    # 1,047,576 and 1,048,576 tokens are both sold and shown as "1M": a tie, not a win.
    assert figure_context(1_047_576) == figure_context(1_048_576) == 1000
    assert figure_context(262_144) == 262 and figure_context(None) is None
    assert figure_context(1_500_000) == 1500 and figure_context(500) == D("0.5")


@pytest.mark.django_db
def test_seed_matrix_rows_and_their_best(seed):  # noqa: F811
    c = many.build_many(get_board(), SEED_SET, Lane.PROVISIONAL)
    rows = {row.key: row for section in c.sections for row in section.rows}
    texts = {key: [cell.text for cell in row.cells] for key, row in rows.items()}
    assert [m.slug for m in c.members] == SEED_SET  # columns in the URL's order
    assert texts["category:knowledge"] == ["66.3", "64.2", "50.3", "50.4"]
    assert rows["category:knowledge"].leaders == (0,)
    # An estimate is shown with its mark and never marked best.
    coding = rows["category:coding"]
    assert coding.cells[2].estimated and coding.cells[2].text.startswith("\N{ALMOST EQUAL TO}")
    assert coding.leaders == (3,) and coding.note
    # MMLU is shown (weight 0) though Muse Spark has no score there.
    assert texts["benchmark:mmlu"] == ["90.2", "87.5", "80.1", "\N{EM DASH}"]
    assert rows["benchmark:mmlu"].note == "shown, not counted"
    # Lower is better for prices and latency; an unknown price is N/A and never the cheapest.
    assert texts["price:input"] == ["$2", "$0.4", "$0.1", "N/A"]
    assert rows["price:input"].leaders == (2,)
    assert texts["cost:medium"] == ["$0.018", "$0.0036", "$0.0009", "N/A"]
    assert rows["latency"].leaders == (2,) and rows["speed"].leaders == (2,)
    # Three windows print "1M": they share the best; Muse Spark's 262K does not.
    assert texts["context"] == ["1M", "1M", "1M", "262K"]
    assert rows["context"].leaders == (0, 1, 2)
    assert [(p.a, p.b, p.a_wins, p.b_wins) for p in c.pairs][:2] == [
        ("gpt-4-1", "gpt-4-1-mini", 2, 1),
        ("gpt-4-1", "gpt-4-1-nano", 2, 0),
    ]
    assert len(c.pairs) == 6
    assert [slug for slug, _ in c.radar_axes] == ["coding", "knowledge", "instruction-following"]


@pytest.mark.django_db
def test_the_lane_governs_the_matrix(seed):  # noqa: F811
    board = get_board()
    provisional = many.build_many(board, SEED_SET, Lane.PROVISIONAL)
    verified = many.build_many(board, SEED_SET, Lane.VERIFIED)
    assert verified.lane == Lane.VERIFIED
    for lane, c in ((Lane.PROVISIONAL, provisional), (Lane.VERIFIED, verified)):
        overall = next(r for s in c.sections for r in s.rows if r.key == "overall")
        assert [cell.figure for cell in overall.cells] == [
            present(board, lane, slug).overall for slug in SEED_SET
        ]


def test_radar_draws_one_polygon_per_model_and_marks_estimates():
    axes = [("coding", "Coding"), ("knowledge", "Knowledge"), ("math", "Math"), ("x", "X")]
    models = [
        ("A", {"coding": 50.0, "knowledge": 60.0, "math": 70.0, "x": 1.0}, {}),
        ("B", {"coding": 40.0, "knowledge": 80.0}, {"math": 55.55}),
        ("C", {"coding": 90.0, "knowledge": 20.0, "math": 30.0}, {}),
    ]
    chart = charts.many_radar(axes, models)
    assert chart.axes == ("Coding", "Knowledge", "Math")  # "X" lacks a figure for B and C
    assert len(chart.series) == 3 and chart.frame is not None
    assert chart.values[2] == ("70.0", "\N{ALMOST EQUAL TO}55.6", "30.0")
    assert [m.estimated for m in chart.series[1].markers] == [False, False, True]
    assert chart.estimates and "\N{ALMOST EQUAL TO}55.6" in chart.desc
    # The top of the Coding spoke: A at 50 lies halfway between the centre and the 100 ring.
    x, y = chart.series[0].markers[0].x, chart.series[0].markers[0].y
    assert x == chart.frame.c and y == pytest.approx(chart.frame.c - chart.frame.radius / 2, 0.1)
    two = charts.many_radar(axes[:2], models)
    assert two.frame is None and two.series == () and len(two.rows) == 2


def test_the_matrix_prints_editors_text_escaped_and_keeps_the_lane_in_its_links():
    row = many.Row(
        "benchmark:swe-bench",
        '<img src=x onerror="alert(1)">',
        "score",
        "higher",
        (many.Cell("71.2", Decimal("71.2"), best=True), many.Cell("<b>", None)),
        note="<i>shown</i>",
        href="swe-bench",
    )
    html = str(
        matrix_sections(
            (many.Section("benchmarks:coding", "Coding & <more>", (row,)),), 3, "?lane=verified"
        )
    )
    assert "<img" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert 'colspan="3">Coding &amp; &lt;more&gt;</th>' in html
    assert '<a href="/benchmarks/swe-bench/?lane=verified">' in html
    assert '<td class="num best">71.2 <span class="best-mark"' in html
    assert '<td class="num">&lt;b&gt;</td>' in html
