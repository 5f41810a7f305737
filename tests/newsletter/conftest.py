import pytest

from newsletter.models import Subscriber
from tests.smtp import mailers_for, smtp_server


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on loopback, configured as the site's mailer."""
    with smtp_server() as (box, port):
        settings.MAILERS = mailers_for(port)
        yield box


def make_subscribers(
    count: int, status: str = Subscriber.Status.ACTIVE, prefix: str = "reader"
) -> list[Subscriber]:
    return Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{i}@example.com", status=status, regime="other")
        for i in range(count)
    )
