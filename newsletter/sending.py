"""Exactly-once sending of digest deliveries and outbox emails.

Each email owns a row (``Delivery`` or ``OutboxEmail``). A sender first *claims* the row with a
conditional UPDATE (pending → sending, stamped with the claim time). It then sends the message
up to, not including, the final "." that makes the SMTP server accept it, and in one database
transaction marks the row sent, writes the "." and commits. So:

- a duplicated task, a re-run or a second worker finds the row claimed or sent and skips it;
- a worker killed before the "." is written leaves an uncommitted mark, which PostgreSQL rolls
  back, and a half message, which the SMTP server drops with the connection; the row stays
  "sending" until its claim is stale and the sweep sends it;
- a worker killed after it wrote COMMIT has handed both the "." and the COMMIT to the kernel,
  which delivers them both.

The "." is written corked: the kernel holds it until COMMIT has been answered, then lets it go
(and flushes it anyway if the process dies), so the server cannot see the "." before the mark
is committed. The only gap left is a process killed in the microseconds between writing the "."
into the kernel and writing COMMIT: the kernel then delivers the message while PostgreSQL rolls
the mark back, and the sweep sends it again, with the same Message-ID (``emails.message_id``),
so a receiving server can drop the repeat. (Committing before the "." instead would leave the
commit's round trip as a gap in which a kill loses the message: a duplicate is the lesser harm.)
"""

import contextlib
import logging
import re
import smtplib
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from newsletter import emails
from newsletter.models import AlertDelivery, Delivery, Digest, OutboxEmail, Subscriber

logger = logging.getLogger(__name__)

_LEADING_DOT = re.compile(rb"(?m)^\.")


class Abandon(Exception):
    """The row is no longer ours (another sender reclaimed it): do not send."""


class PermanentFailure(Exception):
    """The server refused this message for good (a 5xx); retrying will not help."""


def claimable(model: type[Model], now: datetime) -> Q:
    """Rows a sender may take now: pending and due, or claimed by a sender that has died."""
    stale = now - timedelta(seconds=settings.NEWSLETTER_STALE_AFTER)
    return Q(status=model.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=model.Status.SENDING, claimed_at__lt=stale
    )


def backoff(attempts: int) -> timedelta:
    """Exponential: base, twice that, four times, ... after the first, second, third failure."""
    return timedelta(seconds=settings.NEWSLETTER_RETRY_BASE * 2 ** max(attempts - 1, 0))


