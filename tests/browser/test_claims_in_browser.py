"""The money path as people walk it in Chromium: dates the page already shows are never typed
again, and Back then Send again makes one claim, also when the page is served no-store."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from expenses import services as expenses
from expenses.models import Claim
from projects.models import MeetingInvitation

from . import scenario
from .conftest import assert_accessible, heading, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(staff):
    return scenario.planned_project(staff=staff)


def test_change_the_lines_of_a_queried_claim_without_typing_a_date(
    page, live_server, staff, contributor, plan
):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    claim = scenario.sent_claim(plan=plan, contributor=contributor)
    days = sorted(claim.lines.values_list("date", flat=True))
    expenses.claim_query(claim_id=claim.pk, actor=staff, comment="Was it 3 hours?")
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.get_by_role("link", name="Change the lines").click()
    expect(heading(page)).to_have_text(f"Change claim {claim.pk}")
    line = page.get_by_role("group", name="Line 1")
    # The browser shows the date the line holds (it reads only ISO, 2026-11-19).
    expect(line.get_by_label("Date")).to_have_value(days[0].isoformat())
    line.get_by_label("Hours, days, miles or times").fill("3")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    claim.refresh_from_db()
    assert sorted(claim.lines.values_list("date", flat=True)) == days
    assert claim.lines.get(kind="time_hours").quantity == Decimal("3")


def test_claim_for_a_meeting_without_typing_anything(page, live_server, staff, contributor, plan):
    """Attendance recorded: "claim for this meeting" fills in the time and the usual journey,
    and Send works as it is. Then the prompt is gone."""
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    contributor.profile.usual_travel_mode = "car"
    contributor.profile.usual_journey_miles = Decimal("12")
    contributor.profile.save()
    meeting = plan.meeting
    three_days_ago = timezone.localtime() - timedelta(days=3)
    meeting.start = three_days_ago.replace(hour=10, minute=0, second=0, microsecond=0)
    meeting.end = meeting.start + timedelta(hours=2)
    meeting.save()
    MeetingInvitation.objects.filter(meeting=meeting, contributor=contributor).update(attended=True)

    log_in(page, live_server, contributor.email)
    page.get_by_role("link", name=f"claim for this meeting ({scenario.MEETING})").click()
    expect(heading(page)).to_have_text("Make a claim")
    expect(page.get_by_text(f"This claim is for {scenario.MEETING}.")).to_be_visible()
    day = timezone.localtime(meeting.start).date().isoformat()
    expect(page.get_by_role("group", name="Line 1").get_by_label("Date")).to_have_value(day)
    expect(page.get_by_role("group", name="Line 2").get_by_label("Date")).to_have_value(day)
    assert_accessible(page, "claim for a meeting")
    page.get_by_role("button", name="Send the claim").click()
    claim = Claim.objects.get()
    expect(page.get_by_text(f"Your claim for £{claim.total} is sent.")).to_be_visible()
    assert claim.meeting == meeting and claim.status == Claim.Status.SUBMITTED
    assert claim.total == Decimal("55.00") + Decimal("5.40")  # 2 hours and 12 miles at 45p
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_text("You can claim for these meetings you attended")).to_have_count(0)


def _no_store(page, path_glob):
    """Serve these pages with Cache-Control: no-store whatever the site's own headers say: Back
    then fetches the page again (a new form token) instead of restoring it from a cache."""

    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "cache-control": "no-store"})

    page.route(path_glob, handle)


@pytest.mark.parametrize("no_store", [False, True], ids=["as-served", "no-store"])
def test_back_and_send_again_makes_one_claim(page, live_server, staff, contributor, plan, no_store):
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    if no_store:
        _no_store(page, "**/claims/new/**")
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/claims/new/")
    first_token = page.locator("input[name=form_token]").input_value()
    page.get_by_label("Project").select_option(label=scenario.PROJECT)
    line = page.get_by_role("group", name="Line 1")
    line.get_by_label("What for").select_option(label="Time (hours)")
    line.get_by_label("Date").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    line.get_by_label("Description").fill("Reading panel")
    line.get_by_label("Hours, days, miles or times").fill("2")
    page.get_by_role("button", name="Send the claim").click()
    claim = Claim.objects.get()
    expect(heading(page)).to_have_text(f"Claim {claim.pk}: {scenario.PROJECT}")

    page.go_back()
    expect(heading(page)).to_have_text("Make a claim")
    line = page.get_by_role("group", name="Line 1")
    if no_store:
        # A fresh page: a new token; the browser still puts the person's entries back.
        assert page.locator("input[name=form_token]").input_value() != first_token
    # The browser put the person's entries back: Send again sends the same claim.
    expect(line.get_by_label("Description")).to_have_value("Reading panel")
    page.get_by_role("button", name="Send the claim").click()
    expect(heading(page)).to_have_text(f"Claim {claim.pk}: {scenario.PROJECT}")
    already = page.get_by_text("so it was not made again").or_(page.get_by_text("saved once, not twice"))
    expect(already).to_be_visible()
    assert Claim.objects.count() == 1
