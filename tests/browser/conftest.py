"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Never downloads a browser: the executable is /usr/bin/chromium (CHROMIUM to override).
Screenshots of failing tests are saved under test-results/ (pytest-playwright's
--screenshot=only-on-failure, set in pyproject.toml).
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

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
    # Reduced motion turns off Bootstrap's smooth scrolling, which moves controls as they are clicked.
    return {
        **browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London", "reduced_motion": "reduce",
    }


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
    if overflow > 0:
        # Name the outermost elements that stick out, to say what to fix.
        culprits = page.evaluate(
            """() => { const edge = document.documentElement.clientWidth + 1;
              return [...document.querySelectorAll("body *")].filter(el => {
                const r = el.getBoundingClientRect();
                const parent = el.parentElement.getBoundingClientRect();
                return r.right > edge && r.width > 0 && !(parent.right > edge);
            }).slice(0, 5).map(el => el.outerHTML.slice(0, 160)); }"""
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px at 320px wide: {culprits}")


def read_row(row) -> list[str]:
    """A table row's cells as a person reads them: the label a phone shows before each cell (its
    data-label) and the cell's text. Fails if any of it is off the side of the screen."""
    cells = row.evaluate(
        """tr => { const edge = document.documentElement.clientWidth;
          return [...tr.cells].filter(c => c.getClientRects().length).map(c => {
            const r = c.getBoundingClientRect(); const label = getComputedStyle(c, "::before").content;
            const shown = label && label.startsWith('"') ? JSON.parse(label) + " " : "";
            return {text: (shown + c.innerText).replace(/\\s+/g, " ").trim(),
                    off: r.left < 0 || r.right > edge + 1}; }); }"""
    )
    off = [cell["text"] for cell in cells if cell["off"]]
    assert not off, f"off the side of the screen: {off}"
    return [cell["text"] for cell in cells]


def assert_tables_readable(page):
    """Every cell of every table on the page is on screen: nothing is hidden off the side."""
    for row in page.locator("main table tbody tr, main table tfoot tr").all():
        if row.is_visible():
            read_row(row)


def log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    # Wait for the answer: going elsewhere before it arrives would cancel the login.
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


# --- journeys (issue 7) ---
@pytest.fixture(autouse=True)
def _reference_data(_browser_db):
    """What data migrations seed (rates, the default role template): a flushed database lacks them."""
    import importlib
    from decimal import Decimal

    from expenses.models import Rate
    from projects.models import RoleTemplate

    rates = importlib.import_module("expenses.migrations.0002_seed_rates")
    for kind, amount, effective_from, needs_confirmation, source in rates.RATES:
        Rate.objects.get_or_create(
            kind=kind, effective_from=effective_from,
            defaults={"amount": Decimal(amount), "needs_confirmation": needs_confirmation, "source": source},
        )
    template = importlib.import_module("projects.migrations.0004_default_role_template")
    if not RoleTemplate.objects.filter(is_default=True).exists():
        RoleTemplate.objects.create(**template.DEFAULT)


@pytest.fixture
def finance(_browser_db):
    from tests.factories import StaffFactory

    return StaffFactory(name="Fin Finance", email="finance@example.org", is_finance=True)


def heading(page):
    """The page's one <h1>, for asserting where the user is."""
    return page.get_by_role("heading", level=1)


def log_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def assert_focus_visible(page):
    """The focused element shows a focus ring (an outline or a box-shadow), as site.css draws it."""
    style = page.evaluate(
        """() => { const el = document.activeElement; if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        return {tag: el.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                shadow: s.boxShadow}; }"""
    )
    assert style, "nothing has keyboard focus"
    assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", (
        f"focus is not visible on {style}"
    )


@pytest.fixture(autouse=True)
def _fail_fast(page):
    # A missing element fails in seconds, not Playwright's default 30, with room for a busy machine.
    page.set_default_timeout(15000)
    expect.set_options(timeout=15000)
