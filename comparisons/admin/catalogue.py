"""Providers, model families, categories and benchmarks."""

from django.contrib import admin
from django.db.models import Count

from comparisons.admin.scores import CompactScoreInline
from comparisons.models import Benchmark, Category, ModelFamily, Provider


class ModelFamilyInline(admin.TabularInline):
    model = ModelFamily
    fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "website", "model_count")
    search_fields = ("name", "slug")
    ordering = ("name",)  # Meta.ordering does not apply to the annotated (grouped) queryset
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ModelFamilyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(model_count=Count("models"))

    @admin.display(description="models", ordering="model_count")
    def model_count(self, obj: Provider) -> int:
        return obj.model_count


@admin.register(ModelFamily)
class ModelFamilyAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "slug", "model_count")
    list_filter = ("provider",)
    list_select_related = ("provider",)
    search_fields = ("name", "slug", "provider__name")
    ordering = ("provider__name", "name")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(model_count=Count("models"))

    @admin.display(description="models", ordering="model_count")
    def model_count(self, obj: ModelFamily) -> int:
        return obj.model_count


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "weight", "order", "benchmark_count")
    list_display_links = ("name",)
    list_editable = ("weight", "order")
    search_fields = ("name", "slug", "description")
    ordering = ("order", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "short_name", "slug", "weight", "order", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(benchmark_count=Count("benchmarks"))

    @admin.display(description="benchmarks", ordering="benchmark_count")
    def benchmark_count(self, obj: Category) -> int:
        return obj.benchmark_count


class BenchmarkScoreInline(CompactScoreInline):
    """Every model's score on one benchmark."""

    fields = ("model", "value", "verified", "as_of", "source_url", "note")
    autocomplete_fields = ("model",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("model").order_by("model__name")


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "weight", "score_count")
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("name", "slug", "description")
    ordering = ("category__order", "name")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "category", "weight", "description", "url")
    inlines = [BenchmarkScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_count=Count("scores"))

    @admin.display(description="scores", ordering="score_count")
    def score_count(self, obj: Benchmark) -> int:
        return obj.score_count
