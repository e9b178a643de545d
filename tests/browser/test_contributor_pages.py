"""Every contributor page on a 320px-wide phone, with the keyboard alone, and a forgiving claim form."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contributors.models import ContributorProfile, User
from projects.models import MeetingInvitation
from projects.services import roles as role_services
from tests.factories import PASSWORD

from . import scenario
from .conftest import assert_accessible, assert_fits_320, assert_focus_visible, heading, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(staff):
    return scenario.planned_project(staff=staff)


def test_every_contributor_page_fits_a_320px_screen(page, live_server, staff, contributor, plan, tmp_path):
    offer = scenario.member(plan=plan, staff=staff, contributor=contributor)
    claim = scenario.sent_claim(plan=plan, contributor=contributor)
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, contributor.email)
    pages = {
        "my dashboard": ("/me/", "Hello, Zoë"),
        "opportunities": ("/projects/opportunities/", "Opportunities"),
        "role": (f"/projects/roles/{plan.role.pk}/", scenario.ROLE),
        "offer": (f"/projects/offers/{offer.pk}/", scenario.ROLE),
        "meeting": (f"/projects/meetings/{plan.meeting.pk}/", scenario.MEETING),
        "project": (f"/projects/{plan.project.pk}/", scenario.PROJECT),
        "profile": ("/people/me/profile/", "My profile"),
        "monitoring": ("/people/me/monitoring/", None),
        "erasure request": ("/people/me/erase/", None),
        "my claims": ("/claims/", "My claims"),
        "claim form": ("/claims/new/", "Make a claim"),
        "claim": (f"/claims/{claim.pk}/", f"Claim {claim.pk}: {scenario.PROJECT}"),
        "messages sent to me": ("/reminders/", None),
    }
    for name, (path, title) in pages.items():
        page.goto(live_server.url + path)
        if title:
            expect(heading(page)).to_have_text(title)
        else:
            expect(heading(page)).to_have_count(1)
        assert_fits_320(page)
        assert_accessible(page, f"{name} at 320px")
    # The menu opens from its button on a phone.
    page.goto(live_server.url + "/me/")
    page.get_by_role("button", name="Show or hide the menu").click()
    expect(page.get_by_role("link", name="My claims", exact=True)).to_be_visible()
    assert_fits_320(page)
    # The data download is a file, not a page: it is offered from the profile.
    page.goto(live_server.url + "/people/me/profile/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all the data we hold about you").click()
    assert "Zoë" in (download_info.value.path().read_text(encoding="utf-8"))


def focused_name(page) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return "";
        const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
        return (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim(); }"""
    )


def tab_to(page, pattern: str, limit: int = 80):
    """Press Tab until the focused control's name matches; every stop shows where focus is."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted.search(focused_name(page)):
            assert_focus_visible(page)
            return
    raise AssertionError(f"Tab never reached {pattern!r} on {page.url}")


def go(page, key="Enter"):
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_date(page, day):
    """Type a date into the focused date field. Headless Chromium lays the field out in its own
    locale (month, day, year) whatever the page's en-GB; the check below says if that changes."""
    page.keyboard.type(f"{day:%m%d%Y}")
    assert page.evaluate("document.activeElement.value") == day.isoformat()


