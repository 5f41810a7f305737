import io

from django.core.mail import EmailMultiAlternatives

from benchlm.mail import ReadableConsoleBackend

LINK = "http://127.0.0.1:8801/digest/confirm/" + "x" * 90 + "/?a=1&b=2"


def test_console_mail_prints_the_body_as_text_with_whole_links():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Confirm your subscription",
        f"Open this link:\n{LINK}\n",
        "a@example.com",
        ["r@example.com"],
    )
    message.attach_alternative(f'<a href="{LINK}">confirm</a>', "text/html")
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "=3D" not in printed and "Content-Transfer-Encoding" not in printed
    assert "Subject: Confirm your subscription" in printed
    assert "[also sent as text/html]" in printed
