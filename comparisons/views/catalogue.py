from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from comparisons import presenter
from comparisons.presenter import present, reader_lane, run_cost_figure
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane
from comparisons.views.paged import HTMX_VARY, canonical_query, page_of, page_url, rendered_row


def benchmark_list(request: HttpRequest) -> HttpResponse:
    board = get_board()
    groups = board.presented.get("benchmark-groups")
    if groups is None:  # once per board
        counts = dict(zip(board.benchmarks, board.score_counts[Lane.PROVISIONAL], strict=True))
        groups = board.presented["benchmark-groups"] = [
            {
                "category": category,
                "benchmarks": [
                    (b, counts[b.slug])
                    for b in board.benchmarks.values()
                    if b.category == category.slug
                ],
            }
            for category in board.categories.values()
        ]
    return render(request, "comparisons/benchmark_list.html", {"board": board, "groups": groups})


def _paged(
    request: HttpRequest, template: str, partial: str, context: dict, rows, split=None
) -> HttpResponse:
    """Render one page of ``rows``; an htmx request for another page (the pager's links) gets
    the table's fragment alone and the page's URL for the address bar. ``split`` adds what the
    template needs from the page's own rows."""
    page, pager = page_of(request, rows)
    if split is not None:
        context = {**context, **split(page.items)}
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(
        request,
        f"{template}#{partial}" if fragment else template,
        {**context, "page": page, "pager": pager, "canonical_query": canonical_query(page)},
    )
    patch_vary_headers(response, HTMX_VARY)
    if fragment:
        response = push_url(response, page_url(request, page.number))
    return response


def benchmark_rows(board: Board, slug: str) -> list:
    """Every model's score on one benchmark, best first, ranked, with what its run costs at
    today's prices (None where unknown); once per board and benchmark."""
    key = ("benchmark-rows", slug)
    rows = board.presented.get(key)
    if rows is None:
        scored = sorted(
            (
                (board.models[model], cell)
                for model, cell in board.benchmark_cells(slug)
                if model in board.models
            ),
            key=lambda pair: (-pair[1].value, pair[0].name),
        )
        rows = board.presented[key] = [
            (position, model, cell, run_cost_figure(model.prices, cell))
            for position, (model, cell) in enumerate(scored, 1)
        ]
    return rows


def has_run_costs(board: Board, slug: str) -> bool:
    """Whether any model's run of the benchmark has a cost: the page's column shows only then."""
    key = ("benchmark-run-costs", slug)
    found = board.presented.get(key)
    if found is None:
        found = board.presented[key] = any(row[3] for row in benchmark_rows(board, slug))
    return found


def benchmark_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board()
    benchmark = board.benchmarks.get(slug)
    if benchmark is None:
        raise Http404("No such benchmark.")
    return _paged(
        request,
        "comparisons/benchmark_detail.html",
        "benchmark-table",
        {
            "board": board,
            "benchmark": benchmark,
            "category": board.categories[benchmark.category],
            "run_costs": has_run_costs(board, slug),
        },
        benchmark_rows(board, slug),
        split=lambda items: {
            "rows": [benchmark_row_html(board, slug, lane_query(request), row) for row in items]
        },
    )


def lane_query(request: HttpRequest) -> str:
    return presenter.lane_query(reader_lane(request.GET.get("lane")))


def benchmark_row_html(board: Board, slug: str, query: str, row: tuple) -> str:
    """A model's row of a benchmark's table, rendered once per board and process: its place,
    score, source and run cost are the board's, whichever page of the table shows it."""
    position, model, cell, run_cost = row
    return rendered_row(
        board,
        ("benchmark-row", slug, query, model.slug),
        BENCHMARK_ROW,
        lambda: {
            "position": position,
            "model": model,
            "cell": cell,
            "run_cost": run_cost,
            "run_costs": has_run_costs(board, slug),
            "lane_query": query,
        },
    )


BENCHMARK_ROW = "comparisons/benchmark_detail.html#benchmark-row"


def category_rows(board: Board, slug: str, lane: Lane) -> list[dict]:
    """Every model with a counted score in the category, once per board, lane and category:
    those with a category score ranked by it (equal scores share a rank), then those whose
    scores cover too little of the category, labelled, by their best score."""
    key = ("category-rows", slug, lane)
    rows = board.presented.get(key)
    if rows is not None:
        return rows
    counted = {b.slug for b in board.benchmarks.values() if b.category == slug and b.counted}
    scored, partial = [], []
    for model, standing in board.standings[lane].items():
        if model not in board.models:
            continue
        if slug in standing.category_scores:
            scored.append((board.models[model], present(board, lane, model)))
            continue
        mine = [
            (bench, cell)
            for bench, cell in board.measured(model).items()
            if bench in counted and (lane == "provisional" or cell.verified)
        ]
        if mine:
            partial.append((board.models[model], present(board, lane, model), mine))
    scored.sort(key=lambda row: (-row[1].measured[slug].value, row[0].name))
    partial.sort(key=lambda row: (-max(c.value for _, c in row[2]), row[0].name))
    rows = []
    for position, (card, headline) in enumerate(scored, 1):
        figure = headline.measured[slug].value
        tied = bool(rows) and rows[-1]["figure"] == figure
        rank = rows[-1]["rank"] if tied else position
        rows.append(
            {"model": card, "headline": headline, "figure": figure, "rank": rank, "tied": tied}
        )
    rows += [
        {
            "model": card,
            "headline": headline,
            "partial": True,
            "scores": [(board.benchmarks[b], c) for b, c in mine],
        }
        for card, headline, mine in partial
    ]
    board.presented[key] = rows
    return rows


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board()
    category = board.categories.get(slug)
    if category is None:
        raise Http404("No such category.")
    lane = reader_lane(request.GET.get("lane"))
    rows = category_rows(board, slug, lane)
    return _paged(
        request,
        "comparisons/category_detail.html",
        "category-table",
        {
            "board": board,
            "category": category,
            "benchmarks": [b for b in board.benchmarks.values() if b.category == slug],
        },
        rows,
        split=lambda items: {
            "rows": category_rows_html(
                board, slug, lane_query(request), [row for row in items if not row.get("partial")]
            ),
            "partial": [row for row in items if row.get("partial")],
        },
    )


def category_rows_html(board: Board, slug: str, query: str, rows: list[dict]) -> list[str]:
    """Each row of a category's table, rendered once per board and process (a tie with the
    row above is written "=", except at the top of a page, which is part of the key)."""
    category = board.categories[slug]
    found = []
    for i, row in enumerate(rows):
        tie = bool(row.get("tied")) and i > 0
        context = {"row": row, "tie": tie, "category": category, "lane_query": query}
        key = ("category-row", slug, query, row["model"].slug, tie)
        found.append(rendered_row(board, key, CATEGORY_ROW, lambda c=context: c))
    return found


CATEGORY_ROW = "comparisons/category_detail.html#category-row"
