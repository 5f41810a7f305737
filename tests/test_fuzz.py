"""Fuzzing every public URL, query parameter and form with hostile input (Hypothesis).

The routes come from the URL resolver (the admin aside) and the query parameter names from the
views' forms plus the few parameters views read directly, so a new page or field is fuzzed
without touching this file. Each path converter gets real values from the demo catalogue and
hostile ones; each parameter gets values its view understands and hostile ones.

Whatever the input, with ``DEBUG`` off: no 500 (a 4xx is the right answer to nonsense), no
redirect to another host, and no injected markup echoed unescaped in an HTML body.

The demo catalogue is loaded once for the module inside a transaction that is rolled back at
the end; each test's own transaction is a savepoint inside it. Run with ``-s`` to see how many
examples each test ran.
"""

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.core import signing
from django.db import transaction
from django.db.models.functions import Length
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comparisons import leaderboard, price_table, pricing
from comparisons.importer import import_directory
from comparisons.models import Benchmark, Category, LanguageModel, Provider, Score
from comparisons.scoring import Lane
from comparisons.sitemaps import SITEMAPS
from comparisons.views.compare import PairForm
from comparisons.views.leaderboard import LeaderboardForm
from comparisons.views.many import AddForm
from comparisons.views.prices import (
    CONTEXT_CHOICES,
    MAX_TOKENS,
    CalculatorForm,
    PriceTableForm,
)
from newsletter import services, tokens
from newsletter.forms import MAX_EMAIL, SignupForm
from newsletter.models import Digest, Follow, Subscriber
from newsletter.views import SIGNUP_MAX_BODY
from tests.forms import form_post

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "comparisons" / "demo_data"

# Examples per Hypothesis test; together at least MIN_EXAMPLES, checked by the last test.
MIN_EXAMPLES = 2_000
GET_EXAMPLES = 1_300
METHOD_EXAMPLES = 250
SUBSCRIBE_EXAMPLES = 450
TOKEN_EXAMPLES = 250
EXAMPLES_RUN: Counter[str] = Counter()  # test name -> examples run

FUZZ = hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- What must never come back --------------------------------------------------------------

# Injected as (part of) hostile values; none may appear as-is in an HTML body.
MARKERS = [
    "<script>x</script>",
    '"><b id=fuzz>',
    "' onfocus=fuzz x='",
    '" onfocus=fuzz x="',
    "javascript:fuzz()",
]
# The dangerous part of each marker: what autoescaping must have turned into entities.
UNESCAPED = ["<script>x</script>", "<b id=fuzz>", "' onfocus=fuzz", '" onfocus=fuzz']
SCRIPT_URL = re.compile(
    r"""(?:href|src|action|formaction|hx-get|hx-post)\s*=\s*["']?\s*javascript:fuzz""", re.I
)

# --- Hostile values -------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202egnp.exe\u202c",  # right-to-left override
    "\u2066rtl\u2069\u200f",
    "zero\u200bwidth\u200d\ufeff",
    "\u0430dmin",  # Cyrillic a
    # Astral plane: "Unicode" in Fraktur, an emoji, the last code point.
    "\U0001d518\U0001d52b\U0001d526\U0001d520\U0001d52c\U0001d521\U0001d522 \U0001f600 \U0010fffd",
    "İ" * 30,  # lower-cases to twice as many characters
    "ﷺ" * 20,
    "1e308",
    "-1e308",
    "-1",
    "0",
    "-0",
    str(10**30),
    str(-(10**30)),
    "9" * 400,
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e-999999",
    "1e999999999999999999",
    "0x10",
    "1_000",
    "٣",  # an Arabic-Indic digit: int() accepts it
    "\uff11\uff12\uff13",  # full-width digits
    "1.5",
    "../",
    "../../etc/passwd",
    "..%2f..%2f",
    "%2e%2e",
    "%2e%2e%2f",
    "%252e%252e%252f",
    "//",
    "//evil.example/",
    "https://evil.example/",
    "\\\\evil.example\\",
    "%2F",
    "a%2Fb",
    "%00",
    "%ZZ",
    "' OR 1=1 --",
    "1; DROP TABLE comparisons_languagemodel; --",
    ";",
    "'",
    '"',
    "`",
    "%",
    "_",
    "\\",
    "*",
    "{{ 7|add:7 }}{% debug %}",
    "${7*7}",
    "\r\nSet-Cookie: fuzz=1",
    "\n",
    "\t",
    "A" * 5_000,
    "é" * 3_000,
    *MARKERS,
    "<script>x</script>@example.com",
    '"><b id=fuzz>-vs-gpt-4o',
]

