"""Security headers, cookies, request size limits and Markdown sanitising, on every page type.

The site runs as in production here: DEBUG off, HTTPS with HSTS, secure cookies. Every page
type must carry the policy headers, and every HTML page must work under its own Content
Security Policy: no inline style, no event-handler attribute, and no script the policy would
block (an inline script needs the response's nonce; a script file must come from the site).
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from benchlm import pagecache
from comparisons import markup
from comparisons.importer import import_directory
from comparisons.models import LanguageModel

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent / "fixtures" / "seed"
HTMX = {"HX-Request": "true", "HX-Target": "leaderboard"}

# name: (path, request headers, expected status)
PAGES = {
    "leaderboard": ("/", {}, 200),
    "leaderboard-fragment": ("/?provider=openai&sort=name&dir=desc", HTMX, 200),
    "model": ("/models/gpt-4-1-mini/", {}, 200),
    "compare": ("/compare/gpt-4-1-mini-vs-muse-spark/", {}, 200),
    "pricing": ("/pricing/", {}, 200),
    "pricing-calculator": (
        "/pricing/?preset=chat&requests=1000&cached=20&batch=on&sort=-output",
        {},
        200,
    ),
    "benchmarks": ("/benchmarks/", {}, 200),
    "benchmark": ("/benchmarks/mmlu/", {}, 200),
    "category": ("/categories/coding/", {}, 200),
    "methodology": ("/methodology/", {}, 200),
    "api-json": ("/api/v1/models/", {}, 200),
    "scores-csv": ("/api/v1/scores.csv", {}, 200),
    "sitemap": ("/sitemap.xml", {}, 200),
    "robots": ("/robots.txt", {}, 200),
    "digest": ("/digest/", {}, 200),
    "digest-archive": ("/digest/archive/", {}, 200),
    "feed": ("/feed/changes/", {}, 200),
    "not-found": ("/no-such-page/", {}, 404),
    "admin-login": ("/admin/login/", {}, 200),
}
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
# Script types a browser runs; anything else (application/ld+json) is a data block.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data-hx-get", "hx-get")


@pytest.fixture
def production(settings):
    """Production's security settings (benchlm/settings.py with DEBUG off)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.fixture
def site(production):
    report = import_directory(SEED)
    assert report.ok, report.errors
    return Client(raise_request_exception=False)


# --- Reading responses ----------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


def script_sources(directives: dict[str, list[str]]) -> list[str]:
    return directives.get("script-src", directives.get("default-src", []))


def header_nonces(directives: dict[str, list[str]]) -> set[str]:
    return {v[len("'nonce-") : -1] for v in script_sources(directives) if v.startswith("'nonce-")}


