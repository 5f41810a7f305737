"""Subscribers (search, filters, CSV export, delete = erase) and digests (preview, test send,
delivery counts)."""

import csv

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csp import csp_override

from benchlm.spreadsheet import neutralise
from newsletter import emails, sending, services
from newsletter.models import (
    AlertBatch,
    AlertDelivery,
    Delivery,
    Digest,
    Follow,
    LeaderboardSnapshot,
    OutboxEmail,
    Subscriber,
)

CSV_FIELDS = [
    "email",
    "status",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
    "consent_at",
    "consent_version",
    "country",
    "regime",
]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Deleting a subscriber erases them: their deliveries and queued emails go with the row."""

    list_display = ["email", "status", "regime", "country", "created_at", "confirmed_at"]
    list_filter = ["status", "regime", "country", "consent_version"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
        "consent_at",
        "consent_version",
        "country",
        "regime",
    ]
    actions = ["export_csv"]
    list_per_page = 100

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for row in queryset.order_by("pk").values_list(*CSV_FIELDS):
            writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
        return response


class TestSendForm(forms.Form):
    email = forms.EmailField(label="Send a test to", max_length=254)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["subject", "week", "sent", "failed", "pending", "fanned_out_at"]
    readonly_fields = [
        "week",
        "period_start",
        "period_end",
        "subject",
        "created_at",
        "fanned_out_at",
        "deliveries_summary",
        "preview_links",
    ]
    exclude = ["content", "html", "text"]
    change_form_template = "admin/newsletter/digest/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # digests are built by the weekly job or `manage.py send_digest`

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .defer("html", "text", "content")
            .annotate(
                n_sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                n_failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
                n_pending=Count(
                    "deliveries",
                    filter=Q(
                        deliveries__status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
                    ),
                ),
            )
        )

    @admin.display(ordering="n_sent")
    def sent(self, obj: Digest) -> int:
        return obj.n_sent

    @admin.display(ordering="n_failed")
    def failed(self, obj: Digest) -> int:
        return obj.n_failed

    @admin.display(ordering="n_pending", description="Pending")
    def pending(self, obj: Digest) -> int:
        return obj.n_pending

    @admin.display(description="Deliveries")
    def deliveries_summary(self, obj: Digest) -> str:
        counts = services.delivery_counts([obj.pk]).get(obj.pk, {})
        return ", ".join(f"{counts.get(s, 0)} {s}" for s in Delivery.Status.values)

    @admin.display(description="Preview")
    def preview_links(self, obj: Digest) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">HTML</a> · <a href="{}">Plain text</a>'
            ' · <a href="{}">On the site</a>',
            reverse("admin:newsletter_digest_preview", args=[obj.pk, "html"]),
            reverse("admin:newsletter_digest_preview", args=[obj.pk, "text"]),
            reverse("digest_archive_detail", args=[obj.pk]),
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/preview/<str:kind>/",
                self.admin_site.admin_view(self.preview),
                name="newsletter_digest_preview",
            ),
            path(
                "<int:pk>/send-test/",
                self.admin_site.admin_view(self.send_test),
                name="newsletter_digest_send_test",
            ),
        ]
        return urls + super().get_urls()

    def preview(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        digest = get_object_or_404(Digest, pk=pk)
        if not self.has_view_permission(request, digest):
            return HttpResponse(status=403)
        if kind == "text":
            return HttpResponse(digest.text, content_type="text/plain; charset=utf-8")
        if kind != "html":
            return HttpResponse(status=404)
        # The email's own inline styles, nothing else: no script, no remote resource.
        return _email_preview(request, digest.html)

    def send_test(self, request: HttpRequest, pk: int) -> HttpResponse:
        digest = get_object_or_404(Digest, pk=pk)
        change_url = reverse("admin:newsletter_digest_change", args=[pk])
        if request.method != "POST" or not self.has_change_permission(request, digest):
            return HttpResponseRedirect(change_url)
        form = TestSendForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Enter a valid address for the test.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        address = form.cleaned_data["email"]
        email = emails.message(
            Subscriber(email=address, pk=0),
            f"[Test] {digest.subject}",
            digest.text,
            digest.html,
            message_key=f"digest-{digest.pk}-test",
            list_mail=True,
        )
        try:
            with sending.Postman() as postman:
                postman.send(email, lambda: None)
        except (*sending.TRANSIENT, sending.PermanentFailure) as error:
            self.message_user(request, f"The test could not be sent: {error}", messages.ERROR)
        else:
            self.message_user(request, f"Test sent to {address}.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def render_change_form(self, request, context, *args, **kwargs):
        context["test_form"] = TestSendForm()
        return super().render_change_form(request, context, *args, **kwargs)


@csp_override(
    {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"]}
)
def _email_preview(request: HttpRequest, html: str) -> HttpResponse:
    return HttpResponse(html)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LeaderboardSnapshot)
class LeaderboardSnapshotAdmin(admin.ModelAdmin):
    list_display = ["week", "taken_at"]
    readonly_fields = ["week", "taken_at", "ranks"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "name", "rank_threshold", "created_at", "confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["subscriber__email", "slug", "name"]
    list_select_related = ["subscriber"]
    readonly_fields = ["subscriber", "created_at", "requested_at", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AlertBatch)
class AlertBatchAdmin(admin.ModelAdmin):
    """One alert round per frequency, with its deliveries counted by status."""

    list_display = ["__str__", "frequency", "created_at", "fanned_out_at", "delivery_summary"]
    list_filter = ["frequency"]
    readonly_fields = [f.name for f in AlertBatch._meta.fields]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{
                    f"n_{status}": Count("deliveries", filter=Q(deliveries__status=status))
                    for status in AlertDelivery.Status.values
                }
            )
        )

    @admin.display(description="Deliveries")
    def delivery_summary(self, batch: AlertBatch) -> str:
        return ", ".join(
            f"{getattr(batch, f'n_{status}')} {status}"
            for status in AlertDelivery.Status.values
            if getattr(batch, f"n_{status}", 0)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