marker = st.sampled_from(MARKERS)
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30),  # any code point but surrogates, NUL included
    st.builds(lambda a, m, b: a + m + b, st.text(max_size=8), marker, st.text(max_size=8)),
    st.integers().map(str),
    st.floats().map(str),
    st.decimals().map(str),
    st.integers(min_value=100, max_value=20_000).map(lambda n: "x" * n),
)


def wsgi_header(value: str) -> str:
    """A header value as a WSGI server hands it over: UTF-8 bytes read as Latin-1, one line."""
    return re.sub(r"[\r\n\x00]", "", value).encode().decode("latin-1")


# --- The site's routes and parameters -------------------------------------------------------

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def public_routes() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern but the admin's, e.g. ("models/<slug:slug>/", ...)."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append((prefix + str(pattern.pattern), pattern.name or str(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    return [(route, name) for route, name in found if not route.startswith("admin/")]


ROUTES = public_routes()

# Parameters the views read directly rather than through a form.
DIRECT_PARAMS = {"format", "sort", "lane", "page", "sent", "plain", "p"}
PARAMS = sorted(
    {
        *LeaderboardForm.base_fields,
        *CalculatorForm.base_fields,
        *PriceTableForm.base_fields,
        *PairForm.base_fields,
        *AddForm.base_fields,
        *SignupForm.base_fields,
        *DIRECT_PARAMS,
    }
)
HX_TARGETS = [
    "leaderboard",
    "comparison",
    "comparison-body",
    "many",
    "add-third",
    "pair-calculator",
    "price-table",
    "calculator-results",
    "signup-box",
]


@dataclass(frozen=True)
class Catalogue:
    """Real values, by kind, for path converters and query parameters."""

    path: dict[str, list[str]]
    params: dict[str, list[str]]
    # Whole, valid query strings per route name, for a hostile value to hide among.
    queries: dict[str, list[dict[str, str]]]

    def for_converter(self, route_name: str, name: str) -> list[str]:
        kind = PATH_KINDS.get((route_name, name))
        if kind:
            return self.path[kind]
        return [value for values in self.path.values() for value in values]  # a new route

    def for_param(self, name: str) -> list[str]:
        return self.params.get(name) or ["1"]


PATH_KINDS = {
    ("model_detail", "slug"): "model",
    ("api_model", "slug"): "model",
    ("benchmark_detail", "slug"): "benchmark",
    ("category_detail", "slug"): "category",
    ("compare", "pair"): "pair",
    ("api_compare", "pair"): "pair",
    ("compare_many", "models"): "set",
    ("api_compare_many", "models"): "set",
    ("digest_confirm", "token"): "confirm",
    ("digest_unsubscribe", "token"): "unsubscribe",
    ("follow_confirm", "token"): "follow_confirm",
    ("follow_manage", "token"): "manage",
    ("follow_stop", "token"): "manage",
    ("digest_archive_detail", "pk"): "digest",
    ("sitemap_section", "section"): "section",
}


