"""Admin login throttling on top of django-axes: per username and address, and per address.

Axes locks a (username, address) pair after ``AXES_FAILURE_LIMIT`` failures, so nobody can lock
an editor out from elsewhere. That alone lets one address try a few passwords against every
username (password spraying); this backend also refuses an address whose failures across all
usernames reach ``ADMIN_ADDRESS_FAILURES`` within the cool-off, counted from axes' own records.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from benchlm.clientip import client_ip


def address_failures(address: str) -> int:
    """Failed logins from ``address`` over every username within the cool-off period."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is not None:
            address = client_ip(request)
            if address and address_failures(address) >= settings.ADMIN_ADDRESS_FAILURES:
                # Axes' middleware turns the flag into its lockout page.
                request.axes_locked_out = True
                raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)
