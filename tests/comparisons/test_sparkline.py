from datetime import date

from comparisons.charts.sparkline import HEIGHT, PAD_BOTTOM, PAD_TOP, sparkline


def test_a_sparkline_spans_the_days_and_values_and_draws_ranks_upside_down():
    series = [(date(2026, 1, 1), 1.0, "#1"), (date(2026, 1, 3), 3.0, "#3")]
    rank = sparkline("Rank over time", series, invert=True)
    score = sparkline("Overall score over time", series)
    top, bottom = PAD_TOP, HEIGHT - PAD_BOTTOM
    assert (rank.dots[0].y, rank.dots[1].y) == (top, bottom)  # rank 1 at the top
    assert (score.dots[0].y, score.dots[1].y) == (bottom, top)
    assert rank.dots[0].x < rank.dots[1].x
    assert rank.desc == "Rank over time: #1 on Jan 1, 2026, #3 on Jan 3, 2026, 2 points."
    assert rank.id_prefix != score.id_prefix


def test_one_point_is_no_chart():
    assert sparkline("Rank over time", [(date(2026, 1, 1), 1.0, "#1")]) is None
