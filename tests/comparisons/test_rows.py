"""The table rows that pages at scale print many of: figures formatted once, in Python."""

from datetime import date

from django.urls import reverse, set_script_prefix

from comparisons.comparison import BenchmarkRow
from comparisons.presenter import score_line
from comparisons.pricing import Prices
from comparisons.scoreboard import ScoreCell
from comparisons.templatetags.benchlm import path


def cell(value: float, **extra) -> ScoreCell:
    return ScoreCell(value, True, None, "https://example.com/a", "", **extra)


def test_a_deep_dive_row_prints_the_rounded_figures_and_their_difference():
    row = BenchmarkRow.of("mmlu", "MMLU", True, cell(64.25), cell(60.0))
    assert (row.a_text, row.b_text, row.difference_text, row.leader) == (
        "64.3%",
        "60.0%",
        "4.3",
        "a",
    )
    behind = BenchmarkRow.of("mmlu", "MMLU", True, cell(2.675), cell(2.75))
    assert (behind.a_text, behind.b_text, behind.difference_text) == ("2.7%", "2.8%", "0.1")
    assert behind.leader == "b"


def test_a_row_level_once_rounded_names_no_leader():
    row = BenchmarkRow.of("gpqa", "GPQA", True, cell(64.24), cell(64.21))
    assert (row.a_text, row.b_text, row.difference_text, row.leader) == (
        "64.2%",
        "64.2%",
        "0.0",
        None,
    )


def test_a_row_with_one_side_missing_has_no_difference_and_no_leader():
    row = BenchmarkRow.of("gpqa", "GPQA", False, None, cell(71.0))
    assert (row.a_text, row.b_text, row.difference_text, row.leader) == ("", "71.0%", "", None)


def test_a_score_line_formats_value_verification_and_date():
    line = score_line(
        ScoreCell(88.05, False, date(2025, 8, 7), "https://example.com/s", "pass@1"),
        Prices(None, None),
    )
    assert (line.value_text, line.verified_text, line.as_of_text) == (
        "88.1%",
        "Unverified",
        "2025-08-07",
    )
    assert (line.source_url, line.note, line.run_cost) == ("https://example.com/s", "pass@1", None)
    undated = score_line(cell(50), Prices(None, None))
    assert (undated.as_of_text, undated.verified_text) == ("—", "Verified")


def test_a_remembered_path_is_the_reversed_url_under_each_script_prefix():
    assert path("gpt-5", "model_detail") == reverse("model_detail", args=["gpt-5"])
    assert path("gpt-5", "model_detail") == "/models/gpt-5/"
    set_script_prefix("/bench/")
    try:
        assert path("gpt-5", "model_detail") == "/bench/models/gpt-5/"
    finally:
        set_script_prefix("/")
    assert path("mmlu", "benchmark_detail") == reverse("benchmark_detail", args=["mmlu"])


def test_a_score_line_carries_the_cost_of_its_run_where_tokens_and_prices_are_known():
    run = cell(70.0, run_input_tokens=2_000_000, run_output_tokens=1_000_000, run_tasks=100)
    line = score_line(run, Prices(1.0, 4.0))
    assert line.run_cost is not None and line.run_cost.total_text == "≈$6.00"
    assert score_line(run, Prices(None, None)).run_cost is None
