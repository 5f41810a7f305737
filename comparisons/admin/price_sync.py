"""The admin's price-feed page: the difference between the catalogue and genai-prices, and an
Apply button that writes it in one transaction (one change event per changed figure).

The form carries the fingerprint of the difference the editor saw; if the catalogue or the feed
moved since, nothing is applied and the page shows the new difference instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from comparisons import price_sync

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

TEMPLATE = "admin/comparisons/languagemodel/price_sync.html"


def price_sync_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    result = price_sync.plan()
    if request.method == "POST":
        if request.POST.get("fingerprint") != result.fingerprint:
            messages.warning(
                request, "The prices changed since this page was shown. Check the new difference."
            )
            return HttpResponseRedirect(request.path)
        price_sync.apply(result)
        messages.success(
            request,
            f"Applied from the {result.snapshot.describe()}: "
            f"{result.events} change events on {len(result.plan.changed_models)} models.",
        )
        return HttpResponseRedirect(request.path)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Price feed sync",
        "opts": model_admin.opts,
        "result": result,
        "plan": result.plan,
        "pinned_models": sorted({c.slug for c in result.plan.pinned}),
    }
    return TemplateResponse(request, TEMPLATE, context)
