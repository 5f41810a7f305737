"""The admin's "Paste a table" page: a vendor's benchmark table in, scores out, after a preview.

Step one takes the pasted text and the address it came from. Step two shows every cell mapped
to a model and a benchmark (guesses marked, each mapping a select the editor can change), the
stored value beside the new one, what the import would do (a dry run of the real importer) and
whose overall score or rank on the provisional board would move. Confirming builds a scores.csv
text, source address and note on every row, and hands it to ``import_catalogue``: all or
nothing, so a bad paste writes nothing.

The pasted text travels back with each step as a form field rather than in the cache: it is
the editor's own input, re-read the same way every time, and nothing expires mid-review.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from comparisons import paste
from comparisons.csvformat import SCORES
from comparisons.formatting import figure_overall
from comparisons.importer import ImportReport, import_catalogue
from comparisons.models import Benchmark, LanguageModel, Score
from comparisons.scoreboard import get_board, what_if
from comparisons.scoring import Lane

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

logger = logging.getLogger(__name__)

TEMPLATE = "admin/comparisons/languagemodel/paste.html"
DEFAULT_NOTE = "Vendor-reported; pasted from the announcement table."


class PasteForm(forms.Form):
    """The pasted table and where it was published."""

    text = forms.CharField(
        label="Table",
        max_length=paste.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "spellcheck": "false"}),
        help_text=(
            "Copied from the announcement: tab-separated (from a web page or spreadsheet), "
            "Markdown, or columns aligned with spaces; models as columns or as rows."
        ),
    )
    source_url = forms.URLField(
        label="Source address",
        max_length=500,
        assume_scheme="https",
        help_text="The page the table was published on; every score will cite it.",
    )
    as_of = forms.DateField(
        label="As of",
        required=False,
        help_text="The date the figures were published (YYYY-MM-DD); empty if unknown.",
    )
    note = forms.CharField(
        label="Note",
        max_length=200,
        initial=DEFAULT_NOTE,
        help_text="Stored on every score: the setting, e.g. “vendor-reported, pass@1”.",
    )


@dataclass(frozen=True, slots=True)
class PreviewCell:
    key: str  # the form field of its include box
    model_label: str
    benchmark_label: str
    model: str  # slug, "" when not mapped
    benchmark: str
    raw: str
    new: Decimal | None
    current: Decimal | None
    problem: str
    flagged: bool
    included: bool

    @property
    def status(self) -> str:
        if not self.included or self.new is None or not self.model or not self.benchmark:
            return "skipped"
        if self.current is None:
            return "new"
        return "unchanged" if self.current == self.new else "changed"


@dataclass(frozen=True, slots=True)
class Move:
    """A model whose provisional figures the paste would change."""

    name: str
    overall_before: Decimal | None  # as the leaderboard prints it: a whole number
    overall_after: Decimal | None
    rank_before: int | None
    rank_after: int | None


def text_digest(text: str) -> str:
    """Names the pasted text a mapping was shown for: edit the text and the mapping restarts."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _chosen(
    request: HttpRequest, prefix: str, labels: list[paste.Label], known: dict[str, str], text: str
) -> tuple[list[str], bool]:
    """The slug chosen for each label: the editor's select once the mapping was shown for this
    very text, else the match. A slug not in the catalogue (a forged form) counts as "skip"."""
    mapped = request.POST.get("mapped") == text_digest(text)
    slugs = []
    for index, label in enumerate(labels):
        slug = request.POST.get(f"{prefix}-{index}", "") if mapped else label.match.slug or ""
        slugs.append(slug if slug in known else "")
    return slugs, mapped


