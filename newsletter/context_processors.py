from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from newsletter.consent import consent_for_request
from newsletter.forms import SignupForm


def signup(request: HttpRequest) -> dict:
    """The footer signup box: a blank form and the consent text for the reader's regime."""
    return {
        "signup_form": SignupForm(),
        "signup_consent": SimpleLazyObject(lambda: consent_for_request(request)[1]),
    }
