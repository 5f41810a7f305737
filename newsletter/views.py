"""The signup box, double opt-in, unsubscribe, the archive and the feed of changes."""

import logging

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from benchlm.clientip import client_ip
from benchlm.unavailable import RETRY_AFTER
from comparisons.models import ChangeEvent
from newsletter import services
from newsletter.consent import consent_for_request, consent_shown
from newsletter.digest import DigestContent
from newsletter.forms import SignupForm
from newsletter.models import Digest, normalise_email
from newsletter.ratelimit import allow
from newsletter.tokens import BadToken, subscriber_for_confirm, subscriber_for_unsubscribe

logger = logging.getLogger(__name__)

ARCHIVE_PAGE = 20
# Bytes: an address (254 characters at most) and two flags; room left for a hostile address of
# a few thousand characters to get its clear "too long" message rather than a bare 413.
SIGNUP_MAX_BODY = 16 * 1024
FEED_ITEMS = 50


DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def schedule_label() -> str:
    """ "every Monday at 08:00 UTC", from the same settings as the beat schedule."""
    day = DAYS[settings.DIGEST_DAY_OF_WEEK % 7]
    return f"every {day} at {settings.DIGEST_HOUR:02d}:{settings.DIGEST_MINUTE:02d} UTC"


def _digest_page(
    request: HttpRequest, form: SignupForm, *, sent: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "newsletter/digest.html",
        {
            "form": form,
            "recent": Digest.objects.sent().order_by("-week")[:5],
            "sent": sent,
            "schedule": schedule_label(),
        },
        status=status,
    )


@require_safe
def digest_page(request: HttpRequest) -> HttpResponse:
    return _digest_page(request, SignupForm(), sent="sent" in request.GET)


# No CSRF token: the form sits in every page, and every page is cached whole for all visitors
# (benchlm.pagecache), so it cannot carry a per-visitor token. CSRF guards a visitor's
# ambient credentials, and a signup uses none: no session, no cookie. Anyone can post any
# address here without a victim's browser; double opt-in and the rate limits are the guard.
@csrf_exempt
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """One answer whatever the address's state; a plain POST gets a redirect, htmx a fragment."""
    # An address and two flags fit in a few hundred bytes of a url-encoded form. Checked from
    # the headers, before Django reads (or spools to disk) a body of any size or kind.
    if request.content_type != "application/x-www-form-urlencoded":
        return HttpResponse("Send the form url-encoded.", status=415, content_type="text/plain")
    if _content_length(request) > SIGNUP_MAX_BODY:
        return HttpResponse("That form is too large.", status=413, content_type="text/plain")
    form = SignupForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, 400)
    client = client_ip(request)
    if not allow("signup-client", client, settings.SIGNUP_RATE_PER_CLIENT, 3600):
        form.add_error(None, "Too many signups from your network. Try again in an hour.")
        return _refused(request, form, 429)
    email = normalise_email(form.cleaned_data["email"])
    # Past the per-address limit the answer stays the same, but no email goes out.
    if allow("signup-address", email, settings.SIGNUP_RATE_PER_ADDRESS, 3600):
        country, _ = consent_for_request(request)
        shown = consent_shown(request.POST.get("consent_version", ""), country)
        try:
            services.subscribe(email, country, shown)
        except (OperationalError, InterfaceError):
            logger.error("Database unavailable: signup not taken", exc_info=True)
            form.add_error(None, "We could not take your signup just now. Try again in a minute.")
            response = _signup_box(request, form, status=503)
            response["Retry-After"] = str(RETRY_AFTER)
            return response
    if request.htmx:
        return _signup_box(request, form, sent=True)
    return redirect(f"{reverse('digest')}?sent=1")


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return SIGNUP_MAX_BODY + 1


def _refused(request: HttpRequest, form: SignupForm, status: int) -> HttpResponse:
    if request.htmx:
        return _signup_box(request, form, status=status)
    return _digest_page(request, form, status=status)


def _signup_box(
    request: HttpRequest, form: SignupForm, *, sent: bool = False, status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "newsletter/signup_box.html",
        {
            "signup_form": form,
            "signup_sent": sent,
            "signup_plain": request.POST.get("plain") == "1",
            # An answer to one reader: their own regime's text, no need to fetch it.
            "signup_consent": consent_for_request(request)[1],
            "signup_consent_static": True,
        },
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def consent(request: HttpRequest) -> HttpResponse:
    """The consent text for the reader's country, which the signup box fetches with htmx.

    Personal (it follows the client's address or the CDN's country header), so never stored by
    a shared cache; the pages around it are the same for everyone.
    """
    response = render(
        request,
        "newsletter/signup_consent.html",
        {
            "consent": consent_for_request(request)[1],
            "static": True,
            # The follow box asks for its own copy: the same text under the box's own id.
            "consent_id": "follow-consent" if request.GET.get("for") == "follow" else "",
        },
    )
    response["Cache-Control"] = "private, max-age=3600"
    if settings.CONSENT_COUNTRY_HEADER:
        header = settings.CONSENT_COUNTRY_HEADER.removeprefix("HTTP_").replace("_", "-")
        patch_vary_headers(response, [header])
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; only the POST confirms, because mail scanners follow links."""
    try:
        subscriber = subscriber_for_confirm(token)
    except BadToken as error:
        return render(request, "newsletter/link_error.html", {"error": error}, status=400)
    context = {"subscriber": subscriber}
    if request.method == "POST":
        context["confirmed"] = services.confirm(subscriber)
        context["done"] = True
    return render(request, "newsletter/confirm.html", context)


@csrf_exempt  # RFC 8058: mail clients POST here with no session and no token but the link's
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_for_unsubscribe(token)
    except BadToken as error:
        return render(request, "newsletter/link_error.html", {"error": error}, status=400)
    context = {"subscriber": subscriber}
    if request.method == "POST":
        services.unsubscribe(subscriber)
        context["done"] = True
    return render(request, "newsletter/unsubscribe.html", context)


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    digests = (
        Digest.objects.sent()
        .order_by("-week")
        .only("pk", "week", "subject", "period_start", "period_end")
    )
    page = Paginator(digests, ARCHIVE_PAGE).get_page(request.GET.get("page"))
    return render(request, "newsletter/archive.html", {"page": page})


@require_safe
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    digest = get_object_or_404(Digest.objects.sent(), pk=pk)
    return render(
        request,
        "newsletter/archive_detail.html",
        {"digest": digest, "content": DigestContent.from_json(digest.content)},
    )


class ChangesFeed(Feed):
    """Atom feed of catalogue changes to published models, newest first."""

    feed_type = Atom1Feed
    title = "BenchLM: catalogue changes"
    subtitle = "New models, score changes and price changes on BenchLM, as they happen."

    def link(self) -> str:
        return reverse("leaderboard")

    def items(self):
        return (
            ChangeEvent.objects.for_readers()
            .filter(model__published=True)
            .exclude(kind=ChangeEvent.Kind.MODEL_UNPUBLISHED)
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item: ChangeEvent) -> str:
        return item.summary

    def item_description(self, item: ChangeEvent) -> str:
        return f"{item.summary} ({item.created_at:%-d %B %Y %H:%M} UTC)"

    def item_link(self, item: ChangeEvent) -> str:
        return f"{reverse('model_detail', args=[item.model_slug])}#history-heading"

    def item_guid(self, item: ChangeEvent) -> str:
        return f"{settings.SITE_URL}/changes/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ChangeEvent):
        return item.created_at

    def item_updateddate(self, item: ChangeEvent):
        return item.created_at