def claim(model: type[Model], pk: int) -> datetime | None:
    """Take the row for sending; the claim time returned is the fencing token for ``mark_sent``."""
    now = timezone.now()
    updated = model.objects.filter(claimable(model, now), pk=pk).update(
        status=model.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return now if updated else None


def mark_sent(model: type[Model], pk: int, claimed_at: datetime) -> None:
    updated = model.objects.filter(
        pk=pk, status=model.Status.SENDING, claimed_at=claimed_at
    ).update(status=model.Status.SENT, sent_at=timezone.now(), last_error="")
    if not updated:
        raise Abandon


def record_failure(
    model: type[Model], pk: int, error: BaseException, *, permanent: bool
) -> timedelta | None:
    """Put the row back for a later try, or fail it for good; the wait when it will be retried."""
    attempts = model.objects.filter(pk=pk).values_list("attempts", flat=True).first()
    if attempts is None:
        return None
    retry = not permanent and attempts < settings.NEWSLETTER_MAX_ATTEMPTS
    wait = backoff(attempts)
    model.objects.filter(pk=pk).update(
        status=model.Status.PENDING if retry else model.Status.FAILED,
        next_attempt_at=timezone.now() + wait,
        last_error=f"{type(error).__name__}: {error}"[:255],
    )
    logger.warning("Sending %s %s failed (%s); retry: %s", model.__name__, pk, error, retry)
    return wait if retry else None


class Postman:
    """One connection of the default mailer for a whole batch."""

    def __init__(self) -> None:
        self.backend = mailers.default

    def __enter__(self) -> "Postman":
        return self

    def __exit__(self, *exc) -> None:
        self.backend.close()

    def send(self, email: EmailMessage, commit: Callable[[], None]) -> None:
        """Deliver ``email``, calling ``commit`` at the last moment before the server accepts it.

        If ``commit`` raises, the message is abandoned: the connection is dropped mid-DATA, which
        makes the server discard it.
        """
        if not self.speaks_smtp:
            self.backend.send_messages([email])  # console, file, memory: nothing to half-send
            commit()
            return
        data = email.message(policy=policy.SMTP).as_bytes()
        self.send_raw(email.from_email, email.recipients(), data, commit)

    @property
    def speaks_smtp(self) -> bool:
        return isinstance(self.backend, SMTPBackend)

    def send_raw(
        self, from_email: str, to: list[str], data: bytes, commit: Callable[[], None]
    ) -> None:
        """``send`` for a message already rendered to bytes (SMTP mailers only)."""
        if self.backend.connection is None:
            self.backend.open()
            # The body and the final "." go out as two writes: without this, Nagle's algorithm
            # holds the second back for the server's delayed ACK (40 ms a message).
            sock = self.backend.connection.sock
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp = self.backend.connection
        sender = self.backend.prep_address(from_email)
        recipients = [self.backend.prep_address(a) for a in to]
        smtp.ehlo_or_helo_if_needed()
        options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
        code, reply = smtp.mail(sender, options)
        if code != 250:
            self._reset(smtp)
            raise _error(code, reply)
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset(smtp)
                raise _error(code, reply)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            self._reset(smtp)
            raise _error(code, reply)
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        sock = smtp.sock
        corked = _cork(sock, True)
        try:
            # The UPDATE first, then the final "." written but held back by the kernel (corked),
            # then COMMIT; only once PostgreSQL has answered is the "." let go. Killed before
            # the dot is written, PostgreSQL rolls the mark back and the SMTP server drops the
            # half message; killed once COMMIT is written, the kernel delivers both.
            with transaction.atomic():
                commit()
                smtp.send(b".\r\n")
        except BaseException:
            # Before the dot: nothing to release. After it, COMMIT failed and may or may not
            # have taken effect; closing lets the held "." go: a duplicate at worst, never a loss.
            self.drop()
            raise
        if corked:
            _cork(sock, False)
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError):
            # The server has the whole message; a lost reply is no reason to send it twice.
            logger.warning("No reply after DATA to %s; counted as sent", recipients)
            self.drop()
            return
        if code != 250:
            raise _error(code, reply)

    @staticmethod
    def _reset(smtp: smtplib.SMTP) -> None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.rset()

    def drop(self) -> None:
        """Close the socket without QUIT (which would count as message text mid-DATA)."""
        if self.backend.connection is not None:
            self.backend.connection.close()
            self.backend.connection = None


def _cork(sock: socket.socket | None, on: bool) -> bool:
    """Hold (or release) what is written to ``sock`` in the kernel; False where unsupported.

    Held data is still sent if the process dies or the socket is closed (the kernel flushes it),
    so corking never loses the "." once written. What it changes is when the server sees it:
    only after COMMIT, so nothing the server's answer sets off (a reply that wakes the sender
    late, a supervisor that kills on arrival) can fall between the two writes.
    """
    option = getattr(socket, "TCP_CORK", None)
    if sock is None or option is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, option, 1 if on else 0)
    except OSError:
        return False
    return True


def _error(code: int, reply: bytes) -> Exception:
    text = f"{code} {reply.decode(errors='replace')}"
    return (
        PermanentFailure(text) if 500 <= code < 600 else smtplib.SMTPResponseException(code, reply)
    )


TRANSIENT = (smtplib.SMTPException, OSError)


@dataclass(slots=True)
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry_in: float | None = None  # seconds until the soonest retry, when one is due


