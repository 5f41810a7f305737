"""What a benchmark run costs at today's prices: the pure sum, the import columns, the pages."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard
from comparisons.exporter import export_catalogue
from comparisons.importer import import_catalogue
from comparisons.models import ChangeEvent, Score
from comparisons.presenter import run_cost_figure
from comparisons.pricing import Prices
from comparisons.runcost import RunTokens, run_cost, run_tokens
from comparisons.scoreboard import ScoreCell
from tests.comparisons.test_importer import BENCHMARKS_CSV, MODELS_CSV, dump
from tests.factories import build_catalogue

PRICES = Prices(input=2.0, output=8.0)


# --- The sum ---------------------------------------------------------------------------------


def test_a_run_costs_its_input_and_output_tokens_at_the_prices_per_million():
    cost = run_cost(PRICES, RunTokens(1_500_000, 250_000, tasks=198))
    assert cost.total == pytest.approx(1.5 * 2 + 0.25 * 8)  # $5
    assert cost.per_task == pytest.approx(5 / 198)


def test_an_unknown_count_or_price_is_no_cost_never_zero():
    assert run_tokens(1_000, None) is None and run_tokens(None, 1_000) is None
    assert run_cost(PRICES, None) is None
    assert run_cost(Prices(input=None, output=8.0), RunTokens(1, 1)) is None
    assert run_cost(Prices(input=2.0, output=None), RunTokens(1, 1)) is None
    assert run_cost(PRICES, RunTokens(10, 10)).per_task is None  # no task count published
    assert run_cost(Prices(0, 0), RunTokens(10, 10)).total == 0  # free is a price, not unknown


@pytest.mark.parametrize(("args", "message"), [((-1, 0), "negative"), ((0, 0, 0), "one task")])
def test_impossible_runs_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        RunTokens(*args)


def test_the_figure_is_rounded_once_and_labelled_an_estimate():
    cell = ScoreCell(70.0, True, None, "", "", 1_500_000, 250_000, 198)
    figure = run_cost_figure(PRICES, cell)
    assert (figure.total, figure.per_task) == (Decimal("5.00"), Decimal("0.0253"))
    assert (figure.total_text, figure.per_task_text) == ("≈$5.00", "≈$0.0253")
    assert figure.tokens_text == "1.5M in / 250K out"
    assert figure.as_data() == {
        "run_input_tokens": 1_500_000,
        "run_output_tokens": 250_000,
        "run_tasks": 198,
        "run_cost": 5,
        "run_cost_per_task": 0.0253,
        "run_cost_estimated": True,
    }
    untasked = run_cost_figure(PRICES, cell._replace(run_tasks=None))
    assert untasked.per_task is None and untasked.per_task_text == "N/A"
    assert run_cost_figure(Prices(None, None), cell) is None
    assert run_cost_figure(PRICES, cell._replace(run_input_tokens=None)) is None


# --- Import, export, database ----------------------------------------------------------------

RUN_SCORES = """\
model,benchmark,score,as_of,source_url,note,verified,run_input_tokens,run_output_tokens,run_tasks
gpt-4-1,gpqa-diamond,66.3,2025-04-14,https://openai.com/index/gpt-4-1/,vendor-reported,yes,1500000,250000,198
gpt-4-1-mini,gpqa-diamond,65,,,,,,,
gpt-4-1,swe-bench-verified,54.6,,,,,2000000,900000,
"""
FILES = {"benchmarks.csv": BENCHMARKS_CSV, "models.csv": MODELS_CSV, "scores.csv": RUN_SCORES}


def _runs() -> list[tuple]:
    return list(
        Score.objects.order_by("model__slug", "benchmark__slug").values_list(
            "model__slug", "benchmark__slug", "run_input_tokens", "run_output_tokens", "run_tasks"
        )
    )


@pytest.mark.django_db
def test_the_run_columns_import_in_bulk_export_and_reimport_unchanged():
    report = import_catalogue(FILES)  # new scores: COPY on PostgreSQL
    assert report.ok, report.errors
    assert _runs() == [
        ("gpt-4-1", "gpqa-diamond", 1_500_000, 250_000, 198),
        ("gpt-4-1", "swe-bench-verified", 2_000_000, 900_000, None),
        ("gpt-4-1-mini", "gpqa-diamond", None, None, None),
    ]
    exported = export_catalogue()["scores.csv"]
    assert ",1500000,250000,198\r\n" in exported and ",2000000,900000,\r\n" in exported
    events = ChangeEvent.objects.count()
    again = import_catalogue({"scores.csv": exported})
    assert again.ok and sum(again.unchanged.values()) == 3 and not again.updated
    assert ChangeEvent.objects.count() == events

    changed = RUN_SCORES.replace("1500000,250000,198", "1600000,260000,200")
    report = import_catalogue({"scores.csv": changed})  # an update: one bulk UPDATE
    assert report.ok and report.updated["scores"] == 1
    assert _runs()[0] == ("gpt-4-1", "gpqa-diamond", 1_600_000, 260_000, 200)


@pytest.mark.django_db
def test_bad_run_cells_are_reported_on_their_lines_and_nothing_is_written():
    assert import_catalogue(FILES).ok
    before = dump(), _runs()
    bad = (
        "model,benchmark,score,as_of,source_url,note,verified,"
        "run_input_tokens,run_output_tokens,run_tasks\n"
        "gpt-4-1,gpqa-diamond,66.3,,,,,-5,250000,198\n"
        "gpt-4-1,swe-bench-verified,54.6,,,,,1000,lots,\n"
        "gpt-4-1-mini,gpqa-diamond,65,,,,,1000,1000,0\n"
        "gpt-4-1-mini,swe-bench-verified,23.6,,,,,99999999999999999999,1,\n"
    )
    report = import_catalogue({"scores.csv": bad})
    assert [(e.file, e.line) for e in report.errors] == [("scores.csv", n) for n in (2, 3, 4, 5)]
    messages = [e.message for e in report.errors]
    assert messages[0] == "run_input_tokens: “-5” is not a whole number of 0 or more."
    assert messages[1] == "run_output_tokens: “lots” is not a whole number of 0 or more."
    assert messages[2].startswith("run_tasks: 0 tasks; a run has at least one task")
    assert messages[3].startswith("run_input_tokens: Ensure this value is less than or equal")
    assert (dump(), _runs()) == before


@pytest.mark.django_db
def test_the_database_refuses_a_negative_count():
    assert import_catalogue(FILES).ok
    with pytest.raises(IntegrityError, match="score_run_tokens_not_negative"):
        Score.objects.filter(run_tasks=198).update(run_output_tokens=-1)


# --- Pages and API ---------------------------------------------------------------------------


def _give_tokens(model: str, bench: str, tasks: int | None = 100) -> Score:
    score = Score.objects.get(model__slug=model, benchmark__slug=bench)
    score.run_input_tokens, score.run_output_tokens, score.run_tasks = 2_000_000, 500_000, tasks
    score.save()
    return score


@pytest.mark.django_db
def test_the_benchmark_page_shows_the_cost_column_only_where_a_run_has_tokens(client):
    assert import_catalogue(FILES).ok
    html = client.get("/benchmarks/gpqa-diamond/").content.decode()
    # GPT-4.1 at $2 / $8: 1.5M x 2 + 0.25M x 8 = $5.00 for 198 questions.
    assert "Cost to run" in html and "≈$5.00" in html and "≈$0.0253 per task" in html
    assert "1.5M in / 250K out tokens" in html
    assert html.count('class="num run-cost"') == 2  # GPT-4.1 mini's row: N/A
    assert "prices have moved since the run" in html
    plain = client.get("/benchmarks/swe-bench-verified/").content.decode()
    assert "≈$11.20" in plain and "per task" not in plain.split("run-cost-note")[0]
    Score.objects.update(run_input_tokens=None, run_output_tokens=None, run_tasks=None)
    scoreboard.bump_data_version()
    assert "Cost to run" not in client.get("/benchmarks/gpqa-diamond/").content.decode()


@pytest.mark.django_db
def test_the_model_page_shows_each_runs_cost(client):
    assert import_catalogue(FILES).ok
    html = client.get("/models/gpt-4-1/").content.decode()
    assert "Cost to run" in html and "≈$5.00" in html and "≈$11.20" in html
    assert "Cost to run" not in client.get("/models/gpt-4-1-mini/").content.decode()


@pytest.mark.django_db
def test_the_comparison_shows_cost_per_task_beside_score_where_both_have_tokens(client):
    assert import_catalogue(FILES).ok
    url = "/compare/gpt-4-1-vs-gpt-4-1-mini/"
    assert "Score and cost per task" not in client.get(url).content.decode()
    _give_tokens("gpt-4-1-mini", "gpqa-diamond", tasks=198)
    html = client.get(url).content.decode()
    section = html.split('id="run-cost-heading"', 1)[1].split("</section>", 1)[0]
    # GPT-4.1 mini at $0.4 / $1.6: 2M x 0.4 + 0.5M x 1.6 = $1.60 the run, $0.00808 a task.
    assert "GPQA Diamond" in section and "SWE-bench" not in section
    assert "66.3%" in section and "≈$0.0253" in section and "≈$5.00 the run" in section
    assert "65.0%" in section and "≈$0.00808" in section and "≈$1.60 the run" in section

    data = client.get("/api/v1/compare/gpt-4-1-vs-gpt-4-1-mini/").json()
    assert data["run_costs"] == [
        {
            "benchmark": "gpqa-diamond",
            "a": {
                "score": 66.3,
                "run_input_tokens": 1_500_000,
                "run_output_tokens": 250_000,
                "run_tasks": 198,
                "run_cost": 5,
                "run_cost_per_task": 0.0253,
                "run_cost_estimated": True,
            },
            "b": {
                "score": 65,
                "run_input_tokens": 2_000_000,
                "run_output_tokens": 500_000,
                "run_tasks": 198,
                "run_cost": 1.6,
                "run_cost_per_task": 0.00808,
                "run_cost_estimated": True,
            },
        }
    ]


@pytest.mark.django_db
def test_the_model_api_carries_each_scores_run(client):
    assert import_catalogue(FILES).ok
    scores = {s["benchmark"]: s for s in client.get("/api/v1/models/gpt-4-1/").json()["scores"]}
    assert scores["gpqa-diamond"]["run_cost"] == 5
    assert scores["gpqa-diamond"]["run_cost_per_task"] == 0.0253
    assert scores["swe-bench-verified"]["run_cost_per_task"] is None
    assert scores["swe-bench-verified"]["run_tasks"] is None
    mini = client.get("/api/v1/models/gpt-4-1-mini/").json()["scores"][0]
    assert mini["run_cost"] is None and mini["run_input_tokens"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("size", [37, 185])
def test_pages_with_run_costs_hold_a_fixed_number_of_queries(client, size):
    models = build_catalogue(size, run_tokens=0.6)
    a, b = models[1].slug, models[2].slug
    cache.clear()
    scoreboard._memo.clear()
    urls = (
        "/benchmarks/bench-0/",
        f"/models/{a}/",
        f"/compare/{a}-vs-{b}/",
        f"/api/v1/compare/{a}-vs-{b}/",
        f"/api/v1/models/{a}/",
    )
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(captured))
    # The first request reads the version and builds the board (6) and reads the benchmark's
    # dates, sources and runs (1); the model page adds its row and history (2), once per data
    # version the days its charts over time cover (1), and the model's dates and sources (1);
    # the comparison reads the other model's (1); every other page reads the board alone.
    assert counts == [7, 4, 1, 0, 0]
    # The pages counted did show the figures: the column, and the comparison's section in the
    # full page and in the htmx swap of its body.
    assert "Cost to run" in client.get("/benchmarks/bench-0/").content.decode()
    assert "Cost to run" in client.get(f"/models/{a}/").content.decode()
    with CaptureQueriesContext(connection) as fragment:
        body = client.get(f"/compare/{a}-vs-{b}/", headers={"HX-Request": "true"})
    assert len(fragment) == 0 and "<html" not in body.content.decode()
    assert "Score and cost per task" in body.content.decode()
    assert client.get(f"/api/v1/compare/{a}-vs-{b}/").json()["run_costs"]


@pytest.mark.django_db
def test_editors_enter_a_runs_tokens_on_the_score_page(admin_client):
    assert import_catalogue(FILES).ok
    score = Score.objects.get(model__slug="gpt-4-1-mini", benchmark__slug="gpqa-diamond")
    url = f"/admin/comparisons/score/{score.pk}/change/"
    html = admin_client.get(url).content.decode()
    assert "Evaluation run" in html and 'name="run_output_tokens"' in html
    form = {
        "model": score.model_id,
        "benchmark": score.benchmark_id,
        "value": "65",
        "as_of": "",
        "source_url": "",
        "note": "",
        "run_input_tokens": "-3",
        "run_output_tokens": "1000",
        "run_tasks": "0",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in refused.content.decode()
    assert (
        admin_client.post(url, {**form, "run_input_tokens": "5000", "run_tasks": "198"}).status_code
        == 302
    )
    score.refresh_from_db()
    assert (score.run_input_tokens, score.run_output_tokens, score.run_tasks) == (5000, 1000, 198)
