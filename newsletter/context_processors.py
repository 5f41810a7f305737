from django.http import HttpRequest

from newsletter.consent import STRICTEST
from newsletter.forms import SignupForm


def signup(request: HttpRequest) -> dict:
    """The footer signup box: a blank form and the strictest consent text.

    Pages are the same bytes for every visitor (they are cached whole, here and at the edge), so
    the text for the reader's own country is not baked in: the box fetches it with htmx
    (``newsletter.views.consent``) and the signup answer carries it. Without JavaScript the
    strictest text stays, which every regime accepts.
    """
    return {"signup_form": SignupForm(), "signup_consent": STRICTEST}
