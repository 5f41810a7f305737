"""``?as_of=``: the catalogue of a past day, replayed from the change events, equals the one a
database holding only that day's rows gives.

The history is five days of edits through every write path (the importer's COPY and bulk
update, saves as in the admin, deletions, benchmark, category and methodology edits). Each
day's reference board is built first, from rows actually written in a savepoint rolled back
afterwards; then the whole history is written for real, each day's events dated to that day,
and the past board of each day is replayed from the events alone.
"""

import csv
import io
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from comparisons import past, presenter, scoreboard
from comparisons.importer import import_catalogue, import_directory
from comparisons.models import (
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    MethodologySettings,
    Score,
)
from comparisons.scoring import Lane

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"


def day_one() -> None:
    """The starter data, through the importer (COPY for scores and events)."""
    report = import_directory(DEMO)
    assert not report.errors


def day_two() -> None:
    """Scores edited and verified as in the admin; one model unpublished; a source changed."""
    scores = list(Score.objects.order_by("model__slug", "benchmark__slug"))
    for score in scores[:15]:
        score.value = min(Decimal(100), score.value + Decimal(7))
        score.save()
    for score in scores[20:30]:
        score.verified = not score.verified
        score.save()
    scores[40].note, scores[40].source_url = "re-run, pass@1", "https://example.com/rerun"
    scores[40].save()  # nothing a reader follows: a bare state record
    model = LanguageModel.objects.order_by("slug")[3]
    model.published = False
    model.save()


def day_three() -> None:
    """Prices, a benchmark weight, a category weight and the ranking threshold."""
    for model in LanguageModel.objects.exclude(output_price=None).order_by("slug")[:8]:
        model.output_price *= 2
        model.input_price = Decimal("0.05")
        model.save()
    benchmark = Benchmark.objects.filter(weight__gt=0).order_by("slug")[2]
    benchmark.weight = Decimal(0)
    benchmark.save()
    coding = Category.objects.get(slug="coding")
    coding.weight = Decimal(35)
    coding.save()
    methodology = MethodologySettings.load()
    methodology.ranking_coverage = 40
    methodology.save()


def day_four() -> None:
    """The importer again: a new provider, model and benchmark, changed scores; a deletion."""
    first = LanguageModel.objects.order_by("slug")[0]
    rows = list(Score.objects.filter(model=first).select_related("benchmark"))
    report = import_catalogue(
        {
            "benchmarks.csv": "slug,name,category,weight,description,url\n"
            "time-bench,Time Bench,reasoning,2,A benchmark added later.,\n",
            "models.csv": "slug,name,provider,family,release_date,reasoning,open_weights,"
            "context_window,max_output_tokens,input_price,output_price,cached_input_price,"
            "output_speed,ttft,knowledge_cutoff,input_modalities\n"
            "later-model,Later Model,Later Labs,Later,2026-01-02,yes,yes,200000,,1,4,,90,,"
            "2025-06,text\n",
            "scores.csv": "model,benchmark,score,as_of,source_url,note\n"
            + "".join(
                f"later-model,{row.benchmark.slug},{60 + i},2026-01-02,,\n"
                for i, row in enumerate(rows)
            )
            + "later-model,time-bench,71,2026-01-02,,\n"
            + "".join(
                f"{first.slug},{row.benchmark.slug},{max(0, row.value - 4)},,,\n"
                for row in rows[:3]
            ),
        }
    )
    assert not report.errors, report.errors
    Score.objects.order_by("model__slug", "benchmark__slug")[60].delete()


def day_five() -> None:
    """A model deleted with its scores; the unpublished one back."""
    LanguageModel.objects.order_by("slug")[5].delete()
    model = LanguageModel.objects.order_by("slug")[3]
    model.published = True
    model.name = f"{model.name} (returned)"
    model.save()


HISTORY = [day_one, day_two, day_three, day_four, day_five]


def figures(board: scoreboard.Board) -> dict:
    """Everything a page prints from a board, by slug (database ids differ between the two)."""
    cards = {
        slug: (card.name, card.provider, card.family, card.prices, card.reasoning,
               card.open_weights, card.context_window, card.output_speed, card.variant_note)
        for slug, card in board.models.items()
    }  # fmt: skip
    return {
        "thresholds": board.thresholds,
        "categories": list(board.categories.values()),
        "benchmarks": list(board.benchmarks.values()),
        "cards": cards,
        # Made now: today's board reads its cells' dates and sources when a page first asks.
        "cells": {model: dict(cells) for model, cells in board.cells.items()},
        "headlines": {
            lane: {slug: presenter.present(board, lane, slug) for slug in board.models}
            for lane in Lane
        },
    }


def leaderboard_csv(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/?format=csv{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


@contextmanager
def rolled_back():
    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            yield
            raise Undo
    except Undo:
        pass
    scoreboard._memo.clear()


def noon(day) -> datetime:
    return datetime.combine(day, time(12), timezone.get_default_timezone())


def test_as_of_boards_equal_boards_of_the_rows_of_that_day(client):
    today = timezone.localdate()
    days = [today - timedelta(days=10 - i) for i in range(len(HISTORY))]
    restored = {}
    for count, day in enumerate(days, 1):
        with rolled_back():
            for step in HISTORY[:count]:
                step()
            board = scoreboard.build_board(scoreboard.current_version())
            restored[day] = (figures(board), leaderboard_csv(client))
    # The database as migrations left it (its categories' state records) predates the history.
    ChangeEvent.objects.update(created_at=noon(days[0] - timedelta(days=1)))
    for step, day in zip(HISTORY, days, strict=True):
        newest = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
        step()
        ChangeEvent.objects.filter(id__gt=newest).update(created_at=noon(day))
    scoreboard._memo.clear()
    seen = set()
    for day in days:
        expected_figures, expected_csv = restored[day]
        got = figures(past.build_past_board(day))
        assert got == expected_figures, day
        assert leaderboard_csv(client, f"&as_of={day}") == expected_csv, day
        seen.add(len(got["cards"]))
    assert len(seen) > 1  # the history did change the catalogue
    # The day before the history: no record; today: today's board.
    before = client.get(f"/?as_of={days[0] - timedelta(days=2)}")
    assert before.status_code == 404
    assert leaderboard_csv(client, f"&as_of={today}") == leaderboard_csv(client)
