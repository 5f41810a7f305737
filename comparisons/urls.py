from django.urls import path

from comparisons.views import catalogue, leaderboard, models, pages

urlpatterns = [
    path("", leaderboard.leaderboard, name="leaderboard"),
    path("models/<slug:slug>/", models.model_detail, name="model_detail"),
    path("benchmarks/", catalogue.benchmark_list, name="benchmark_list"),
    path("benchmarks/<slug:slug>/", catalogue.benchmark_detail, name="benchmark_detail"),
    path("categories/<slug:slug>/", catalogue.category_detail, name="category_detail"),
    path("methodology/", pages.methodology, name="methodology"),
    path("healthz", pages.healthz, name="healthz"),
]