def load_catalogue() -> Catalogue:
    report = import_directory(DEMO)
    assert report.ok, report.errors
    models = list(LanguageModel.objects.order_by("slug").values_list("slug", "name"))
    slugs = [slug for slug, _ in models]
    benchmarks = list(Benchmark.objects.values_list("slug", flat=True))
    categories = list(Category.objects.values_list("slug", flat=True))
    providers = list(Provider.objects.values_list("slug", flat=True))

    # A sent digest for the archive, and subscribers for the links in emails.
    score = Score.objects.order_by("pk").first()
    score.value -= 1
    score.save()
    digest = services.prepare_digest()
    Digest.objects.filter(pk=digest.pk).update(fanned_out_at=timezone.now())
    pending = Subscriber.objects.create(email="pending@example.com")
    active = Subscriber.objects.create(email="active@example.com", status="active")
    confirm, unsubscribe = tokens.confirm_token(pending), tokens.unsubscribe_token(active)
    follow = Follow.objects.create(subscriber=active, kind="model", slug=slugs[0], name="M")
    follow_confirm, manage = tokens.follow_confirm_token(follow), tokens.manage_token(active)

    a, b, c = slugs[0], slugs[1], slugs[-1]
    pairs = [f"{a}-vs-{b}", f"{b}-vs-{a}", f"{a}-vs-{c}", f"{a}-vs-{a}", f"{a.upper()}-vs-{b}"]
    pairs += [f"{a}-vs-{b}-vs-{c}", f"{a}-vs-", f"-vs-{a}", f"{a}-VS-{b}", f"{a}-vs-nope"]
    sets = [f"{a},{b},{c}", f"{c},{a},{b}", f"{a},{b}", f"{a},{a}", f"{a},{b},{c},{a}"]
    sets += [f"{a.upper()},{b},{c}", f"{a},{b},nope", ",".join(slugs[:7]), ",", f",{a},,{b},"]
    leaderboard_sorts = [*leaderboard.SORTS, *(f"cat-{slug}" for slug in categories), "cat-"]
    table_sorts = [*price_table.SORTS, *(f"-{key}" for key in price_table.SORTS), "--name"]
    numbers = ["0", "1", "5000", "100000", str(MAX_TOKENS), str(MAX_TOKENS + 1)]
    return Catalogue(
        path={
            "model": [*slugs[:5], c, "nope"],
            "benchmark": [*benchmarks, "nope"],
            "category": [*categories, "nope"],
            "pair": pairs,
            "set": sets,
            "confirm": [confirm, confirm[:-1], confirm + "x", unsubscribe],
            "unsubscribe": [unsubscribe, unsubscribe[:-1], unsubscribe.upper(), confirm],
            "follow_confirm": [follow_confirm, follow_confirm[:-1], manage, confirm],
            "manage": [manage, manage[:-1], manage.upper(), unsubscribe, follow_confirm],
            "digest": [str(digest.pk), "0", str(digest.pk + 1), "9" * 30],
            "section": [*SITEMAPS, "nope"],
        },
        params={
            "q": [name for _, name in models[:5]] + ["gpt", "GPT 4", ""],
            "provider": providers,
            "category": categories,
            "open_weights": ["yes", "no", ""],
            "reasoning": ["yes", "no", ""],
            "max_price": ["0", "0.5", "1.2345", "100000", "100000.0001", "1.23456"],
            "max_output": ["0", "0.5", "2", "100000", "12345678901"],
            "lane": [lane.value for lane in Lane],
            "sort": [*leaderboard_sorts, *table_sorts],
            "dir": ["asc", "desc"],
            "format": ["csv", "json", "CSV"],
            "preset": [*pricing.PRESETS, ""],
            "input_tokens": numbers,
            "output_tokens": numbers,
            "requests": [*numbers, "1000000000", "1000000001"],
            "cached": ["0", "50", "100", "101"],
            "batch": ["on", "1", "true", "false", ""],
            "has_batch": ["on", "1", "false"],
            "min_context": [value for value, _ in CONTEXT_CHOICES] + ["7"],
            "page": ["1", "2", "0", "last"],
            "p": ["1", "2", "0"],
            "a": slugs[:3],
            "b": slugs[-3:],
            "add": [*slugs[3:6], "nope", ""],
            "add_q": [name for _, name in models[3:6]] + ["gpt", "zzzz", ""],
            "sent": ["1"],
            "plain": ["1"],
            "email": ["reader@example.com"],
        },
        queries={
            "leaderboard": [
                {"sort": "name", "dir": "desc", "lane": "verified", "q": "gpt"},
                {"provider": providers[0], "category": categories[0], "max_price": "5"},
                {"open_weights": "no", "reasoning": "yes", "sort": f"cat-{categories[0]}"},
                {"format": "csv", "lane": "verified"},
            ],
            "compare_select": [{"a": a, "b": b}, {"a": c, "b": a}, {"a": a, "b": a}],
            "compare": [{"input_tokens": "1000", "output_tokens": "500", "requests": "10"}],
            "compare_many": [{"add": slugs[4], "add_q": models[4][1]}, {"add_q": "gpt"}],
            "pricing": [
                {"preset": "chat", "requests": "1000", "cached": "20", "batch": "on"},
                {"sort": "-output", "provider": providers[0], "max_output": "2"},
                {"min_context": "128000", "has_batch": "on", "sort": "value"},
            ],
            "api_models": [{"lane": "verified"}],
            "digest": [{"sent": "1"}],
            "digest_archive": [{"page": "2"}],
            "sitemap_section": [{"p": "1"}],
        },
    )


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The demo catalogue, loaded once in a transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            data = load_catalogue()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def web(settings, catalogue):
    """A client for a production-like site: DEBUG off, exceptions answered with a 500 page."""
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return Client(raise_request_exception=False)


