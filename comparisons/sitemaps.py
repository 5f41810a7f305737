"""Sitemaps from the scoreboard: models, benchmarks, categories and every pair once."""

from itertools import combinations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from comparisons.scoreboard import get_board


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["leaderboard", "benchmark_list", "methodology"]

    def location(self, item: str) -> str:
        return reverse(item)


class ModelSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list:
        return sorted(get_board().models.values(), key=lambda card: card.slug)

    def location(self, card) -> str:
        return reverse("model_detail", args=[card.slug])

    def lastmod(self, card):
        return card.last_updated


class BenchmarkSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return sorted(get_board().benchmarks)

    def location(self, slug: str) -> str:
        return reverse("benchmark_detail", args=[slug])


class CategorySitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return sorted(get_board().categories)

    def location(self, slug: str) -> str:
        return reverse("category_detail", args=[slug])


class ComparisonSitemap(Sitemap):
    """Each pair once, in the canonical (alphabetical) order the pages' canonical links use."""

    changefreq = "weekly"
    limit = 10_000

    def items(self) -> list[tuple]:
        board = get_board()
        cards = sorted(board.models.values(), key=lambda card: card.slug)
        return list(combinations(cards, 2))

    def location(self, pair) -> str:
        return reverse("compare", args=[f"{pair[0].slug}-vs-{pair[1].slug}"])

    def lastmod(self, pair):
        return max(pair[0].last_updated, pair[1].last_updated)


SITEMAPS = {
    "pages": StaticSitemap,
    "models": ModelSitemap,
    "benchmarks": BenchmarkSitemap,
    "categories": CategorySitemap,
    "comparisons": ComparisonSitemap,
}
