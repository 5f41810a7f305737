"""Browser tests: Playwright driving Debian's Chromium against Django's live test server."""

import os
import shutil
from pathlib import Path

import pytest

from comparisons.importer import import_directory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# and assertions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
DEMO = Path(__file__).resolve().parent.parent.parent / "comparisons" / "demo_data"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package."
        # CI always has it (.ci/run installs it); a laptop without it skips the browser tests.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the demo catalogue loaded."""
    report = import_directory(DEMO)
    assert report.ok, report.errors
    return live_server.url


@pytest.fixture
def outside_requests(page, site):
    """Every request the page makes to a host other than the site itself."""
    seen: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((site, "data:", "about:")) else seen.append(request.url)
        ),
    )
    return seen