# --- Strategies -----------------------------------------------------------------------------


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + CONVERTER.sub(lambda m: values[m.group("name")], route)


@st.composite
def paths(draw, catalogue: Catalogue, route: str, route_name: str) -> str:
    """``route`` with each converter replaced by a real value or a hostile one, which is sent
    percent-encoded (as a browser would) or raw (so "%2e%2e", "//" and "?" reach the resolver
    as they are)."""
    values = {}
    for match in CONVERTER.finditer(route):
        name = match.group("name")
        real = st.sampled_from(catalogue.for_converter(route_name, name))
        value = draw(real if draw(st.booleans()) else hostile)
        values[name] = draw(st.sampled_from([quote(value, safe=""), value]))
    return fill(route, values)


@st.composite
def queries(draw, catalogue: Catalogue, route_name: str = "") -> dict[str, str | list[str]]:
    """Known and invented parameters with real and hostile values, on top of (sometimes) a
    whole valid query for the route, so that one bad field sits among good ones."""
    base = draw(st.sampled_from([{}, *catalogue.queries.get(route_name, [])]))
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(PARAMS), st.sampled_from(PARAMS), hostile),
            max_size=6,
            unique=True,
        )
    )
    query: dict[str, str | list[str]] = dict(base)
    for name in names:
        real = st.sampled_from(catalogue.for_param(name))
        several = st.lists(st.one_of(real, hostile), min_size=2, max_size=3)  # ?sort=a&sort=b
        query[name] = draw(st.one_of(real, real, hostile, several))
    return query


# Raw query strings that no dictionary produces: broken escapes, bytes that are not UTF-8,
# separators without names or values, more fields than Django accepts.
RAW_QUERIES = [
    "%",
    "%ZZ=%ZZ",
    "sort=%ff%fe&q=%c0%af",
    "q=%00",
    "&&&==&",
    "sort",
    "sort=rank;lane=verified",
    "a=1&" * 1_001,
    "q[]=1&q[0]=2",
    "lane=verified&lane=provisional&lane=" + "x" * 10_000,
]

htmx_headers = st.fixed_dictionaries(
    {},
    optional={
        "HX-Request": st.one_of(st.just("true"), hostile),
        "HX-Target": st.one_of(st.sampled_from(HX_TARGETS), hostile),
        "HX-History-Restore-Request": st.sampled_from(["true", "false"]),
        "HX-Current-URL": hostile,
        "HX-Trigger-Name": hostile,
    },
).map(lambda headers: {name: wsgi_header(value) for name, value in headers.items()})


# --- The checks -----------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """One example's writes, undone after it, so that each example starts from the catalogue."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def check(response, request: str) -> None:
    """No server error, no redirect off the site, no injected markup in HTML."""
    assert response.status_code < 500, f"{response.status_code} for {request}"
    if response.has_header("Location"):
        location = urlsplit(response["Location"])
        assert location.netloc in {"", "testserver"}, f"redirect off-site for {request}"
        assert not response["Location"].startswith(("//", "/\\")), request
    if response.get("Content-Type", "").startswith("text/html"):
        body = body_text(response)
        for raw in UNESCAPED:
            assert raw not in body, f"{raw!r} unescaped in the answer to {request}"
        assert not SCRIPT_URL.search(body), f"javascript: URL in the answer to {request}"


def describe(method: str, path: str, **details) -> str:
    shown = {k: (v if len(repr(v)) < 300 else f"{repr(v)[:300]}...") for k, v in details.items()}
    return f"{method} {path!r} {shown}"


# --- The fuzz tests -------------------------------------------------------------------------


