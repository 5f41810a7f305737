"""The digest and the confirmation rendered as email: HTML (email-safe) and plain text.

A digest is rendered once; each recipient's copy only swaps in their own unsubscribe link.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from newsletter.digest import DigestContent
from newsletter.models import Digest, Subscriber
from newsletter.tokens import CONFIRM_MAX_AGE, confirm_token, unsubscribe_token

UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
# Where each recipient's "What you follow" section goes (nothing, for those who follow nothing).
FOLLOWING_TEXT = "%%FOLLOWING_TEXT%%"
FOLLOWING_HTML = "<!--%%FOLLOWING_HTML%%-->"
DIGEST_FOLLOWING_MAX = 10  # items listed; the rest are counted
_TO = "to-placeholder@benchlm.invalid"
_MESSAGE_ID = "message-id-placeholder@benchlm.invalid"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(subscriber: Subscriber) -> str:
    return absolute(reverse("digest_confirm", args=[confirm_token(subscriber)]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute(reverse("digest_unsubscribe", args=[unsubscribe_token(subscriber)]))


def period_label(start: datetime, end: datetime) -> str:
    return f"{start:%-d %b} to {end:%-d %b %Y}"


def render_digest(content: DigestContent, start: datetime, end: datetime) -> tuple[str, str]:
    """(html, text) with a placeholder where each recipient's unsubscribe link goes."""
    context = {
        "content": content,
        "period": period_label(start, end),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "following_text": FOLLOWING_TEXT,
        "following_html": FOLLOWING_HTML,
    }
    return (
        render_to_string("newsletter/email/digest.html", context),
        render_to_string("newsletter/email/digest.txt", context),
    )


def render_confirmation(subscriber: Subscriber) -> tuple[str, str, str]:
    """(subject, text, html) of the double opt-in email."""
    context = {
        "email": subscriber.email,
        "confirm_url": confirm_url(subscriber),
        "days": CONFIRM_MAX_AGE.days,
    }
    return (
        "Confirm your BenchLM digest subscription",
        render_to_string("newsletter/email/confirm.txt", context),
        render_to_string("newsletter/email/confirm.html", context),
    )


def message(
    subscriber: Subscriber,
    subject: str,
    text: str,
    html: str,
    *,
    message_key: str,
    list_mail: bool,
    following: tuple[str, str] = ("", ""),
) -> EmailMultiAlternatives:
    """One email; list mail carries the RFC 8058 one-click unsubscribe headers.

    ``message_key`` makes the Message-ID stable, so a receiving system can see two copies of the
    same email for what they are.
    """
    headers = {"Message-ID": message_id(message_key)}
    if list_mail:
        url = unsubscribe_url(subscriber)
        text, html = (
            text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            html.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        )
        headers |= list_headers(url)
    text = text.replace(FOLLOWING_TEXT, following[0])
    html = html.replace(FOLLOWING_HTML, following[1])
    email = EmailMultiAlternatives(
        subject=subject, body=text, to=[subscriber.email], headers=headers
    )
    if html:
        email.attach_alternative(html, "text/html")
    return email


def list_headers(unsubscribe: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: where to leave, and that one POST there is enough."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"BenchLM weekly digest <digest.{_domain()}>",
    }


def message_id(key: str) -> str:
    """The Message-ID of one delivery: the same on every try, different for every delivery.

    ``key`` names the row (``digest-<digest>-<subscriber>``, ``outbox-<id>``), so a retry after
    a crash sends the very same header and a receiving server or mail client that has the first
    copy can drop the second.
    """
    return f"<benchlm.{key}@{_domain()}>"


def _domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "localhost"


@dataclass(frozen=True, slots=True)
class RawEmail:
    from_email: str
    to: str
    data: bytes


class DigestMail:
    """A digest rendered to MIME once, then copied per recipient by swapping three placeholders.

    Building a MIME message costs milliseconds of header parsing; at ten thousand recipients that
    is most of the send. Both bodies are 8bit (sent with BODY=8BITMIME), so the placeholders
    appear verbatim in the bytes and no line wrapping can split them. For ASCII addresses only:
    an internationalised one takes the slow path.
    """

    def __init__(self, digest: Digest) -> None:
        self.digest_id = digest.pk
        self.from_email = settings.DEFAULT_FROM_EMAIL
        mail = EmailMessage(policy=policy.SMTP)
        mail["Subject"] = digest.subject
        mail["From"] = self.from_email
        mail["To"] = _TO
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = f"<{_MESSAGE_ID}>"
        for name, value in list_headers(UNSUBSCRIBE_PLACEHOLDER).items():
            mail[name] = value
        mail.set_content(digest.text, cte="8bit")
        mail.add_alternative(digest.html, subtype="html", cte="8bit")
        self.template = mail.as_bytes()

    def for_subscriber(
        self, subscriber: Subscriber, following: tuple[str, str] = ("", "")
    ) -> RawEmail:
        key = f"digest-{self.digest_id}-{subscriber.pk}"
        stable_id = message_id(key)[1:-1]
        data = (
            self.template.replace(_TO.encode(), subscriber.email.encode())
            .replace(_MESSAGE_ID.encode(), stable_id.encode())
            .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe_url(subscriber).encode())
            .replace(FOLLOWING_TEXT.encode(), following[0].encode())
            .replace(FOLLOWING_HTML.encode(), following[1].encode())
        )
        return RawEmail(self.from_email, subscriber.email, data)


