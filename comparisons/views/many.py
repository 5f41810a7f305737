"""``/compare/<a>,<b>,<c>/``: three to six models side by side.

The URL order is the column order: moving a column or removing one is a link to another set URL,
adding one is the "add" picker's GET form, and every answer works as a whole page without
JavaScript; with htmx the matrix is swapped in place and the new URL pushed. Duplicates, capitals
and empty parts redirect (301) to the clean URL; two models go to their pair page and one to its
model page; more than six or an unknown slug is a 404.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from comparisons import charts, many, model_search, model_set
from comparisons.presenter import lane_query, reader_lane
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane
from comparisons.templatetags.benchlm import path
from comparisons.views.compare import pair_url, resolve_pick
from comparisons.views.paged import HTMX_VARY

FRAGMENT_TARGET = "many"  # the id of the swapped region


def set_url(slugs: list[str], lane: Lane = Lane.PROVISIONAL) -> str:
    return reverse("compare_many", args=[model_set.join_set(slugs)]) + lane_query(lane)


def destination(slugs: list[str], lane: Lane) -> str:
    """Where a set of models is shown: its model page, its pair page or the set page."""
    if len(slugs) == 1:
        return reverse("model_detail", args=slugs) + lane_query(lane)
    if len(slugs) == 2:
        return pair_url(slugs[0], slugs[1], lane)
    return set_url(slugs, lane)


class AddForm(forms.Form):
    """The "add a model" picker: a slug set by the combobox and the text in its box."""

    add = forms.CharField(max_length=80, required=False)
    add_q = forms.CharField(max_length=model_search.MAX_QUERY_LENGTH, required=False)

    def chosen(self, board: Board) -> str | None:
        return resolve_pick(board, self.cleaned_data["add"], self.cleaned_data["add_q"])


def parse_set(models: str, board: Board) -> list[str]:
    """The set's slugs in URL order, each once; a 404 unless every one is a published model and
    there are at most six."""
    if len(models) > model_set.MAX_SET_LENGTH:
        raise Http404("No such comparison.")
    slugs = model_set.split_set(models)
    if not slugs or len(slugs) > model_set.MAX_MODELS or any(s not in board.models for s in slugs):
        raise Http404("No such comparison.")
    return slugs


def pair_grid(c: many.ManyComparison, lane: Lane) -> list[dict]:
    """Every pair of the set as a grid (row model against column model), each cell a link to
    the pair page with the categories each side wins there."""
    found = {(p.a, p.b): p for p in c.pairs}
    rows = []
    for row in c.members:
        cells = []
        for col in c.members:
            if row.slug == col.slug:
                cells.append(None)
                continue
            p = found.get((row.slug, col.slug)) or found[col.slug, row.slug]
            won, lost = (p.a_wins, p.b_wins) if p.a == row.slug else (p.b_wins, p.a_wins)
            cells.append(
                {
                    "url": pair_url(row.slug, col.slug, lane),
                    "won": won,
                    "lost": lost,
                    "shared": p.shared,
                    "name": col.name,
                }
            )
        rows.append({"member": row, "cells": cells})
    return rows


def columns(slugs: list[str], c: many.ManyComparison, lane: Lane) -> list[dict]:
    """Each column's controls: move left, move right, remove (each a URL, None at an end)."""
    out = []
    for i, member in enumerate(c.members):
        out.append(
            {
                "member": member,
                "left": set_url(model_set.moved(slugs, member.slug, -1), lane) if i > 0 else None,
                "right": set_url(model_set.moved(slugs, member.slug, 1), lane)
                if i < len(slugs) - 1
                else None,
                "remove": destination(model_set.without(slugs, member.slug), lane),
                # After a removal the focus goes to the remove control of the model that takes
                # the removed one's place, so a keyboard user can remove one after another.
                "neighbour": slugs[i + 1] if i + 1 < len(slugs) else slugs[i - 1],
                # Down to two models the pair page takes over: a whole page, not a swap.
                "remove_swaps": len(slugs) > model_set.MIN_MODELS,
            }
        )
    return out


LINKED = {"benchmark": "benchmark_detail", "category": "category_detail"}
BEST = (
    '<span class="best-mark" aria-hidden="true">★</span><span class="visually-hidden">(best)</span>'
)
SECTION = '<tbody>\n<tr class="many-section"><th scope="colgroup" colspan="{}">{}</th></tr>\n'


