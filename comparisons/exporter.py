"""Catalogue export: the three CSV files, in exactly the format the importer reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchlm.spreadsheet import neutralise
from comparisons.csvformat import (
    BENCHMARK_COLUMNS,
    BENCHMARKS,
    MODEL_COLUMNS,
    MODEL_OPTIONAL_COLUMNS,
    MODELS,
    SCORE_COLUMNS,
    SCORE_OPTIONAL_COLUMNS,
    SCORES,
)
from comparisons.models import (
    Benchmark,
    LanguageModel,
    Score,
)

if TYPE_CHECKING:
    from comparisons.cells import ScoreCell
    from comparisons.scoreboard import Board


def _cell(value: Any) -> str:
    """A value as the importer reads it back: 0.4 not 0.4000, yes/no, ISO dates, "" for None,
    and text that would be a spreadsheet formula behind an apostrophe (``benchlm.spreadsheet``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    # Text a spreadsheet would evaluate gets its apostrophe; the importer takes it off again.
    return neutralise(str(value))


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line ends (\r\n), as the demo files have
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _model_cells(model: LanguageModel) -> list[Any]:
    related = {"provider": model.provider.name, "family": model.family and model.family.name}
    return [
        related[column] if column in related else getattr(model, MODELS.columns[column][0])
        for column in MODEL_COLUMNS + MODEL_OPTIONAL_COLUMNS
    ]


def _score_cells(model: str, benchmark: str, score: Score | ScoreCell) -> list[Any]:
    """A score's row of ``scores.csv``: a stored score's, or a board's cell's (same fields)."""
    return [
        model,
        benchmark,
        score.value,
        score.as_of,
        score.source_url,
        score.note,
        score.verified,
        score.run_input_tokens,
        score.run_output_tokens,
        score.run_tasks,
    ]


def export_catalogue() -> dict[str, str]:
    """Every benchmark, model and score as file name -> CSV text, in the import format.

    Rows are ordered by slug (scores by model slug, then benchmark slug), so two exports of the
    same data are identical and a diff between two shows only what changed. Unpublished models
    are included: this is the catalogue, not the public leaderboard.
    """
    benchmarks = Benchmark.objects.select_related("category").order_by("slug")
    language_models = LanguageModel.objects.select_related("provider", "family").order_by("slug")
    scores = Score.objects.select_related("model", "benchmark").order_by(
        "model__slug", "benchmark__slug"
    )
    return {
        BENCHMARKS.name: _csv(
            BENCHMARK_COLUMNS,
            ((b.slug, b.name, b.category.slug, b.weight, b.description, b.url) for b in benchmarks),
        ),
        MODELS.name: _csv(
            MODEL_COLUMNS + MODEL_OPTIONAL_COLUMNS, (_model_cells(m) for m in language_models)
        ),
        SCORES.name: _csv(
            SCORE_COLUMNS + SCORE_OPTIONAL_COLUMNS,
            (_score_cells(s.model.slug, s.benchmark.slug, s) for s in scores),
        ),
    }


def board_scores(board: Board) -> str:
    """The scores a board holds, as the export's ``scores.csv`` writes them: a past day's
    board (``comparisons.past``), replayed from the history, holds every published model's
    scores as they stood at the end of that day, with their dates, sources and notes."""
    return _csv(
        SCORE_COLUMNS + SCORE_OPTIONAL_COLUMNS,
        (
            _score_cells(model, benchmark, cell)
            for model in sorted(board.models)
            for benchmark, cell in sorted(board.cells[model].items())
        ),
    )


def export_directory(path: Path | str) -> None:
    """Write the three files into ``path``, creating it when needed."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in export_catalogue().items():
        (directory / name).write_text(text, encoding="utf-8", newline="")
