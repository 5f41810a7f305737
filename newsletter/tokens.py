"""Signed, expiring links for confirming and leaving the digest.

A confirmation token names the subscriber and the signup round (``requested_at``), so only the
latest link works and a replay after unsubscribing confirms nothing. An unsubscribe token names
the subscriber and a fingerprint of the address, and lives long because it sits in old emails.
"""

import hashlib
from datetime import timedelta

from django.core import signing

from newsletter.models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)
UNSUBSCRIBE_MAX_AGE = timedelta(days=400)


class BadToken(Exception):
    """The link is tampered with, expired or from an earlier round; the message says which."""


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps(
        [subscriber.pk, subscriber.requested_at.timestamp()], salt=CONFIRM_SALT, compress=True
    )


def _fingerprint(email: str) -> str:
    """Ties the link to the address without writing the address into URLs and server logs."""
    return hashlib.blake2b(email.encode(), digest_size=8).hexdigest()


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, _fingerprint(subscriber.email)], salt=UNSUBSCRIBE_SALT)


def _load(token: str, salt: str, max_age: timedelta) -> list:
    if len(token) > 300:
        raise BadToken("This link is not valid.")
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken("This link has expired.") from error
    except (signing.BadSignature, ValueError) as error:
        raise BadToken("This link is not valid.") from error
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int):
        raise BadToken("This link is not valid.")
    return value


def subscriber_for_confirm(token: str) -> Subscriber:
    pk, requested = _load(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if (
        subscriber is None
        or subscriber.requested_at.timestamp() != requested
        or subscriber.status == Subscriber.Status.UNSUBSCRIBED
    ):
        raise BadToken("This link is no longer valid: sign up again for a fresh one.")
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    pk, fingerprint = _load(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _fingerprint(subscriber.email) != fingerprint:
        raise BadToken("This link is not valid.")
    return subscriber


FOLLOW_CONFIRM_SALT = "newsletter.follow-confirm"
MANAGE_SALT = "newsletter.follow-manage"
MANAGE_MAX_AGE = UNSUBSCRIBE_MAX_AGE  # the link sits in every alert, as the unsubscribe one does


def follow_confirm_token(follow) -> str:
    return signing.dumps(
        [follow.pk, follow.requested_at.timestamp()], salt=FOLLOW_CONFIRM_SALT, compress=True
    )


def follow_for_confirm(token: str):
    """The follow a confirmation link names, if it is still that follow's latest round."""
    from newsletter.models import Follow

    pk, requested = _load(token, FOLLOW_CONFIRM_SALT, CONFIRM_MAX_AGE)
    follow = Follow.objects.select_related("subscriber").filter(pk=pk).first()
    if follow is None or follow.requested_at.timestamp() != requested:
        raise BadToken("This link is no longer valid: follow again for a fresh one.")
    return follow


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, _fingerprint(subscriber.email)], salt=MANAGE_SALT)


def subscriber_for_manage(token: str) -> Subscriber:
    pk, fingerprint = _load(token, MANAGE_SALT, MANAGE_MAX_AGE)
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _fingerprint(subscriber.email) != fingerprint:
        raise BadToken("This link is not valid.")
    return subscriber
