"""Every contributor page on a 320px-wide phone, with the keyboard alone, and a forgiving claim form."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contributors.models import ContributorProfile, User
from expenses.models import Claim
from projects.models import MeetingInvitation
from projects.services import roles as role_services
from tests.factories import PASSWORD

from . import scenario
from .conftest import (
    assert_accessible,
    assert_fits_320,
    assert_focus_visible,
    assert_tables_readable,
    heading,
    log_in,
    read_row,
)

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
        assert_tables_readable(page)
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
    role_services.offer_make(role=plan.role, contributor_id=zoe.pk, actor=staff)
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

    # Open the meeting from the dashboard and say I am coming in person (Space on a radio button).
    tab_to(page, "^Back to my dashboard$")
    go(page)
    tab_to(page, f"^{scenario.MEETING}$")
    go(page)
    expect(heading(page)).to_have_text(scenario.MEETING)
    tab_to(page, "^I am coming in person$")
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
    tab_to(page, "^Hours, days, miles or times")
    page.keyboard.type("2")
    # A second line, for the drive there: the miles box comes with the kind, the amount does not.
    tab_to(page, "^Add another line$")
    page.keyboard.press("Enter")
    second = page.get_by_role("group", name="Line 2")
    expect(second.get_by_label("What for")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Mileage by c")
    expect(second.get_by_label("Amount paid")).to_be_hidden()
    tab_to(page, "^Date")
    type_date(page, day)
    tab_to(page, "^Description")
    page.keyboard.type("To the hospital and back")
    tab_to(page, "^Hours, days, miles or times")
    expect(second.get_by_label("Hours, days, miles or times")).to_be_focused()
    page.keyboard.type("12")
    tab_to(page, "^Send the claim$")
    go(page)
    expect(page.get_by_text(re.compile(r"Your claim for £\d+\.\d\d is sent\."))).to_be_visible()
    expect(page.locator(".claim-status")).to_have_text("Sent, waiting for review")
    drive = page.get_by_role("table").get_by_role("row").filter(has_text="To the hospital and back")
    expect(drive).to_contain_text("£5.40")


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
    first.get_by_label("Hours, days, miles or times").fill("2")
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
    problem = "Line 2, hours, days, miles or times: Enter how many hours, days or miles."
    expect(summary.get_by_role("link", name=problem)).to_be_visible()
    second = page.get_by_role("group", name="Line 2")
    miles = second.get_by_label("Hours, days, miles or times")
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
    expect(first.get_by_label("Hours, days, miles or times")).to_have_value("2")
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


# --- on a phone (issue 11) ---
def test_the_claim_page_on_a_phone_shows_every_figure(page, live_server, staff, contributor, plan, tmp_path):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    receipt = scenario.image_file(tmp_path)
    claim = scenario.sent_claim(plan=plan, contributor=contributor, parking_receipt=receipt)
    time, miles, parking = claim.lines.order_by("pk")
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert_fits_320(page)
    lines = page.get_by_role("table").get_by_role("row")
    assert read_row(lines.filter(has_text="Reading panel")) == [
        f"Date {time.date:%-d %b %Y}", "What for Time (hours)", "Description Reading panel",
        "Hours, days, miles or times 2.00", f"Rate £{time.rate}", f"Amount £{time.amount}",
        "Receipts Not needed",
    ]
    assert read_row(lines.filter(has_text="To the hospital and back"))[3:] == [
        "Hours, days, miles or times 12.00", "Rate £0.45", "Amount £5.40", "Receipts Not needed",
    ]
    # Parking has no rate: the card leaves it out rather than show an empty label.
    assert read_row(lines.filter(has_text="Hospital car park"))[1:] == [
        "What for Parking", "Description Hospital car park", "Amount £4.50", "Receipts parking-receipt.png",
    ]
    assert parking.amount == Decimal("4.50") and miles.amount == Decimal("5.40")
    for figure in (f"£{claim.time_amount}", f"£{claim.expenses_amount}", f"£{claim.total}"):
        total = page.locator("dl").get_by_text(figure, exact=True)
        expect(total).to_be_visible()
        box = total.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 320, f"{figure} is off the side of the screen"
    assert_accessible(page, "claim page at 320px")


def test_my_claims_on_a_phone_shows_the_payment_history(page, live_server, staff, finance, contributor, plan):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    claim = scenario.sent_claim(plan=plan, contributor=contributor)
    claim = scenario.paid(claim, reviewer=staff, finance=finance)
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/")
    assert_fits_320(page)
    history = page.get_by_role("table").filter(has_text="Claims that have been paid")
    assert read_row(history.get_by_role("row").filter(has_text=scenario.PROJECT)) == [
        f"Claim {claim.pk}", f"Project {scenario.PROJECT}", f"Paid on {timezone.localdate():%-d %b %Y}",
        f"For time £{claim.time_amount}", f"Expenses £{claim.expenses_amount}", f"Total £{claim.total}",
    ]
    assert_accessible(page, "my claims paid, at 320px")


def test_the_availability_grid_on_a_phone_shows_every_box(page, live_server, contributor):
    contributor.profile.availability.create(weekday=2, part_of_day="evening")
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/people/me/profile/")
    assert_fits_320(page)
    grid = page.get_by_role("group", name="When can you take part?")
    boxes = grid.get_by_role("checkbox")
    expect(boxes).to_have_count(21)
    for box in boxes.all():
        edge = box.bounding_box()
        assert edge and 0 <= edge["x"] and edge["x"] + edge["width"] <= 320, f"{box} is off the screen"
    wednesday = grid.get_by_role("group", name="Wednesday")
    evening = wednesday.get_by_role("checkbox", name="Wednesday Evening")
    evening.scroll_into_view_if_needed()
    expect(evening).to_be_checked()
    expect(evening).to_be_in_viewport(ratio=1)
    # Ticking Saturday afternoon with the keyboard and saving keeps both.
    saturday = grid.get_by_role("checkbox", name="Saturday Afternoon")
    saturday.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("checkbox", name="Saturday Afternoon")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Wednesday Evening")).to_be_checked()
    assert set(contributor.profile.availability.values_list("weekday", "part_of_day")) == {
        (2, "evening"), (5, "afternoon"),
    }
    assert_accessible(page, "profile at 320px")


def test_the_claim_form_shows_only_the_fields_each_kind_needs(
    page, live_server, staff, contributor, plan, tmp_path
):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/new/")
    # One line to fill, not three, until another is asked for.
    expect(page.get_by_role("group", name=re.compile(r"^Line \d"))).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    line = page.get_by_role("group", name="Line 1")
    hours = line.get_by_label("Hours, days, miles or times")
    amount = line.get_by_label("Amount paid")
    receipt = line.get_by_label("Receipt")
    for field in (hours, amount, receipt):
        expect(field).to_be_hidden()
    line.get_by_label("What for").select_option(label="Time (hours)")
    expect(hours).to_be_visible()
    expect(hours).to_have_accessible_description("How many hours, for example 2.5.")
    expect(amount).to_be_hidden()
    expect(receipt).to_be_hidden()
    line.get_by_label("What for").select_option(label="Mileage by car")
    expect(hours).to_have_accessible_description("How many miles you travelled.")
    hours.fill("12")
    # Changed its mind: a taxi. The miles typed are hidden and not sent.
    line.get_by_label("What for").select_option(label="Taxi")
    expect(hours).to_be_hidden()
    expect(amount).to_be_visible()
    expect(receipt).to_be_visible()
    day = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    line.get_by_label("Date").fill(day)
    line.get_by_label("Description").fill("Taxi home")
    amount.fill("12.50")
    receipt.set_input_files(scenario.image_file(tmp_path, "taxi.png"))
    page.get_by_role("button", name="Add another line").click()
    second = page.get_by_role("group", name="Line 2")
    expect(second.get_by_label("What for")).to_be_focused()
    second.get_by_label("What for").select_option(label="Parking")
    second.get_by_label("Receipt").set_input_files(scenario.image_file(tmp_path, "parking.png"))
    # Not parking after all: the receipt chosen goes out of sight and is not sent.
    second.get_by_label("What for").select_option(label="Time (half days)")
    expect(second.get_by_label("Receipt")).to_be_hidden()
    quantity = second.get_by_label("Hours, days, miles or times")
    expect(quantity).to_have_accessible_description("How many half days.")
    second.get_by_label("Date").fill(day)
    second.get_by_label("Description").fill("Workshop")
    second.get_by_label("Hours, days, miles or times").fill("1")
    assert_accessible(page, "claim form with two kinds of line")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_text(re.compile(r"Your claim for £\d+\.\d\d is sent\."))).to_be_visible()
    taxi, workshop = Claim.objects.get(contributor=contributor).lines.order_by("pk")
    assert (taxi.kind, taxi.quantity, taxi.amount) == ("taxi", None, Decimal("12.50"))
    assert taxi.receipts.get().original_name == "taxi.png"
    assert (workshop.kind, workshop.quantity) == ("time_half_day", Decimal("1.00"))
    assert not workshop.receipts.exists()


def test_back_to_the_claim_form_shows_each_line_as_it_was_left(page, live_server, staff, contributor, plan):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/new/")
    day = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    first = page.get_by_role("group", name="Line 1")
    first.get_by_label("What for").select_option(label="Time (hours)")
    first.get_by_label("Date").fill(day)
    first.get_by_label("Description").fill("Reading panel")
    first.get_by_label("Hours, days, miles or times").fill("2")
    page.get_by_role("button", name="Add another line").click()
    second = page.get_by_role("group", name="Line 2")
    second.get_by_label("What for").select_option(label="Taxi")
    second.get_by_label("Date").fill(day)
    second.get_by_label("Description").fill("Taxi home")
    second.get_by_label("Amount paid").fill("12.50")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".claim-status")).to_have_text("Draft (not sent yet)")
    page.go_back()
    # The browser puts back what was typed; each line shows the boxes of its kind again.
    expect(second.get_by_label("What for")).to_have_value("taxi")
    expect(second.get_by_label("Amount paid")).to_have_value("12.50")
    expect(second.get_by_label("Hours, days, miles or times")).to_be_hidden()
    expect(first.get_by_label("Hours, days, miles or times")).to_have_value("2")
    expect(first.get_by_label("Amount paid")).to_be_hidden()
    expect(page.get_by_role("group", name="Line 3")).to_be_visible()


def test_without_javascript_the_claim_form_shows_every_field_and_still_sends(
    browser, browser_context_args, live_server, staff, contributor, plan
):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/new/")
    lines = page.get_by_role("group", name=re.compile(r"^Line \d"))
    expect(lines).to_have_count(3)
    for line in lines.all():
        names = ("What for", "Date", "Description", "Hours, days, miles or times", "Amount paid", "Receipt")
        for name in names:
            expect(line.get_by_label(name)).to_be_visible()
    day = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    first = page.get_by_role("group", name="Line 1")
    first.get_by_label("What for").select_option(label="Time (hours)")
    first.get_by_label("Date").fill(day)
    first.get_by_label("Description").fill("Reading panel")
    first.get_by_label("Hours, days, miles or times").fill("2")
    first.get_by_label("Amount paid").fill("99")  # not for time: ignored
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_text(re.compile(r"Your claim for £\d+\.\d\d is sent\."))).to_be_visible()
    line = Claim.objects.get(contributor=contributor).lines.get()
    assert (line.kind, line.quantity) == ("time_hours", Decimal("2.00"))
    assert line.amount == line.quantity * line.rate
    context.close()
