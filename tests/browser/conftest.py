"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Never downloads a browser: the executable is /usr/bin/chromium (CHROMIUM to override).
Screenshots of failing tests are saved under test-results/ (pytest-playwright's
--screenshot=only-on-failure, set in pyproject.toml).
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from tests.conftest import CHROMIUM, need_service

    need_service(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture(autouse=True)
def _browser_db(transactional_db):
    """The live server runs in another thread, so browser tests need committed data."""


def assert_accessible(page, context: str = ""):
    """No WCAG 2.x A/AA violations on the page as it is now."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{context or page.url}\n{results.generate_report()}"


def assert_fits_320(page):
    """At 320px wide nothing scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px wide"


def log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
