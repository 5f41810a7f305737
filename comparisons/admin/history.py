"""The change history and price syncs (read-only), and the methodology settings (one row)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from comparisons.models import ChangeEvent, MethodologySettings, PriceSync


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    """What changed and when, as recorded by every write path; nobody edits the record."""

    list_display = ("created_at", "kind", "model_link", "benchmark_name", "field", "change")
    list_filter = ("kind",)
    date_hierarchy = "created_at"
    search_fields = ("model_name", "model_slug", "benchmark_name", "field")
    fields = (
        "created_at",
        "kind",
        "model",
        "model_slug",
        "model_name",
        "benchmark",
        "benchmark_name",
        "field",
        "old_value",
        "new_value",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="model", ordering="model_name")
    def model_link(self, obj: ChangeEvent) -> str:
        if obj.model_id is None:  # the model has since been deleted
            return obj.model_name
        url = reverse("admin:comparisons_languagemodel_change", args=[obj.model_id])
        return format_html('<a href="{}">{}</a>', url, obj.model_name)

    @admin.display(description="old → new")
    def change(self, obj: ChangeEvent) -> str:
        if not (obj.old_value or obj.new_value):
            return ""
        return f"{obj.old_value or '—'} → {obj.new_value or '—'}"


@admin.register(PriceSync)
class PriceSyncAdmin(admin.ModelAdmin):
    """Every applied price-feed sync; the changes themselves are in the change history."""

    list_display = (
        "ran_at",
        "source",
        "snapshot_date",
        "matched",
        "changed_models",
        "changed_fields",
    )
    date_hierarchy = "ran_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MethodologySettings)
class MethodologySettingsAdmin(admin.ModelAdmin):
    """One row (pk 1): the list is skipped for its change page, and it cannot be deleted."""

    fields = ("category_share", "ranking_coverage", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return not MethodologySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = MethodologySettings.load()
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[settings.pk],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(url)