def build_preview(request: HttpRequest, table: paste.PastedTable, text: str) -> dict:
    """Everything the preview shows, and the score rows the import would write."""
    models = dict(LanguageModel.objects.order_by("name").values_list("slug", "name"))
    benchmarks = dict(Benchmark.objects.order_by("name").values_list("slug", "name"))
    model_slugs, mapped = _chosen(request, "model", table.models, models, text)
    bench_slugs, _ = _chosen(request, "bench", table.benchmarks, benchmarks, text)
    stored = {
        (model, bench): value
        for model, bench, value in Score.objects.filter(
            model__slug__in=set(model_slugs), benchmark__slug__in=set(bench_slugs)
        ).values_list("model__slug", "benchmark__slug", "value")
    }
    cells = []
    for cell in table.cells:
        key = f"cell-{cell.model}-{cell.benchmark}"
        model, bench = model_slugs[cell.model], bench_slugs[cell.benchmark]
        cells.append(
            PreviewCell(
                key=key,
                model_label=table.models[cell.model].text,
                benchmark_label=table.benchmarks[cell.benchmark].text,
                model=model,
                benchmark=bench,
                raw=cell.value.raw,
                new=cell.value.number,
                current=stored.get((model, bench)),
                problem=cell.value.problem,
                flagged=table.cell_flagged(cell),
                included=(key in request.POST) if mapped else cell.value.number is not None,
            )
        )
    rows = [
        (c.model, c.benchmark, c.new)
        for c in cells
        if c.status in ("new", "changed", "unchanged") and c.new is not None
    ]
    return {
        "model_labels": list(zip(table.models, model_slugs, strict=True)),
        "bench_labels": list(zip(table.benchmarks, bench_slugs, strict=True)),
        "model_choices": sorted(models.items(), key=lambda item: item[1].lower()),
        "bench_choices": sorted(benchmarks.items(), key=lambda item: item[1].lower()),
        "cells": cells,
        "rows": rows,
        "flagged": sum(c.flagged for c in cells),
        "digest": text_digest(text),
    }


def board_moves(rows: list[tuple[str, str, Decimal]]) -> list[Move] | None:
    """Whose provisional overall or rank the new scores would change, or None when the board
    cannot be rebuilt here (the page still works; the import itself does not need it)."""
    changed = {(m, b): float(v) for m, b, v in rows}
    if not changed:
        return []
    try:
        board = get_board()
        before = board.standings[Lane.PROVISIONAL]
        after = what_if(board, changed)
    except Exception:
        logger.warning("could not rebuild the board for a paste preview", exc_info=True)
        return None
    moves = []
    for slug, card in board.models.items():
        old, new = before.get(slug), after.get(slug)
        figures = [None if s is None else figure_overall(s.overall) for s in (old, new)]
        ranks = [None if s is None else s.rank for s in (old, new)]
        if figures[0] != figures[1] or ranks[0] != ranks[1]:
            moves.append(Move(card.name, figures[0], figures[1], ranks[0], ranks[1]))
    return sorted(moves, key=lambda m: (m.rank_after is None, m.rank_after or 0, m.name))


def mapped_shown(request: HttpRequest, form: PasteForm) -> bool:
    return request.POST.get("mapped") == text_digest(form.cleaned_data["text"])


def paste_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = PasteForm(request.POST) if request.method == "POST" else PasteForm()
    table = preview = None
    report: ImportReport | None = None
    moves: list[Move] | None = []
    if request.method == "POST" and form.is_valid():
        table = paste.parse_table(
            form.cleaned_data["text"],
            list(LanguageModel.objects.values_list("slug", "name")),
            list(Benchmark.objects.values_list("slug", "name")),
        )
        if not table.problems:
            preview = build_preview(request, table, form.cleaned_data["text"])
            sources = {
                SCORES.name: paste.scores_csv(
                    preview["rows"],
                    form.cleaned_data["source_url"],
                    form.cleaned_data["note"],
                    form.cleaned_data["as_of"],
                )
            }
            # Only a mapping the editor has seen is imported: never straight from step one.
            confirm = "confirm" in request.POST and preview["rows"] and mapped_shown(request, form)
            report = import_catalogue(sources, dry_run=not confirm)
            if confirm and report.ok:
                messages.success(request, f"Imported from the pasted table. {report.summary()}")
                opts = model_admin.opts
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
            if report.ok:
                moves = board_moves(preview["rows"])
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Paste a benchmark table",
        "opts": model_admin.opts,
        "form": form,
        "table": table,
        "preview": preview,
        "report": report,
        "moves": moves,
    }
    return TemplateResponse(request, TEMPLATE, context)
