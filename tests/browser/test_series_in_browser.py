"""Staff set up a monthly series in the browser and move one of its meetings; the contributor
sees the series' meetings and the moved one on their dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Meeting, MeetingSeries
from tests.projects.factories import ProjectFactory

from .conftest import assert_accessible, assert_fits_320, heading, log_in, log_out
from .scenario import fill_monthly_series

pytestmark = pytest.mark.browser


def test_staff_set_up_a_monthly_series_and_move_one_meeting(page, live_server, staff, contributor):
    project = ProjectFactory(title="Kidney care panel", lead=staff)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Set up a repeating meeting").click()
    expect(heading(page)).to_have_text("Set up a repeating meeting for Kidney care panel")
    assert_accessible(page, "set up a series")
    fill_monthly_series(page)

    expect(page.get_by_text("Series “Steering group” saved: 6 meetings scheduled.")).to_be_visible()
    expect(page.get_by_text("The 2nd Tuesday of each month at 18:00, 6 meetings")).to_be_visible()
    assert_accessible(page, "series page")
    assert MeetingSeries.objects.count() == 1

    # Move the second meeting a day later from its own page.
    page.get_by_role("link", name="Steering group").nth(1).click()
    expect(heading(page)).to_have_text("Steering group")
    page.get_by_role("link", name="Change the meeting").click()
    expect(page.get_by_text("A change here is to this date only")).to_be_visible()
    second = Meeting.objects.order_by("start")[1]
    moved = timezone.localtime(second.start) + timedelta(days=1)
    page.get_by_label("Starts (UK time)").fill(f"{moved:%Y-%m-%d}T18:00")
    page.get_by_label("Ends (UK time)").fill(f"{moved:%Y-%m-%d}T20:00")
    page.get_by_label("Date papers are (or were) sent").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Meeting “Steering group” saved.")).to_be_visible()
    expect(page.get_by_text("(moved from")).to_be_visible()
    page.get_by_role("link", name="Steering group").first.click()
    expect(page.get_by_role("row").filter(has_text="Moved on its own")).to_have_count(1)
    assert_fits_320(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_out(page)

    # Zoë sees the series' meetings coming up, the moved one on its new day.
    log_in(page, live_server, contributor.email)
    section = page.get_by_role("region", name="Your meetings")
    expect(section.get_by_role("heading", name="Steering group")).to_have_count(6)
    expect(section.get_by_text(f"{moved:%A} {moved.day} {moved:%B %Y}, 18:00")).to_be_visible()
