"""A console mailer a person can read: ``make run`` prints each email to the terminal."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

SHOWN_HEADERS = ("From", "To", "Subject", "Date", "List-Unsubscribe")


class ReadableConsoleBackend(ConsoleBackend):
    """Prints the headers that matter and the plain-text body as text.

    Django's console mailer prints the encoded MIME message, where a long confirmation link is
    quoted-printable ("=3D", soft line breaks) and can be neither clicked nor copied.
    """

    def write_message(self, message) -> None:
        mime = message.message()
        for name in SHOWN_HEADERS:
            if mime[name]:
                self.stream.write(f"{name}: {mime[name]}\n")
        self.stream.write("\n")
        self.stream.write(message.body.rstrip("\n") + "\n")
        alternatives = [mimetype for _content, mimetype in getattr(message, "alternatives", [])]
        if alternatives:
            self.stream.write(f"\n[also sent as {', '.join(alternatives)}]\n")
        self.stream.write("-" * 79 + "\n")
