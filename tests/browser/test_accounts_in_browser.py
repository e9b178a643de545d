"""Logging in, invitations and the base pages in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from contributors.services import contributor_invite

from .conftest import assert_accessible, assert_fits_320, log_in

pytestmark = pytest.mark.browser


def test_staff_log_in_and_land_on_their_dashboard(page, live_server, staff):
    page.goto(live_server.url)
    assert_accessible(page, "home page")
    page.get_by_role("link", name="Log in").first.click()
    assert_accessible(page, "login page")
    log_in(page, live_server, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam Staff")
    expect(page.get_by_role("link", name="Invite a contributor")).to_be_visible()
    assert_accessible(page, "staff dashboard")


def test_a_wrong_password_is_explained_and_the_email_kept(page, live_server, contributor):
    log_in(page, live_server, contributor.email, "wrong-password")
    message = "The email address and/or password you specified are not correct."
    expect(page.get_by_text(message).first).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(contributor.email)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page, "login page with an error")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_a_contributor_follows_an_invitation_and_sets_a_password(page, live_server, staff):
    sent = contributor_invite(email="zoe@example.org", name="Zoë O'Brien", actor=staff)
    page.goto(live_server.url + sent.path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Zoë O'Brien")
    assert_accessible(page, "invitation page")
    assert_fits_320(page)
    page.get_by_label("Choose a password").fill("Sunflower-Meadow-42")
    page.get_by_label("Type the password again").fill("Sunflower-Meadow-42")
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("Your password is set and you are logged in. Welcome!")).to_be_visible()
    assert_accessible(page, "contributor dashboard")
    assert_fits_320(page)


def test_a_used_invitation_says_what_to_do(page, live_server, staff):
    from contributors.services import invitation_accept

    sent = contributor_invite(email="zoe@example.org", actor=staff)
    invitation_accept(token=sent.token, password="Sunflower-Meadow-42")
    page.goto(live_server.url + sent.path)
    expect(page.get_by_text("This invitation has already been used.")).to_be_visible()
    assert_accessible(page, "used invitation page")
