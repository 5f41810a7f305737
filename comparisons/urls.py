from django.urls import path, register_converter

from comparisons import api
from comparisons.views import (
    catalogue,
    changes,
    compare,
    leaderboard,
    many,
    models,
    pages,
    prices,
)


class ModelSetConverter:
    """A set of models in a URL: slugs joined by commas ("a,b,c"). A pair is "a-vs-b" and never
    holds a comma, so the two kinds of comparison URL cannot be confused."""

    regex = r"[^/]*,[^/]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ModelSetConverter, "modelset")

urlpatterns = [
    path("", leaderboard.leaderboard, name="leaderboard"),
    path("models/<slug:slug>/", models.model_detail, name="model_detail"),
    path("compare/", compare.compare_select, name="compare_select"),
    path("compare/models/", compare.model_options, name="model_options"),
    path("compare/<modelset:models>/", many.compare_many, name="compare_many"),
    path("compare/<str:pair>/", compare.compare, name="compare"),
    path("benchmarks/", catalogue.benchmark_list, name="benchmark_list"),
    path("benchmarks/<slug:slug>/", catalogue.benchmark_detail, name="benchmark_detail"),
    path("categories/<slug:slug>/", catalogue.category_detail, name="category_detail"),
    path("pricing/", prices.pricing_page, name="pricing"),
    path("methodology/", pages.methodology, name="methodology"),
    path("changes/", changes.changes, name="changes"),
    path("healthz", pages.healthz, name="healthz"),
    path("api/v1/models/", api.model_list, name="api_models"),
    path("api/v1/models/<slug:slug>/", api.model_detail, name="api_model"),
    path("api/v1/compare/<modelset:models>/", api.compare_many, name="api_compare_many"),
    path("api/v1/compare/<str:pair>/", api.compare, name="api_compare"),
    path("api/v1/scores.csv", api.scores_csv, name="api_scores_csv"),
]