def test_routes_are_enumerated():
    names = {name for _, name in ROUTES}
    assert {"leaderboard", "model_detail", "compare", "pricing", "digest_subscribe"} <= names
    assert {"api_models", "api_scores_csv", "sitemap_section", "digest_unsubscribe"} <= names
    assert not any(route.startswith("admin") for route, _ in ROUTES)
    assert {"sort", "q", "max_price", "input_tokens", "has_batch", "page", "a", "b"} <= set(PARAMS)


@pytest.mark.slow(35)
def test_every_route_and_parameter_with_hostile_values(web, catalogue, request):
    """GET (and HEAD) every public route: real and hostile path values, known and invented
    query parameters, htmx headers or none."""
    requests = {
        name: st.tuples(
            paths(catalogue, route, name),
            st.one_of(queries(catalogue, name), st.sampled_from(RAW_QUERIES)),
        )
        for route, name in ROUTES
    }
    any_request = st.sampled_from(sorted(requests)).flatmap(lambda name: requests[name])

    @hypothesis_settings(FUZZ, max_examples=GET_EXAMPLES)
    @given(
        path_and_query=any_request,
        headers=htmx_headers,
        method=st.sampled_from(["get", "get", "get", "head"]),
    )
    def fuzz(path_and_query, headers, method):
        EXAMPLES_RUN[request.node.name] += 1
        path, query = path_and_query
        if isinstance(query, str):
            response = getattr(web, method)(path, headers=headers, QUERY_STRING=query)
        else:
            response = getattr(web, method)(path, query, headers=headers)
        check(response, describe(method, path, query=query, headers=headers))

    fuzz()
    record(request, GET_EXAMPLES)


def test_other_methods_on_every_route(web, catalogue, request):
    """POST, PUT, PATCH, DELETE and OPTIONS to every route, with hostile form bodies: a 405 or
    a form error, never a crash."""
    route_paths = {name: paths(catalogue, route, name) for route, name in ROUTES}
    any_path = st.sampled_from(sorted(route_paths)).flatmap(lambda name: route_paths[name])

    @hypothesis_settings(FUZZ, max_examples=METHOD_EXAMPLES)
    @given(
        path=any_path,
        form=queries(catalogue),
        headers=htmx_headers,
        method=st.sampled_from(["post", "post", "put", "delete", "options", "patch"]),
    )
    def fuzz(path, form, headers, method):
        EXAMPLES_RUN[request.node.name] += 1
        with rolled_back():
            if method == "post":
                response = web.post(path, form, headers=headers)
            else:
                response = getattr(web, method)(path, headers=headers)
            check(response, describe(method, path, form=form, headers=headers))

    fuzz()
    record(request, METHOD_EXAMPLES)


