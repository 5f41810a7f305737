from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from comparisons.presenter import present, reader_lane
from comparisons.scoreboard import get_board


def benchmark_list(request: HttpRequest) -> HttpResponse:
    board = get_board()
    counts = dict.fromkeys(board.benchmarks, 0)
    for cells in board.cells.values():
        for bench in cells:
            if bench in counts:
                counts[bench] += 1
    groups = [
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


def benchmark_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board()
    benchmark = board.benchmarks.get(slug)
    if benchmark is None:
        raise Http404("No such benchmark.")
    rows = sorted(
        (
            (board.models[model], cells[slug])
            for model, cells in board.cells.items()
            if slug in cells and model in board.models
        ),
        key=lambda pair: (-pair[1].value, pair[0].name),
    )
    return render(
        request,
        "comparisons/benchmark_detail.html",
        {
            "board": board,
            "benchmark": benchmark,
            "category": board.categories[benchmark.category],
            "rows": rows,
        },
    )


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board()
    category = board.categories.get(slug)
    if category is None:
        raise Http404("No such category.")
    lane = reader_lane(request.GET.get("lane"))
    benchmarks = [b for b in board.benchmarks.values() if b.category == slug]
    counted = {b.slug for b in benchmarks if b.counted}
    # Every model with a counted score here: those with a category score ranked by it, then
    # those whose scores cover too little of the category, labelled, by their best score.
    scored, partial = [], []
    for model, standing in board.standings[lane].items():
        if model not in board.models:
            continue
        if slug in standing.category_scores:
            scored.append((board.models[model], present(board, lane, model)))
            continue
        mine = [
            (bench, cell)
            for bench, cell in board.cells.get(model, {}).items()
            if bench in counted and (lane == "provisional" or cell.verified)
        ]
        if mine:
            partial.append((board.models[model], present(board, lane, model), mine))
    scored.sort(key=lambda row: (-row[1].measured[slug].value, row[0].name))
    partial.sort(key=lambda row: (-max(c.value for _, c in row[2]), row[0].name))
    return render(
        request,
        "comparisons/category_detail.html",
        {
            "board": board,
            "category": category,
            "rows": scored,
            "partial": [
                (card, headline, [(board.benchmarks[b], c) for b, c in mine])
                for card, headline, mine in partial
            ],
            "benchmarks": benchmarks,
        },
    )