class Page(HTMLParser):
    """Every start tag with its attributes, and every script with its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: tuple[dict[str, str], list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {name.lower(): value or "" for name, value in attrs}))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/") and "\\" not in url


def check_headers(response) -> dict[str, list[str]]:
    directives = csp_directives(response)
    scripts = script_sources(directives)
    assert scripts, "the policy does not restrict scripts"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "'unsafe-inline'" not in directives.get("style-src", directives.get("default-src"))
    assert directives.get("object-src") == ["'none'"]
    assert "base-uri" in directives
    frame_ancestors = directives.get("frame-ancestors")
    assert response.get("X-Frame-Options") in {"DENY", "SAMEORIGIN"} or frame_ancestors in (
        ["'none'"],
        ["'self'"],
    )
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") in SAFE_REFERRER_POLICIES
    assert response.get("Cross-Origin-Opener-Policy") in {"same-origin", "same-origin-allow-popups"}
    hsts = response.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, hsts
    return directives


def check_cookies(response, settings) -> None:
    for name, morsel in response.cookies.items():
        if name in {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}:
            assert morsel["secure"], f"{name} cookie without Secure"
            assert morsel["samesite"] in {"Lax", "Strict"}, f"{name} cookie SameSite"
        if name == settings.SESSION_COOKIE_NAME:
            assert morsel["httponly"], "session cookie without HttpOnly"


def check_html(html: str, directives: dict[str, list[str]], *, fresh: bool) -> None:
    """Nothing the policy would block or ignore. ``fresh``: rendered for this response (not
    a cached copy), so its nonce is the one in the header."""
    page = Page(html)
    nonces = header_nonces(directives)
    for tag, attributes in page.tags:
        assert tag != "style", "a <style> element (style-src allows files only)"
        assert "style" not in attributes, f"inline style on <{tag}> (style-src allows files only)"
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, f"event handler {handlers} on <{tag}> (script-src blocks it)"
        for name in URL_ATTRIBUTES:
            value = attributes.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:")), f"<{tag} {name}={value}>"
    for attributes, text in page.scripts:
        nonce = attributes.get("nonce")
        if fresh and nonce is not None:
            assert nonce in nonces, f"script nonce {nonce!r} is not the response's {nonces}"
        if attributes.get("type", "").strip().lower() not in SCRIPT_TYPES:
            assert "</script" not in text.lower()
            continue  # a data block: never run
        if "src" in attributes:
            allowed = same_origin(attributes["src"]) or (nonce is not None and nonce in nonces)
            assert allowed, f"script from {attributes['src']!r} outside the policy"
        else:
            assert nonce is not None and nonce in nonces, f"inline script without the nonce: {text}"
    # Public pages use no nonce at all (they are the same bytes for every visitor, see
    # benchlm/pagecache.py); a page that does must find it in its policy.
    if fresh and any("nonce" in attributes for attributes, _ in page.scripts) and "<html" in html:
        assert len(nonces) == 1, f"a full page without its nonce in the policy: {nonces}"


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


# --- Tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_carries_the_security_headers(site, production, name):
    path, headers, status = PAGES[name]
    response = site.get(path, headers=headers, secure=True)
    assert response.status_code == status, name
    directives = check_headers(response)
    check_cookies(response, production)
    if response["Content-Type"].startswith("text/html"):
        check_html(body_text(response), directives, fresh=True)


@pytest.mark.parametrize("name", ["leaderboard", "model", "compare", "pricing-calculator"])
def test_a_page_cache_hit_still_works_under_its_own_policy(site, settings, name):
    """A cached copy was rendered for an earlier response: its nonces are stale, so everything
    it runs must be allowed without one."""
    settings.PAGE_CACHE = True
    pagecache.pages.clear()
    path, headers, _ = PAGES[name]
    site.get(path, headers=headers, secure=True)
    response = site.get(path, headers=headers, secure=True)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") == "hit"
    check_html(body_text(response), check_headers(response), fresh=False)
    pagecache.pages.clear()


def test_plain_http_is_redirected_and_gets_no_hsts(site):
    response = site.get("/pricing/?preset=chat")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/pricing/?preset=chat"
    assert not response.has_header("Strict-Transport-Security")


def test_session_and_csrf_cookies_are_secure(site, production, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "long-pass-1234")
    page = site.get("/admin/login/", secure=True)
    assert production.CSRF_COOKIE_NAME in page.cookies
    check_cookies(page, production)
    response = site.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "long-pass-1234"},
        secure=True,
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    session = response.cookies[production.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    check_cookies(response, production)
    check_headers(response)


SIX_MB = 6 * 1024 * 1024


@pytest.mark.parametrize("path", ["/digest/subscribe/", "/admin/login/"])
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_body_over_the_upload_limit_is_a_400(production, path, encoding):
    """DATA_UPLOAD_MAX_MEMORY_SIZE is 5 MB: past it, a 400 (RequestDataTooBig), not a 500,
    with CSRF checks on as in production."""
    assert production.DATA_UPLOAD_MAX_MEMORY_SIZE < SIX_MB
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/admin/login/", secure=True)  # a CSRF cookie, so the check reads the body
    headers = {"Origin": "https://testserver", "HX-Request": "true"}
    if encoding == "urlencoded":
        body = "email=reader%40example.com&padding=" + "a" * SIX_MB
        response = client.post(
            path,
            body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
            secure=True,
        )
    else:
        response = client.post(
            path,
            {"email": "reader@example.com", "username": "x", "padding": "a" * SIX_MB},
            headers=headers,
            secure=True,
        )
    if path == "/digest/subscribe/":
        # The signup refuses from the headers alone: too large, or not url-encoded.
        assert response.status_code == (413 if encoding == "urlencoded" else 415)
    else:
        assert response.status_code == 400


HOSTILE_MARKDOWN = """\
Known for **long context**; see [the model card](https://example.com/card).

<script>alert("script")</script>

<img src=x onerror=alert("img")> <img src="x" onerror="alert('quoted')">

[a link](javascript:alert("link")) and [another](JaVaScRiPt:alert("case"))
and <a href="javascript:alert('raw')">a raw one</a>
and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<iframe src="https://evil.example/"></iframe>

<style>body { display: none }</style>

<p style="color: red" onclick="alert('p')">styled</p>

<svg onload=alert("svg")><circle r="1"/></svg>

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">

<form action="https://evil.example/"><input name="password"><button>Go</button></form>

<math><mtext><table><mglyph><style><img src=x onerror=alert("mxss")></style></mglyph></table>
"""


def test_model_markdown_is_rendered_without_anything_active(site):
    model = LanguageModel.objects.get(slug="gpt-4-1-mini")
    model.body = HOSTILE_MARKDOWN
    model.save()
    response = site.get("/models/gpt-4-1-mini/", secure=True)
    assert response.status_code == 200
    html = body_text(response)
    check_html(html, check_headers(response), fresh=True)
    prose = re.search(r'<section class="prose".*?</h2>(.*?)</section>', html, re.S).group(1)
    page = Page(prose)
    tags = {tag for tag, _ in page.tags}
    assert tags <= markup.ALLOWED_TAGS, tags - markup.ALLOWED_TAGS
    assert not page.scripts
    for _, attributes in page.tags:
        assert set(attributes) <= {"href", "title", "rel", "align"}
        assert not attributes.get("href", "https:").lower().startswith(("javascript:", "data:"))
        assert not any("alert(" in value for value in attributes.values())
    # What is safe survives: the text, the emphasis, the https link (marked nofollow).
    assert "<strong>long context</strong>" in prose
    card = [attrs for _, attrs in page.tags if attrs.get("href") == "https://example.com/card"]
    assert card and {"nofollow", "noopener"} <= set(card[0]["rel"].split())
    assert "styled" in prose and "a raw one" in prose
