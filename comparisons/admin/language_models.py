"""Language models: the editor's main screen, with scores inline and the scoreboard's figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone

from comparisons.admin.importing import import_view
from comparisons.admin.paste import paste_view
from comparisons.admin.price_sync import price_sync_view
from comparisons.admin.scores import CompactScoreInline
from comparisons.formatting import NO_SCORE
from comparisons.forms import LanguageModelForm
from comparisons.models import LanguageModel, ModelFamily
from comparisons.presenter import present
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane

RECENT_CHANGES = 10


@dataclass(frozen=True, slots=True)
class BoardFigures:
    """A model's overall score and lane as the site shows them, for one changelist row."""

    overall: str
    lane: str

    @classmethod
    def of(cls, board: Board, slug: str) -> BoardFigures:
        """The provisional lane's figures: the lane readers see by default (column titles say
        so); the verified rank rides along, since editors verify scores to earn it."""
        if slug not in board.models:  # unpublished: readers do not see it, nor rank it
            return cls(NO_SCORE, NO_SCORE)
        provisional = present(board, Lane.PROVISIONAL, slug)
        verified = present(board, Lane.VERIFIED, slug)
        # No-break spaces keep "#3 · verified #5" on one line in the narrow column.
        ranks = [
            f"#{provisional.rank}" if provisional.ranked else "unranked",
            f"verified\u00a0#{verified.rank}" if verified.ranked else "",
        ]
        return cls(provisional.overall_text, "\u00a0·\u00a0".join(r for r in ranks if r))


class ScoreboardChangeList(ChangeList):
    """Reads one scoreboard per request and hands each listed model its figures.

    The board is cached per data version, so the column costs a fixed number of queries (none
    when warm) however many models the page lists.
    """

    def get_results(self, request):
        super().get_results(request)
        board = get_board()
        # Iterating fills the queryset's result cache: the template renders these instances.
        for obj in self.result_list:
            obj.board_figures = BoardFigures.of(board, obj.slug)


class ScoreInline(CompactScoreInline):
    fields = ("benchmark", "value", "verified", "as_of", "source_url", "note")
    autocomplete_fields = ("benchmark",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("benchmark")

    def get_extra(self, request, obj=None, **kwargs):
        # A new model usually arrives with a handful of launch scores.
        return 5 if obj is None else 1


@admin.register(LanguageModel)
class LanguageModelAdmin(admin.ModelAdmin):
    form = LanguageModelForm
    change_list_template = "admin/comparisons/languagemodel/change_list.html"
    list_display = (
        "name",
        "provider",
        "family",
        "overall",
        "lane",
        "release_date",
        "published",
    )
    list_filter = ("provider", "family", "reasoning", "open_weights", "published")
    list_select_related = ("provider", "family")
    search_fields = ("name", "slug", "provider__name", "family__name")
    date_hierarchy = "release_date"
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at", "price_confirmed_at", "recent_changes")
    inlines = [ScoreInline]
    save_on_top = True
    fieldsets = (
        (
            "Identity",
            {"fields": ("name", "variant_note", "slug", ("provider", "family"), "release_date")},
        ),
        (
            "Capabilities",
            {
                "fields": (
                    ("reasoning", "open_weights"),
                    ("context_window", "max_output_tokens"),
                    "knowledge_cutoff",
                    "input_modalities",
                    "parameters",
                )
            },
        ),
        (
            "Prices",
            {
                "fields": (
                    ("input_price", "output_price", "cached_input_price"),
                    "cache_write_price",
                    ("batch_input_price", "batch_output_price"),
                ),
            },
        ),
        (
            "Long-context and scheduled prices",
            {
                "classes": ("collapse",),
                "fields": (
                    "long_context_threshold",
                    (
                        "long_context_input_price",
                        "long_context_output_price",
                        "long_context_cached_input_price",
                    ),
                    ("scheduled_price_date", "scheduled_input_price", "scheduled_output_price"),
                ),
            },
        ),
        (
            "Price feed",
            {
                "fields": (
                    ("genai_provider_id", "genai_model_id"),
                    "prices_pinned",
                    "price_confirmed_at",
                ),
                "description": (
                    "The genai-prices ids this model's prices are synced from "
                    "(Price feed sync, or <code>manage.py sync_prices</code>). "
                    "Saving this form confirms the prices as of now."
                ),
            },
        ),
        ("Speed", {"fields": (("output_speed", "ttft"),)}),
        ("Editorial", {"fields": ("body",)}),
        ("Publishing", {"fields": ("published",)}),
    )

    def save_model(self, request, obj, form, change):
        # An editor who saves the form has seen the prices on it: they are confirmed as of now.
        obj.price_confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        history = ("History", {"fields": (("created_at", "updated_at"), "recent_changes")})
        return (*fieldsets, history)

    def get_changelist(self, request, **kwargs):
        return ScoreboardChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "family":
            kwargs["queryset"] = ModelFamily.objects.select_related("provider")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def view_on_site(self, obj: LanguageModel) -> str | None:
        # The public page of an unpublished model is a 404: offer no link to it.
        return obj.get_absolute_url() if obj.published else None

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_catalogue_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            path(
                "price-sync/",
                self.admin_site.admin_view(self.price_sync_view),
                name=f"{opts.app_label}_{opts.model_name}_price_sync",
            ),
            path(
                "paste/",
                self.admin_site.admin_view(self.paste_table_view),
                name=f"{opts.app_label}_{opts.model_name}_paste",
            ),
            *super().get_urls(),
        ]

    def import_catalogue_view(self, request):
        return import_view(self, request)

    def price_sync_view(self, request):
        return price_sync_view(self, request)

    def paste_table_view(self, request):
        return paste_view(self, request)

    @admin.display(description="overall (provisional lane)")
    def overall(self, obj: LanguageModel) -> str:
        return obj.board_figures.overall

    @admin.display(description="rank (provisional · verified)")
    def lane(self, obj: LanguageModel) -> str:
        return obj.board_figures.lane

    @admin.display(description="recent changes")
    def recent_changes(self, obj: LanguageModel) -> str:
        events = obj.change_events.order_by("-created_at", "-id")[:RECENT_CHANGES]
        history_url = reverse("admin:comparisons_changeevent_changelist")
        return render_to_string(
            "admin/comparisons/languagemodel/recent_changes.html",
            {"events": events, "history_url": f"{history_url}?model__id__exact={obj.pk}"},
        )
