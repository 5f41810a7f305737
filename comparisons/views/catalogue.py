from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from comparisons.scoreboard import get_board
from comparisons.scoring import Lane


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
    lane = Lane.PROVISIONAL
    rows = sorted(
        (
            (board.models[model], standing.category_scores[slug], standing)
            for model, standing in board.standings[lane].items()
            if slug in standing.category_scores
        ),
        key=lambda row: (-row[1], row[0].name),
    )
    benchmarks = [b for b in board.benchmarks.values() if b.category == slug]
    return render(
        request,
        "comparisons/category_detail.html",
        {
            "board": board,
            "category": category,
            "rows": rows,
            "benchmarks": benchmarks,
            "lane": lane,
        },
    )