def matrix_sections(sections: tuple[many.Section, ...], columns: int, query: str) -> SafeString:
    """The side-by-side table's sections (a ``<tbody>`` each), printed here, not by the
    template: at 150 benchmarks a set of four models has some 600 cells, and resolving their
    variables in the template language took half of the page's time at 3,700 models. Every
    text is escaped; ``columns`` counts the labels' column too, ``query`` keeps the reader's
    lane (and day) in the links."""
    out = []
    for section in sections:
        out.append(format_html(SECTION, columns, section.title))
        for row in section.rows:
            label = escape(row.label)
            if (name := LINKED.get(row.kind)) is not None:
                label = format_html('<a href="{}{}">{}</a>', path(row.href, name), query, label)
            if row.note:
                label += format_html(' <span class="muted">({})</span>', row.note)
            cells = "".join(
                '<td class="num{}{}">{}{}</td>'.format(
                    " best" if cell.best else "",
                    " estimate" if cell.estimated else "",
                    escape(cell.text),
                    f" {BEST}" if cell.best else "",
                )
                for cell in row.cells
            )
            out.append(f'<tr>\n<th scope="row">{label}</th>\n{cells}\n</tr>\n')
        out.append("</tbody>\n")
    return mark_safe("".join(out))  # noqa: S308  (every part escaped above)


def render_many(
    request: HttpRequest,
    board: Board,
    slugs: list[str],
    lane: Lane,
    *,
    error: str = "",
    typed: str = "",
) -> HttpResponse:
    c = many.build_many(board, slugs, lane)
    template = "comparisons/compare_many.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#many-body"
    response = render(
        request,
        template,
        {
            "board": board,
            "c": c,
            "set_path": set_url(slugs),
            "api_url": reverse("api_compare_many", args=[model_set.join_set(slugs)])
            + lane_query(lane),
            "canonical_url": set_url(model_set.canonical_set(slugs)),
            "columns": columns(slugs, c, lane),
            # One column for the row labels, then one per model.
            "matrix": matrix_sections(c.sections, len(slugs) + 1, lane_query(lane)),
            "grid": pair_grid(c, lane),
            "radar": charts.many_radar(
                c.radar_axes,
                [(m.name, m.category_scores, m.estimated_scores) for m in c.members],
            ),
            "best_counts": list(zip(c.members, c.best_counts(), strict=True)),
            "can_add": len(slugs) < model_set.MAX_MODELS,
            "max_models": model_set.MAX_MODELS,
            "error": error,
            "typed": typed,
        },
        status=400 if error else 200,
    )
    patch_vary_headers(response, [*HTMX_VARY, "HX-Target"])
    return response


def compare_many(request: HttpRequest, models: str) -> HttpResponse:
    board = get_board()
    lane = reader_lane(request.GET.get("lane"))
    slugs = parse_set(models, board)
    if "add" in request.GET or "add_q" in request.GET:
        return add_model(request, board, slugs, lane)
    if model_set.join_set(slugs) != models or len(slugs) < model_set.MIN_MODELS:
        return redirect(destination(slugs, lane), permanent=True)
    return render_many(request, board, slugs, lane)


def add_model(request: HttpRequest, board: Board, slugs: list[str], lane: Lane) -> HttpResponse:
    """The add picker's answer: the set with the picked model last (a full set stays as it is).

    Without JavaScript a redirect to the new set's URL; with htmx the new matrix and its URL
    pushed, or, from another page (the pair page's "add a third model"), a client redirect.
    """
    form = AddForm(request.GET)
    added = form.chosen(board) if form.is_valid() else None
    if added is None:
        typed = (form.cleaned_data.get("add_q") or "") if form.is_valid() else ""
        if not form.is_valid():
            error = f"A model name has at most {model_search.MAX_QUERY_LENGTH} characters."
        elif typed.strip():
            error = f"No model matches “{typed}”."
        else:
            error = "Type a model to add."
        if len(slugs) < model_set.MIN_MODELS:
            raise Http404(error)
        return render_many(request, board, slugs, lane, error=error, typed=typed)
    if added not in slugs and len(slugs) < model_set.MAX_MODELS:
        slugs = [*slugs, added]
    url = destination(slugs, lane)
    if not request.htmx:
        return redirect(url)
    if request.htmx.target != FRAGMENT_TARGET or len(slugs) < model_set.MIN_MODELS:
        return HttpResponseClientRedirect(url)
    return push_url(render_many(request, board, slugs, lane), url)
