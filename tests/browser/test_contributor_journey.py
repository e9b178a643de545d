"""A contributor, end to end: from the invitation email to a paid claim."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from expenses import services as expenses
from expenses.models import Claim

from . import scenario
from .conftest import assert_accessible, heading

pytestmark = pytest.mark.browser


def test_a_contributor_joins_accepts_a_role_and_is_paid_for_a_claim(
    page, live_server, staff, finance, tmp_path
):
    plan = scenario.planned_project(staff=staff)
    sent, offer = scenario.invited_with_offer(plan=plan, staff=staff)

    # The invitation: set a password.
    page.goto(live_server.url + sent.path)
    expect(heading(page)).to_have_text("Welcome, Zoë O'Brien")
    assert_accessible(page, "invitation")
    page.get_by_label("Choose a password").fill("Sunflower-Meadow-42")
    page.get_by_label("Type the password again").fill("Sunflower-Meadow-42")
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("Your password is set and you are logged in. Welcome!")).to_be_visible()
    expect(heading(page)).to_have_text("Hello, Zoë O'Brien")
    expect(page.get_by_role("link", name=re.compile(scenario.ROLE))).to_be_visible()
    assert_accessible(page, "contributor dashboard with an offer")

    # The profile.
    page.get_by_role("link", name="My profile").click()
    expect(heading(page)).to_have_text("My profile")
    assert_accessible(page, "profile")
    page.get_by_label("What you would like us to call you").fill("Zoë")
    page.get_by_label("Email").check()
    page.get_by_label("Access needs").fill("Large print papers, please.")
    page.get_by_label("Monday Morning").check()
    page.get_by_label("Thursday Afternoon").check()
    page.get_by_label("Topics you would like to work on").fill("diabetes, letters")
    page.get_by_label("Be paid for my time").check()
    page.get_by_label("How you usually travel").select_option(label="Car")
    page.get_by_label("Usual journey (miles, there and back)").fill("12")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert_accessible(page, "profile saved")

    # Read and accept the role.
    page.get_by_role("link", name="My dashboard").click()
    expect(heading(page)).to_have_text("Hello, Zoë")
    page.get_by_role("link", name=re.compile(scenario.ROLE)).click()
    expect(heading(page)).to_have_text(scenario.ROLE)
    expect(page.get_by_text("Status: Waiting for an answer.")).to_be_visible()
    expect(page.get_by_role("heading", name="What you can change")).to_be_visible()
    expect(page.get_by_text("The wording and layout of the letters.")).to_be_visible()
    expect(page.get_by_text("The legal information in every letter.")).to_be_visible()
    assert_accessible(page, "offer")
    page.get_by_role("button", name="Accept this role").click()
    expect(page.get_by_text("You have accepted this role. Thank you!")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Accepted")
    expect(page.get_by_role("heading", name="When you accepted")).to_be_visible()
    assert_accessible(page, "accepted offer")

    # The meeting and its calendar file.
    page.get_by_role("link", name="Back to my dashboard").click()
    page.get_by_role("link", name=scenario.MEETING, exact=True).click()
    expect(heading(page)).to_have_text(scenario.MEETING)
    expect(page.get_by_text("Step-free entrance on Park Road.")).to_be_visible()
    expect(page.get_by_role("link", name="Join the meeting online")).to_be_visible()
    assert_accessible(page, "meeting for a contributor")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics file)").click()
    calendar = (tmp_path / "meeting.ics")
    download_info.value.save_as(calendar)
    text = calendar.read_text()
    assert "BEGIN:VCALENDAR" in text
    assert f"SUMMARY:{scenario.MEETING}" in text
    page.get_by_label("I am coming in person").check()
    page.get_by_role("button", name="Send my reply").click()
    expect(page.get_by_text("Thank you: your reply is saved.")).to_be_visible()

    # A claim with time, mileage and a receipt photo.
    page.get_by_role("link", name="My claims").click()
    expect(heading(page)).to_have_text("My claims")
    assert_accessible(page, "my claims, none yet")
    page.get_by_role("link", name="Make a claim").click()
    expect(heading(page)).to_have_text("Make a claim")
    assert_accessible(page, "claim form")
    day = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    fill_line(page, 1, kind="Time (hours)", day=day, description="Reading panel", quantity="2")
    page.get_by_role("button", name="Add another line").click()
    fill_line(page, 2, kind="Mileage by car", day=day, description="To the hospital and back", quantity="12")
    page.get_by_role("button", name="Add another line").click()
    fill_line(page, 3, kind="Parking", day=day, description="Hospital car park", amount="4.50")
    page.get_by_role("group", name="Line 3").get_by_label("Receipt").set_input_files(
        scenario.image_file(tmp_path)
    )
    page.get_by_role("button", name="Send the claim").click()
    claim = Claim.objects.get(contributor__email="zoe@example.org")
    # Priced on the server: 2 hours at the involvement rate, 12 miles at 45p, £4.50 parking.
    assert claim.expenses_amount == Decimal("9.90")
    expect(page.get_by_text(f"Your claim for £{claim.total} is sent.")).to_be_visible()
    expect(heading(page)).to_have_text(f"Claim {claim.pk}: {scenario.PROJECT}")
    expect(page.locator(".claim-status")).to_have_text("Sent, waiting for review")
    expect(page.get_by_role("link", name="parking-receipt.png")).to_be_visible()
    assert_accessible(page, "claim sent")

    # Staff ask a question; the contributor answers it.
    expenses.claim_query(claim_id=claim.pk, actor=staff, comment="Was the parking for the whole day?")
    page.reload()
    expect(page.locator(".claim-status")).to_have_text("Question from the reviewer")
    expect(page.get_by_text("Was the parking for the whole day?")).to_be_visible()
    assert_accessible(page, "claim with a question")
    page.get_by_label("Your answer").fill("Yes, the meeting ran from 10 until 4.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is sent and the claim is back with the reviewer.")).to_be_visible()
    expect(page.locator(".claim-status")).to_have_text("Sent, waiting for review")
    expect(page.get_by_text("Yes, the meeting ran from 10 until 4.")).to_be_visible()

    # Approved, put in a batch and paid by finance.
    expenses.claim_approve(claim_id=claim.pk, actor=staff)
    batch = expenses.batch_create(actor=finance)
    expenses.batch_mark_paid(
        batch_id=batch.pk, actor=finance, reference="BACS-0042", paid_on=timezone.localdate()
    )
    page.reload()
    expect(page.locator(".claim-status")).to_have_text("Paid")
    expect(page.locator(".claim-expected")).to_contain_text("Paid on")
    assert_accessible(page, "claim paid")
    page.get_by_role("link", name="Back to claims").click()
    history = page.get_by_role("table").filter(has_text="Claims that have been paid")
    expect(history.get_by_role("row").filter(has_text=scenario.PROJECT)).to_contain_text(f"£{claim.total}")
    assert_accessible(page, "my claims, paid")


def fill_line(page, number, *, kind, day, description, quantity=None, amount=None):
    line = page.get_by_role("group", name=f"Line {number}")
    line.get_by_label("What for").select_option(label=kind)
    line.get_by_label("Date").fill(day)
    line.get_by_label("Description").fill(description)
    if quantity is not None:
        line.get_by_label("Hours, days, miles or times").fill(quantity)
    if amount is not None:
        line.get_by_label("Amount paid (£)").fill(amount)