def test_a_contributor_can_do_it_all_with_the_keyboard(page, live_server, staff, plan):
    zoe = User.objects.create_user(email="zoe@example.org", name="Zoë O'Brien", password=PASSWORD)
    ContributorProfile.objects.get_or_create(user=zoe)
    role_services.offer_make(role=plan.role, contributor_id=zoe.pk, by=staff)
    MeetingInvitation.objects.create(meeting=plan.meeting, contributor=zoe)

    # Log in.
    page.goto(live_server.url + "/accounts/login/")
    tab_to(page, "^Email")
    page.keyboard.type("zoe@example.org")
    tab_to(page, "^Password")
    page.keyboard.type(PASSWORD)
    go(page)
    expect(heading(page)).to_have_text("Hello, Zoë O'Brien")

    # Open the offer and accept it.
    tab_to(page, scenario.ROLE)
    go(page)
    expect(heading(page)).to_have_text(scenario.ROLE)
    tab_to(page, "^Accept this role$")
    go(page)
    expect(page.get_by_text("You have accepted this role. Thank you!")).to_be_visible()

    # Open the meeting from the dashboard and say I am attending (Space on a radio button).
    tab_to(page, "^Back to my dashboard$")
    go(page)
    tab_to(page, f"^{scenario.MEETING}$")
    go(page)
    expect(heading(page)).to_have_text(scenario.MEETING)
    tab_to(page, "^I am attending$")
    page.keyboard.press("Space")
    tab_to(page, "^Send my reply$")
    go(page)
    expect(page.get_by_text("Thank you: your reply is saved.")).to_be_visible()

    # Start a claim and fill it in.
    tab_to(page, "^My claims$")
    go(page)
    tab_to(page, "^Make a claim$")
    go(page)
    expect(heading(page)).to_have_text("Make a claim")
    tab_to(page, "^Project")
    page.keyboard.type("Clearer")  # a closed <select> picks the option that starts with what is typed
    tab_to(page, "^What for")
    page.keyboard.type("Time (h")
    tab_to(page, "^Date")
    day = timezone.localdate() - timezone.timedelta(days=2)
    type_date(page, day)
    tab_to(page, "^Description")
    page.keyboard.type("Reading panel")
    tab_to(page, "^Hours, days or miles")
    page.keyboard.type("2")
    tab_to(page, "^Send the claim$")
    go(page)
    expect(page.get_by_text(re.compile(r"Your claim for £\d+\.\d\d is sent\."))).to_be_visible()
    expect(page.locator(".claim-status")).to_have_text("Sent, waiting for review")


def test_a_claim_with_a_mistake_keeps_every_entry_and_says_what_to_fix(
    page, live_server, staff, contributor, plan
):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    log_in(page, live_server, contributor.email)
    page.goto(live_server.url + "/claims/new/")
    day = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    first = page.get_by_role("group", name="Line 1")
    first.get_by_label("What for").select_option(label="Time (hours)")
    first.get_by_label("Date").fill(day)
    first.get_by_label("Description").fill("Reading panel")
    first.get_by_label("Hours, days or miles").fill("2")
    page.get_by_role("button", name="Add another line").click()
    second = page.get_by_role("group", name="Line 2")
    second.get_by_label("What for").select_option(label="Mileage by car")
    second.get_by_label("Date").fill(day)
    second.get_by_label("Description").fill("To the hospital and back")
    # The mistake: no miles for the car journey.
    page.get_by_role("button", name="Send the claim").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    problem = "Line 2, hours, days or miles: Enter how many hours, days or miles."
    expect(summary.get_by_role("link", name=problem)).to_be_visible()
    second = page.get_by_role("group", name="Line 2")
    miles = second.get_by_label("Hours, days or miles")
    # The message sits beside the field and is tied to it for screen readers.
    expect(second.get_by_text("Enter how many hours, days or miles.")).to_be_visible()
    expect(miles).to_have_attribute("aria-invalid", "true")
    described_by = miles.get_attribute("aria-describedby") or ""
    messages = " ".join(page.locator(f"#{ident}").inner_text() for ident in described_by.split())
    assert "Enter how many hours, days or miles." in messages
    # Everything else is kept.
    expect(page.get_by_label("Project")).to_have_value(str(plan.project.pk))
    first = page.get_by_role("group", name="Line 1")
    expect(first.get_by_label("What for")).to_have_value("time_hours")
    expect(first.get_by_label("Date")).to_have_value(day)
    expect(first.get_by_label("Description")).to_have_value("Reading panel")
    expect(first.get_by_label("Hours, days or miles")).to_have_value("2")
    expect(second.get_by_label("What for")).to_have_value("mileage_car")
    expect(second.get_by_label("Date")).to_have_value(day)
    expect(second.get_by_label("Description")).to_have_value("To the hospital and back")
    assert_accessible(page, "claim form with a mistake")

    # The link in the summary takes focus to the field; fixing it sends the claim.
    summary.get_by_role("link", name=problem).click()
    expect(miles).to_be_focused()
    miles.fill("12")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_text(re.compile(r"Your claim for £\d+\.\d\d is sent\."))).to_be_visible()
