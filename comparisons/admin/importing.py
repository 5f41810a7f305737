"""The admin's CSV import page: upload, preview with a dry run, then import for real.

A clean preview keeps the uploaded text in the cache for an hour under a random token bound to
the editor, so "Import for real" imports exactly the files that were previewed without asking
for them again. Should the token have expired, the editor simply uploads the files again.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from comparisons.forms import CatalogueImportForm
from comparisons.importer import ImportReport, import_catalogue

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin


logger = logging.getLogger(__name__)

TEMPLATE = "admin/comparisons/languagemodel/import.html"
KINDS = ("categories", "benchmarks", "providers", "families", "models", "scores")
PREVIEW_KEY = "admin:import-preview:{user}:{token}"
PREVIEW_TIMEOUT = 60 * 60
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
HELP = (
    "Any of the three files, in the format of <code>manage.py import_data</code>: UTF-8 CSV with "
    "a header row; an empty cell means unknown. The import is all or nothing."
)


def _preview_key(request: HttpRequest, token: str) -> str:
    return PREVIEW_KEY.format(user=request.user.pk, token=token)


def keep_preview(request: HttpRequest, sources: dict[str, str]) -> str:
    """Store previewed files for "Import for real"; the token, or "" when the cache is down."""
    token = secrets.token_urlsafe(24)
    try:
        cache.set(_preview_key(request, token), sources, PREVIEW_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable: the editor will upload the files again", exc_info=True)
        return ""
    return token


def take_preview(request: HttpRequest, token: str) -> dict[str, str] | None:
    if not TOKEN_RE.match(token):
        return None
    try:
        return cache.get(_preview_key(request, token))
    except Exception:
        logger.warning("cache unavailable while reading an import preview", exc_info=True)
        return None


def count_rows(report: ImportReport) -> list[tuple[str, int, int, int]]:
    return [
        (kind, report.created[kind], report.updated[kind], report.unchanged[kind]) for kind in KINDS
    ]


def import_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = CatalogueImportForm()
    report: ImportReport | None = None
    token = ""
    if request.method == "POST" and "preview" in request.POST:
        sources = take_preview(request, request.POST["preview"])
        if sources is None:
            messages.error(request, "That preview has expired. Upload the files again.")
            return HttpResponseRedirect(request.path)
        report = import_catalogue(sources, dry_run=False)
        if report.ok:
            cache.delete(_preview_key(request, request.POST["preview"]))
    elif request.method == "POST":
        form = CatalogueImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_catalogue(form.sources, dry_run=form.cleaned_data["dry_run"])
            if report.ok and report.dry_run:
                token = keep_preview(request, form.sources)
    if report is not None and report.ok and not report.dry_run:
        messages.success(request, f"Imported. {report.summary()}")
        form = CatalogueImportForm()

    adminform = helpers.AdminForm(
        form,
        [("Files", {"fields": list(form.fields), "description": HELP})],
        prepopulated_fields={},
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import catalogue CSV",
        "opts": model_admin.opts,
        "form": form,
        "adminform": adminform,
        "errors": helpers.AdminErrorList(form, []),
        "media": model_admin.media + adminform.media,
        "report": report,
        "counts": count_rows(report) if report is not None else [],
        "preview_token": token,
    }
    return TemplateResponse(request, TEMPLATE, context)