emails = st.one_of(
    hostile,
    st.emails().map(str),
    st.builds(lambda m: f'"{m}"@example.com', marker),  # a quoted local part is valid
    st.builds(lambda local: f"{local}@example.com", st.text(min_size=1, max_size=40)),
    st.integers(min_value=1, max_value=150).map(lambda n: "İ" * n + "@example.com"),
    st.integers(min_value=1, max_value=80).map(lambda n: "a@" + ("İ" * 40 + ".") * (n // 40 + 1)),
    st.sampled_from(["reader@example.com", " Reader@Example.COM ", "a@b.co"]),
)


@pytest.mark.slow(10)
def test_subscribe_with_hostile_addresses(web, settings, request):
    """The signup form, as a plain POST and through htmx, with any address, any country header
    and extra fields: a 4xx for nonsense, and nothing stored that breaks the model's rules."""
    settings.SIGNUP_RATE_PER_CLIENT = settings.SIGNUP_RATE_PER_ADDRESS = 10**6
    settings.CONSENT_COUNTRY_HEADER = "HTTP_CF_IPCOUNTRY"
    max_length = Subscriber._meta.get_field("email").max_length

    @hypothesis_settings(FUZZ, max_examples=SUBSCRIBE_EXAMPLES)
    @given(
        email=st.one_of(emails, st.lists(emails, min_size=2, max_size=3)),
        extra=st.dictionaries(st.sampled_from(["plain", "csrfmiddlewaretoken", "x"]), hostile),
        htmx=st.booleans(),
        country=st.one_of(st.none(), st.sampled_from(["GB", "uk", "XX", "T1", "ca"]), hostile),
        address=st.one_of(st.ip_addresses().map(str), st.sampled_from(["", "unknown"])),
    )
    def fuzz(email, extra, htmx, country, address):
        EXAMPLES_RUN[request.node.name] += 1
        headers = {"HX-Request": "true", "HX-Target": "signup-box"} if htmx else {}
        if country is not None:
            headers["CF-IPCountry"] = wsgi_header(country)
        form = {**extra, "email": email}
        with rolled_back():
            response = form_post(
                web, "/digest/subscribe/", form, headers=headers, REMOTE_ADDR=address
            )
            check(response, describe("post", "/digest/subscribe/", form=form, headers=headers))
            # A body past the signup's limit is refused whole, before any field is read.
            oversized = len(urlencode(form, doseq=True)) > SIGNUP_MAX_BODY
            expected = {413} if oversized else {200, 302, 400}
            assert response.status_code in expected, response.status_code
            too_long = Subscriber.objects.annotate(n=Length("email")).filter(n__gt=max_length)
            assert not too_long.exists(), f"{email!r} stored longer than {MAX_EMAIL} characters"

    fuzz()
    record(request, SUBSCRIBE_EXAMPLES)


def signed(payload, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


@st.composite
def bad_tokens(draw, catalogue: Catalogue) -> str:
    """Hostile strings, real tokens with a character changed, cut or added, tokens of the other
    kind, and well-signed tokens of the wrong shape (what a leaked key or a bug would yield)."""
    real = draw(st.sampled_from(catalogue.path["confirm"] + catalogue.path["unsubscribe"]))
    index = draw(st.integers(min_value=0, max_value=len(real) - 1))
    char = draw(st.sampled_from("AZaz09-_:.=%"))
    salt = draw(st.sampled_from([tokens.CONFIRM_SALT, tokens.UNSUBSCRIBE_SALT, "other"]))
    payload = draw(
        st.sampled_from(
            [
                None,
                [],
                [1],
                ["1", "a@example.com"],
                [True, "active@example.com"],
                [-1, ""],
                [2**70, "active@example.com"],
                [1, 2**70],
                [1, None],
                [1.5, "x"],
                {"pk": 1},
                "x" * 400,
            ]
        )
    )
    return draw(
        st.one_of(
            hostile,
            st.just(real[:index] + char + real[index + 1 :]),
            st.just(real[:index]),
            st.just(real + char),
            st.just(signed(payload, salt)),
        )
    )


def test_confirm_and_unsubscribe_links_with_bad_tokens(web, catalogue, request):
    """The links in emails, GET and POST (the one-click unsubscribe of RFC 8058 included), with
    tokens that are not ours."""

    @hypothesis_settings(FUZZ, max_examples=TOKEN_EXAMPLES)
    @given(
        token=bad_tokens(catalogue),
        view=st.sampled_from(["digest_unsubscribe", "digest_confirm"]),
        method=st.sampled_from(["post", "post", "get"]),
        form=st.dictionaries(st.sampled_from(["List-Unsubscribe", "x"]), hostile, max_size=2),
        encode=st.booleans(),
    )
    def fuzz(token, view, method, form, encode):
        EXAMPLES_RUN[request.node.name] += 1
        segment = view.removeprefix("digest_")
        path = f"/digest/{segment}/{quote(token, safe='') if encode else token}/"
        with rolled_back():
            response = getattr(web, method)(path, form) if method == "post" else web.get(path)
            check(response, describe(method, path, form=form))

    fuzz()
    record(request, TOKEN_EXAMPLES)


def record(request, budget: int) -> None:
    count = EXAMPLES_RUN[request.node.name]
    print(f"\n{request.node.name}: {count} examples")
    assert count >= budget, f"only {count} of {budget} examples ran"


def test_the_fuzz_tests_ran_enough_examples():
    """At least MIN_EXAMPLES in all; when only some tests were selected, their own budgets."""
    budgets = [GET_EXAMPLES, METHOD_EXAMPLES, SUBSCRIBE_EXAMPLES, TOKEN_EXAMPLES]
    assert sum(budgets) >= MIN_EXAMPLES
    print(f"\nfuzz examples run: {sum(EXAMPLES_RUN.values())} {EXAMPLES_RUN}")
    if len(EXAMPLES_RUN) == len(budgets):
        assert sum(EXAMPLES_RUN.values()) >= MIN_EXAMPLES
