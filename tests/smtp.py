"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the mail tests."""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.servers import free_port


@dataclass
class Received:
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class Mailbox:
    """Everything the server accepted, and how many connections delivered it."""

    received: list[Received] = field(default_factory=list)
    connections: int = 0
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    defer: dict[str, int] = field(default_factory=dict)  # recipient → 451 answers left
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refuse:
                return "550 5.1.1 No such user"
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(r for item in self.received for r in item.recipients)

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [item.message for item in self.received if address in item.recipients]


class _Counting(Controller):
    def factory(self):
        server = super().factory()
        original = server.connection_made

        def connection_made(transport):
            with self.handler.lock:
                self.handler.connections += 1
            return original(transport)

        server.connection_made = connection_made
        return server


@contextmanager
def smtp_server(mailbox: Mailbox | None = None) -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = mailbox or Mailbox(), free_port()
    controller = _Counting(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.connections = 0  # start() opens one to check the server is up
    try:
        yield mailbox, port
    finally:
        controller.stop()


def mailers_for(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
