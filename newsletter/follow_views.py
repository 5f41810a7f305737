"""The follow box's answer, confirming a follow, managing follows and the one-click stop."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from benchlm.clientip import client_ip
from benchlm.unavailable import RETRY_AFTER
from newsletter import following
from newsletter.consent import consent_for_request, consent_shown
from newsletter.forms import THRESHOLD_CHOICES, FollowForm, ManageForm
from newsletter.models import Follow, normalise_email
from newsletter.ratelimit import allow
from newsletter.tokens import (
    BadToken,
    follow_for_confirm,
    manage_token,
    subscriber_for_manage,
)
from newsletter.views import SIGNUP_MAX_BODY, _content_length

logger = logging.getLogger(__name__)


# No CSRF token, for the reason the signup box has none (``newsletter.views.subscribe``): the
# box is in cached pages, the request uses no ambient credential, and double opt-in guards it.
@csrf_exempt
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    if request.content_type != "application/x-www-form-urlencoded":
        return HttpResponse("Send the form url-encoded.", status=415, content_type="text/plain")
    if _content_length(request) > SIGNUP_MAX_BODY:
        return HttpResponse("That form is too large.", status=413, content_type="text/plain")
    form = FollowForm(request.POST)
    name = None
    if form.is_valid():
        kind, slug = form.cleaned_data["target"]
        name = following.target(kind, slug)
        if name is None:
            form.add_error("target", "There is nothing by that name to follow.")
    if not form.is_valid():
        return _answer(request, form, status=400)
    if not allow("signup-client", client_ip(request), settings.SIGNUP_RATE_PER_CLIENT, 3600):
        form.add_error(None, "Too many requests from your network. Try again in an hour.")
        return _answer(request, form, status=429)
    email = normalise_email(form.cleaned_data["email"])
    # Past the per-address limit the answer stays the same, but no email goes out.
    if allow("signup-address", email, settings.SIGNUP_RATE_PER_ADDRESS, 3600):
        country, _ = consent_for_request(request)
        shown = consent_shown(request.POST.get("consent_version", ""), country)
        threshold = form.cleaned_data["rank_threshold"] if kind == "model" else None
        try:
            following.request_follow(email, country, shown, kind, slug, name, threshold)
        except (OperationalError, InterfaceError):
            logger.error("Database unavailable: follow not taken", exc_info=True)
            form.add_error(None, "We could not take your request just now. Try again in a minute.")
            response = _answer(request, form, status=503)
            response["Retry-After"] = str(RETRY_AFTER)
            return response
    return _answer(request, form, sent=True, name=name)


def _answer(
    request: HttpRequest,
    form: FollowForm,
    *,
    sent: bool = False,
    name: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """htmx: the box again (with its errors, or the thanks); a plain POST: a page around it."""
    post = request.POST
    context = {
        "follow_form": form,
        "follow_sent": sent,
        "follow_name": name,
        "follow_options": _options(post),
        "follow_thresholds": THRESHOLD_CHOICES,
        "follow_consent": consent_for_request(request)[1],
        "follow_consent_static": True,
    }
    template = "newsletter/follow_box.html" if request.htmx else "newsletter/follow_requested.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _options(post) -> list[dict[str, str]]:
    """The box's choices as the page offered them, posted back so errors re-render it whole."""
    options = []
    for key in ("option_model", "option_provider", "option_benchmark"):
        value = post.get(key, "")
        kind, _, rest = value.partition("/")
        slug, _, label = rest.partition("|")
        if kind in ("model", "provider", "benchmark") and slug:
            options.append({"value": f"{kind}/{slug}", "kind": kind, "label": label[:120]})
    return options


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; only the POST confirms, because mail scanners follow links."""
    try:
        row = follow_for_confirm(token)
    except BadToken as error:
        return render(request, "newsletter/link_error.html", {"error": error}, status=400)
    context = {"follow": row, "manage_token": manage_token(row.subscriber)}
    if request.method == "POST":
        context["confirmed"] = following.confirm_follow(row)
        context["done"] = True
    return render(request, "newsletter/follow_confirm.html", context)


@never_cache  # one reader's follows
@csrf_exempt  # the signed link is the only credential; there is no session to ride
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_for_manage(token)
    except BadToken as error:
        return render(request, "newsletter/link_error.html", {"error": error}, status=400)
    follows = following.follows_of(subscriber)
    saved = False
    status = 200
    if request.method == "POST":
        form = ManageForm(request.POST)
        if form.is_valid():
            thresholds = {}
            for row in follows:
                if row.kind == Follow.Kind.MODEL:
                    value = request.POST.get(f"threshold-{row.pk}", "")
                    thresholds[row.pk] = int(value) if value in ("1", "3", "5", "10") else None
            removed = {row.pk for row in follows if request.POST.get(f"remove-{row.pk}")}
            following.update_follows(
                subscriber, form.cleaned_data["frequency"], thresholds, removed
            )
            subscriber.refresh_from_db()
            follows = following.follows_of(subscriber)
            saved = True
        else:
            status = 400
    else:
        form = ManageForm(initial={"frequency": subscriber.alert_frequency})
    return render(
        request,
        "newsletter/follow_manage.html",
        {
            "subscriber": subscriber,
            "follows": follows,
            "form": form,
            "saved": saved,
            "thresholds": THRESHOLD_CHOICES,
            "token": token,
        },
        status=status,
    )


@csrf_exempt  # RFC 8058: mail clients POST here with no session and no token but the link's
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = subscriber_for_manage(token)
    except BadToken as error:
        return render(request, "newsletter/link_error.html", {"error": error}, status=400)
    context = {"subscriber": subscriber, "token": token}
    if request.method == "POST":
        following.stop_all(subscriber)
        context["done"] = True
    else:
        context["count"] = len(following.follows_of(subscriber))
    return render(request, "newsletter/follow_stop.html", context)
