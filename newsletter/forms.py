from django import forms
from django.core.validators import EmailValidator

from newsletter.models import AlertFrequency, normalise_email

MAX_EMAIL = 254  # RFC 5321's limit on a forward path


class StrictEmailField(forms.EmailField):
    """An email field whose one validator refuses domains without a dot ("user@localhost"):
    replacing the default validator, not adding to it, so a bad address gets one message."""

    default_validators = [EmailValidator(allowlist=[])]


class SignupForm(forms.Form):
    email = StrictEmailField(
        max_length=MAX_EMAIL,
        label="Email address",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter a valid email address, like name@example.com.",
            "max_length": "That address is too long to be real (254 characters at most).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if any(ord(c) in BIDI_AND_INVISIBLE for c in email):
            raise forms.ValidationError("Enter a valid email address, like name@example.com.")
        # An address literal (user@[127.0.0.1], user@[IPv6:::1]) would have our mail server
        # connect wherever a visitor says; real subscribers have domain names.
        if email.rpartition("@")[2].startswith("["):
            raise forms.ValidationError(
                "Enter an address with a domain name, like name@example.com, not an IP address."
            )
        # Lower-casing can lengthen an address ("İ" becomes "i" and a combining dot), and the
        # stored, normalised form must fit the column too.
        if len(normalise_email(email)) > MAX_EMAIL:
            raise forms.ValidationError(self.fields["email"].error_messages["max_length"])
        return email


# Bidirectional overrides and invisible characters that make an address read differently from
# what it is; a real address never needs them.
BIDI_AND_INVISIBLE = frozenset(
    [
        *(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


THRESHOLD_CHOICES = [
    ("", "Never"),
    ("1", "1 place"),
    ("3", "3 places"),
    ("5", "5 places"),
    ("10", "10 places"),
]


class FollowForm(SignupForm):
    """An address and what to follow: ``target`` is "model/<slug>", "provider/<slug>" or
    "benchmark/<slug>"; the page's follow box offers only real ones, and the view checks."""

    target = forms.CharField(max_length=100, error_messages={"required": "Choose what to follow."})
    rank_threshold = forms.TypedChoiceField(
        choices=THRESHOLD_CHOICES, required=False, coerce=int, empty_value=None
    )

    def clean_target(self) -> tuple[str, str]:
        kind, _, slug = self.cleaned_data["target"].partition("/")
        if kind not in ("model", "provider", "benchmark") or not slug:
            raise forms.ValidationError("Choose what to follow.")
        return kind, slug


class ManageForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=AlertFrequency.choices,
        widget=forms.RadioSelect,
    )
