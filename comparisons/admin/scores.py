"""Scores: the compact inline row used on models and benchmarks, and the score list."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import transaction

from comparisons.forms import ScoreForm
from comparisons.models import Score


class CompactScoreInline(admin.TabularInline):
    """A score row: the picker keeps its "add" button but not change/delete/view."""

    model = Score
    form = ScoreForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            widget = formfield.widget
            widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return formfield


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    form = ScoreForm
    list_display = ("model", "benchmark", "value", "verified", "as_of")
    list_filter = ("verified", "benchmark__category", "model__provider")
    list_select_related = ("model", "benchmark")
    search_fields = ("model__name", "model__slug", "benchmark__name", "benchmark__slug")
    autocomplete_fields = ("model", "benchmark")
    fieldsets = (
        (
            None,
            {"fields": ("model", "benchmark", "value", "verified", "as_of", "source_url", "note")},
        ),
        (
            "Evaluation run",
            {
                "fields": ("run_input_tokens", "run_output_tokens", "run_tasks"),
                "description": (
                    "The tokens the whole run used, where its publisher says: the benchmark and "
                    "model pages then show what the run costs at today's prices."
                ),
            },
        ),
    )
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "as_of"
    actions = ["mark_verified"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, ("Record", {"fields": ("created_at", "updated_at")}))

    @admin.action(description="Mark selected scores as verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        # One save per score, never queryset.update(): each save records its change event
        # and moves the score into the verified lane of the scoreboard.
        with transaction.atomic():
            to_verify = list(queryset.filter(verified=False).select_related("model", "benchmark"))
            for score in to_verify:
                score.verified = True
                score.save(update_fields=["verified", "updated_at"])
        if to_verify:
            self.message_user(
                request, f"Marked {len(to_verify)} score(s) as verified.", messages.SUCCESS
            )
        else:
            self.message_user(request, "The selected scores were already verified.", messages.INFO)