# Following


def follow_confirm_url(follow) -> str:
    from newsletter.tokens import follow_confirm_token

    return absolute(reverse("follow_confirm", args=[follow_confirm_token(follow)]))


def manage_url(subscriber: Subscriber) -> str:
    from newsletter.tokens import manage_token

    return absolute(reverse("follow_manage", args=[manage_token(subscriber)]))


def stop_url(subscriber: Subscriber) -> str:
    from newsletter.tokens import manage_token

    return absolute(reverse("follow_stop", args=[manage_token(subscriber)]))


def render_follow_confirmation(follow) -> tuple[str, str, str]:
    """(subject, text, html) of the email that confirms a follow."""
    context = {
        "email": follow.subscriber.email,
        "follow": follow,
        "confirm_url": follow_confirm_url(follow),
        "days": CONFIRM_MAX_AGE.days,
    }
    return (
        f"Confirm you want to follow {follow.name} on BenchLM"[:200],
        render_to_string("newsletter/email/follow_confirm.txt", context),
        render_to_string("newsletter/email/follow_confirm.html", context),
    )


MANAGE_PLACEHOLDER = "%%MANAGE_URL%%"


def _alert_parts(items: list[dict], manage: str, stop: str) -> tuple[str, str, str]:
    """(subject, text, html) of an alert listing ``items``."""
    context = {
        "items": [
            item | {"url": absolute(reverse("model_detail", args=[item["model_slug"]]))}
            for item in items
        ],
        "manage_url": manage,
        "stop_url": stop,
    }
    count = len(items)
    subject = (
        items[0]["text"] if count == 1 else f"{count} changes in what you follow on BenchLM"
    )[:200]
    return (
        subject,
        render_to_string("newsletter/email/alert.txt", context),
        render_to_string("newsletter/email/alert.html", context),
    )


def _alert_headers(stop: str) -> dict[str, str]:
    return list_headers(stop) | {"List-Id": f"BenchLM alerts <alerts.{_domain()}>"}


def alert_message(
    batch_id: int, subscriber: Subscriber, items: list[dict]
) -> EmailMultiAlternatives:
    """One follower's alert: what changed in what they follow, with the one-click stop."""
    stop = stop_url(subscriber)
    subject, text, html = _alert_parts(items, manage_url(subscriber), stop)
    headers = {"Message-ID": message_id(f"alert-{batch_id}-{subscriber.pk}")}
    email = EmailMultiAlternatives(
        subject=subject, body=text, to=[subscriber.email], headers=headers | _alert_headers(stop)
    )
    email.attach_alternative(html, "text/html")
    return email


class AlertMail:
    """Alerts of one batch: each distinct list of items rendered to MIME once, then copied per
    follower by swapping placeholders, as ``DigestMail`` does (ASCII addresses only).

    Followers of the same things get the same list, so a batch of a thousand followers renders
    a few dozen messages.
    """

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.templates: dict[str, bytes] = {}

    def _template(self, items: list[dict]) -> bytes:
        key = json.dumps(items, sort_keys=True)
        if key not in self.templates:
            subject, text, html = _alert_parts(items, MANAGE_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER)
            mail = EmailMessage(policy=policy.SMTP)
            mail["Subject"] = subject
            mail["From"] = self.from_email
            mail["To"] = _TO
            mail["Date"] = formatdate(usegmt=True)
            mail["Message-ID"] = f"<{_MESSAGE_ID}>"
            for name, value in _alert_headers(UNSUBSCRIBE_PLACEHOLDER).items():
                mail[name] = value
            mail.set_content(text, cte="8bit")
            mail.add_alternative(html, subtype="html", cte="8bit")
            self.templates[key] = mail.as_bytes()
        return self.templates[key]

    def for_subscriber(self, subscriber: Subscriber, items: list[dict]) -> RawEmail:
        from newsletter.tokens import manage_token

        token = manage_token(subscriber)
        manage = absolute(reverse("follow_manage", args=[token]))
        stop = absolute(reverse("follow_stop", args=[token]))
        stable_id = message_id(f"alert-{self.batch_id}-{subscriber.pk}")[1:-1]
        data = (
            self._template(items)
            .replace(_TO.encode(), subscriber.email.encode())
            .replace(_MESSAGE_ID.encode(), stable_id.encode())
            .replace(MANAGE_PLACEHOLDER.encode(), manage.encode())
            .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), stop.encode())
        )
        return RawEmail(self.from_email, subscriber.email, data)


def digest_following(items: list[dict]) -> tuple[str, str]:
    """(text, html) of a digest's "What you follow" section; empty when nothing changed."""
    if not items:
        return "", ""
    shown = items[:DIGEST_FOLLOWING_MAX]
    context = {
        "items": [
            item | {"url": absolute(reverse("model_detail", args=[item["model_slug"]]))}
            for item in shown
        ],
        "more": len(items) - len(shown),
    }
    return (
        render_to_string("newsletter/email/digest_following.txt", context),
        render_to_string("newsletter/email/digest_following.html", context),
    )