def send_deliveries(digest_id: int, delivery_ids: Iterable[int]) -> BatchResult:
    """Send one batch of a digest over one connection; every row is claimed before its send."""
    digest = Digest.objects.filter(pk=digest_id).first()
    if digest is None:
        return BatchResult()
    deliveries = list(
        Delivery.objects.filter(digest=digest, pk__in=list(delivery_ids))
        .select_related("subscriber")
        .order_by("pk")
    )
    from newsletter.following import digest_sections  # it builds on this module

    sections = digest_sections(digest, [d.subscriber_id for d in deliveries])

    def compose(delivery: Delivery, fast: emails.DigestMail | None):
        subscriber = delivery.subscriber
        following = sections.get(subscriber.pk, ("", ""))
        if fast:
            return fast.for_subscriber(subscriber, following)
        return emails.message(
            subscriber,
            digest.subject,
            digest.text,
            digest.html,
            message_key=f"digest-{digest.pk}-{subscriber.pk}",
            list_mail=True,
            following=following,
        )

    # Rendered once per batch; each copy only swaps in its recipient's details.
    return _send_each(Delivery, deliveries, lambda: emails.DigestMail(digest), compose)


def send_alerts(batch_id: int, delivery_ids: Iterable[int]) -> BatchResult:
    """Send one batch of alert deliveries over one connection, exactly as digest deliveries."""
    deliveries = (
        AlertDelivery.objects.filter(batch_id=batch_id, pk__in=list(delivery_ids))
        .select_related("subscriber")
        .order_by("pk")
    )

    def compose(delivery: AlertDelivery, fast: emails.AlertMail | None):
        if fast:
            return fast.for_subscriber(delivery.subscriber, delivery.items)
        return emails.alert_message(batch_id, delivery.subscriber, delivery.items)

    return _send_each(AlertDelivery, deliveries, lambda: emails.AlertMail(batch_id), compose)


def _send_each(model, deliveries, make_fast: Callable[[], Any], compose: Callable) -> BatchResult:
    """The loop every delivery table shares: claim each row, skip a subscriber who left, send.

    ``make_fast`` renders the batch's message once for SMTP, where each copy only swaps in its
    recipient; ``compose(delivery, fast)`` gets None for it on other transports and for an
    address that is not ASCII, and builds that message in full.
    """
    result = BatchResult()
    with Postman() as postman:
        fast = make_fast() if postman.speaks_smtp else None
        for delivery in deliveries:
            pk = delivery.pk
            claimed_at = claim(model, pk)
            if claimed_at is None:
                continue
            subscriber = delivery.subscriber
            if subscriber.status != Subscriber.Status.ACTIVE:
                model.objects.filter(pk=pk).update(
                    status=model.Status.SKIPPED, last_error="Unsubscribed before sending"
                )
                result.skipped += 1
                continue
            email = compose(delivery, fast if subscriber.email.isascii() else None)
            if not _send_one(postman, model, pk, email, claimed_at, result):
                break  # the connection is gone: the rest stay pending for the retry
    return result


def send_outbox(outbox_id: int) -> BatchResult:
    result = BatchResult()
    claimed_at = claim(OutboxEmail, outbox_id)
    if claimed_at is None:
        return result
    row = OutboxEmail.objects.select_related("subscriber").get(pk=outbox_id)
    email = emails.message(
        row.subscriber,
        row.subject,
        row.text,
        row.html,
        message_key=f"outbox-{row.pk}",
        list_mail=False,
    )
    with Postman() as postman:
        _send_one(postman, OutboxEmail, outbox_id, email, claimed_at, result)
    return result


def _send_one(
    postman: Postman,
    model: type[Model],
    pk: int,
    email: EmailMessage | emails.RawEmail,
    claimed_at: datetime,
    result: BatchResult,
) -> bool:
    """Send and record the outcome; False when the connection should not be used again."""
    commit = partial(mark_sent, model, pk, claimed_at)
    try:
        if isinstance(email, emails.RawEmail):
            postman.send_raw(email.from_email, [email.to], email.data, commit)
        else:
            postman.send(email, commit)
    except Abandon:
        return True
    except PermanentFailure as error:
        record_failure(model, pk, error, permanent=True)
        result.failed += 1
        return True
    except TRANSIENT as error:
        if wait := record_failure(model, pk, error, permanent=False):
            seconds = wait.total_seconds()
            result.retry_in = min(result.retry_in or seconds, seconds)
        else:
            result.failed += 1
        if isinstance(error, smtplib.SMTPResponseException):
            return True  # the server said no to this one message; the connection is fine
        postman.drop()
        return False
    result.sent += 1
    return True
