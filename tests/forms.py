"""Posting a form the way a browser and htmx do: url-encoded (the signup refuses multipart)."""

from urllib.parse import urlencode

URLENCODED = "application/x-www-form-urlencoded"


def form_post(client, path: str, data: dict, **extra):
    return client.post(path, urlencode(data, doseq=True), content_type=URLENCODED, **extra)
