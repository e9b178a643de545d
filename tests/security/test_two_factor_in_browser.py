"""Two-factor sign-in in a real browser: set up from the staff menu, then asked for at login.
Every page passes axe (WCAG 2.2 AA) in our own layout."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401  (fixtures the browser tests share)
    _browser_db,
    assert_accessible,
    browser_context_args,
    browser_type_launch_args,
    log_in,
)
from tests.factories import PASSWORD

from .test_login_protection import current_code

pytestmark = pytest.mark.browser


def test_staff_turn_on_two_factor_sign_in_and_are_asked_for_a_code_next_time(page, live_server, staff):
    log_in(page, live_server, staff.email)
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert_accessible(page, "two-factor overview")
    page.get_by_role("link", name="Activate").first.click()
    # Setting it up asks for the password again.
    page.get_by_label("Password").fill(PASSWORD)
    assert_accessible(page, "confirm password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Authenticator secret")).to_be_visible()
    assert_accessible(page, "set up an authenticator app")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "after activation")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    page.context.clear_cookies()
    log_in(page, live_server, staff.email)
    expect(page.get_by_label("Code")).to_be_visible()
    assert_accessible(page, "asked for the code")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam Staff")
