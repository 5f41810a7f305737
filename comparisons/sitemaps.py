"""Sitemaps from the scoreboard: every model, benchmark and category, and the comparison pairs
worth indexing (not all n² of them).

The pairs are the ones a reader looks for: each model's siblings in its family, its closest
rivals by overall score and by typical request cost, and the pairs readers actually open
(``comparisons.opens``), a few of each per model. At 3,700 models that is under 50,000 pairs
instead of 6.8 million. Every section is split into files of at most ``Section.limit`` URLs
(the protocol allows 50,000), and the files are served from the page cache and carry the edge
validators (``benchlm.pagecache``), refreshed with each data version and every
``REFRESH_SECONDS`` for the opened pairs.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from comparisons import model_set, opens, pricing
from comparisons.comparison import TYPICAL_IN, TYPICAL_OUT
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane

SIBLINGS = 3  # per model, nearest by overall score first
SCORE_RIVALS = 3
PRICE_RIVALS = 3
OPENED = 3  # the model's most opened pairs
REFRESH_SECONDS = 6 * 3600  # how often the opened pairs are read again


def nearest(values: dict[str, float], k: int) -> dict[str, list[str]]:
    """For each key, the ``k`` other keys with the closest values, closest first.

    One sort and two pointers per key: O(n log n + n·k), where comparing every key with every
    other would be O(n²).
    """
    order = sorted(values, key=lambda key: (values[key], key))
    result: dict[str, list[str]] = {}
    for i, key in enumerate(order):
        low, high, picked = i - 1, i + 1, []
        while len(picked) < k and (low >= 0 or high < len(order)):
            below = values[key] - values[order[low]] if low >= 0 else math.inf
            above = values[order[high]] - values[key] if high < len(order) else math.inf
            if below <= above:
                picked.append(order[low])
                low -= 1
            else:
                picked.append(order[high])
                high += 1
        result[key] = picked
    return result


def pairs_worth_indexing(board: Board, opened: list[tuple[str, int]]) -> list[tuple[str, str]]:
    """Canonical (alphabetical) pairs: siblings, rivals by score and price, opened pairs."""
    overall = {
        slug: standing.overall
        for slug, standing in board.standings[Lane.PROVISIONAL].items()
        if standing.overall is not None and slug in board.models
    }
    costs = {
        slug: math.log(cost)
        for slug, card in board.models.items()
        if (cost := pricing.request_cost(card.prices, TYPICAL_IN, TYPICAL_OUT)) is not None
        and cost > 0
    }
    families: dict[str, list[str]] = defaultdict(list)
    for slug, card in board.models.items():
        if card.family_slug:
            families[card.family_slug].append(slug)
    by_model: dict[str, list[str]] = defaultdict(list)
    for members in families.values():
        if len(members) > 1:
            scored = {slug: overall.get(slug, -1.0) for slug in members}
            for slug, others in nearest(scored, SIBLINGS).items():
                by_model[slug] += others
    for figures, k in ((overall, SCORE_RIVALS), (costs, PRICE_RIVALS)):
        for slug, others in nearest(figures, k).items():
            by_model[slug] += others
    taken: dict[str, int] = defaultdict(int)
    for pair, _ in opened:
        a, _, b = pair.partition("-vs-")
        if a in board.models and b in board.models and a != b:
            for anchor, other in ((a, b), (b, a)):
                if taken[anchor] < OPENED:
                    taken[anchor] += 1
                    by_model[anchor].append(other)
    pairs = {
        (min(slug, other), max(slug, other))
        for slug, others in by_model.items()
        for other in others
        if other != slug
    }
    return sorted(pairs)


# Per process, per data version and refresh period: the index and every file share one list,
# and each file's rendered bytes (``section``) are kept beside it.
_pairs_memo: dict[object, tuple] = {}
FILES_KEPT = 32  # rendered files per process (sections x pages x hosts)


def _period(board: Board) -> tuple[int, int]:
    return board.version, int(time.time() // REFRESH_SECONDS)


def _pairs(board: Board) -> list[tuple[str, str]]:
    key = _period(board)
    memo = _pairs_memo.get("pairs")
    if memo is None or memo[0] != key:
        opened = opens.most_opened(50_000)
        memo = _pairs_memo["pairs"] = (key, pairs_worth_indexing(board, opened))
    return memo[1]


class Section(Sitemap):
    limit = 45_000  # URLs per file; the protocol's ceiling is 50,000


class StaticSitemap(Section):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["leaderboard", "benchmark_list", "pricing", "methodology"]

    def location(self, item: str) -> str:
        return reverse(item)


class ModelSitemap(Section):
    changefreq = "weekly"

    def items(self) -> list:
        return sorted(get_board().models.values(), key=lambda card: card.slug)

    def location(self, card) -> str:
        return reverse("model_detail", args=[card.slug])

    def lastmod(self, card):
        return card.last_updated


class BenchmarkSitemap(Section):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return sorted(get_board().benchmarks)

    def location(self, slug: str) -> str:
        return reverse("benchmark_detail", args=[slug])


class CategorySitemap(Section):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return sorted(get_board().categories)

    def location(self, slug: str) -> str:
        return reverse("category_detail", args=[slug])


class ComparisonSitemap(Section):
    """The pairs worth indexing, in the canonical order the pages' canonical links use."""

    changefreq = "weekly"

    def items(self) -> list[tuple]:
        board = get_board()
        return [(board.models[a], board.models[b]) for a, b in _pairs(board)]

    def location(self, pair) -> str:
        return reverse("compare", args=[f"{pair[0].slug}-vs-{pair[1].slug}"])

    def lastmod(self, pair):
        return max(pair[0].last_updated, pair[1].last_updated)


def curated_sets(board: Board) -> list[list[str]]:
    """The curated "compare many" sets the board can show, in canonical order."""
    return model_set.curated(settings.CURATED_MODEL_SETS, board.models)


class ModelSetSitemap(Section):
    """The curated "compare many" pages only: the sets readers build are served, not listed."""

    changefreq = "weekly"

    def items(self) -> list[list]:
        board = get_board()
        return [[board.models[slug] for slug in slugs] for slugs in curated_sets(board)]

    def location(self, cards) -> str:
        return reverse("compare_many", args=[model_set.join_set([card.slug for card in cards])])

    def lastmod(self, cards):
        return max(card.last_updated for card in cards)


SITEMAPS = {
    "pages": StaticSitemap,
    "models": ModelSitemap,
    "benchmarks": BenchmarkSitemap,
    "categories": CategorySitemap,
    "comparisons": ComparisonSitemap,
    "model-sets": ModelSetSitemap,
}


@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    """One sitemap file, rendered once per data version, refresh period, page and host.

    The page cache keys on the whole URL, so a query string of the visitor's own
    (``?x=1``) would otherwise render the file again: at 3,700 models the comparisons file
    holds 16,000 URLs and takes seconds to write. Unknown sections and pages are Django's
    404s, never stored.
    """
    board = get_board()
    page = request.GET.get("p", "1")
    key = ("file", section, page, request.scheme, request.get_host(), *_period(board))
    found = _pairs_memo.get(key)
    if found is None:
        response = sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)
        response.render()
        if response.status_code != 200:
            return response
        kept = [k for k in _pairs_memo if k != "pairs"]
        if len(kept) >= FILES_KEPT:
            for old in kept:
                del _pairs_memo[old]
        found = _pairs_memo[key] = (response.content, dict(response.headers))
    content, headers = found
    return HttpResponse(content, headers=headers)
