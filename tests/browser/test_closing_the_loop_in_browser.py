"""Closing the loop, end to end: after a meeting staff record what was said and what will
change, mark an action done; the contributor who attended hears "you said, we did", sees it on
the project page and gives feedback, which staff see only as ranges."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Action, Meeting, MeetingFeedback, MeetingInvitation, Outcome
from reminders.services import deliver_reminder, scan_due_reminders
from tests.projects.factories import ProjectFactory, give_role

from .conftest import assert_accessible, assert_fits_320, assert_tables_readable, heading, log_in, log_out
from .scenario import MEETING, fill_monthly_series, member, planned_project

pytestmark = pytest.mark.browser


def _held_yesterday(plan, contributor):
    """The meeting took place yesterday and Zoë came (attendance is another journey)."""
    start = timezone.localtime() - timedelta(days=1)
    plan.meeting.start, plan.meeting.end = start, start + timedelta(hours=2)
    plan.meeting.save(update_fields=["start", "end"])
    MeetingInvitation.objects.filter(meeting=plan.meeting, contributor=contributor).update(attended=True)


def record_outcome_and_mark_done(page, live_server, meeting, staff):
    """On the meeting page: record an outcome with its first action, then mark it done."""
    page.goto(f"{live_server.url}/projects/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record an outcome").click()
    expect(heading(page)).to_have_text(f"Record an outcome of “{meeting.title}”")
    assert_accessible(page, "record an outcome")
    page.get_by_label("What contributors said, or what was decided").fill(
        "The letter uses words nobody understands, like 'ambulatory'."
    )
    page.get_by_label("What will change (optional)").fill("Rewrite the letter in plain English")
    page.get_by_role("button", name="Save the outcome").click()
    # Half an action: what was typed stays, and the page says what is missing.
    expect(page.get_by_text("Choose a member of staff to see to it.").first).to_be_visible()
    expect(page.get_by_label("What will change (optional)")).to_have_value(
        "Rewrite the letter in plain English"
    )
    page.get_by_label("Who sees to it").select_option(label=staff.get_full_name())
    page.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the outcome").dblclick()
    expect(page.get_by_text("Outcome recorded.")).to_be_visible()
    assert Outcome.objects.count() == 1 and Action.objects.count() == 1
    expect(page.get_by_text("The letter uses words nobody understands")).to_be_visible()
    assert_accessible(page, "meeting page with an outcome")

    page.get_by_role("link", name="Mark done").click()
    expect(heading(page)).to_have_text("Mark an action done")
    assert_accessible(page, "mark an action done")
    expect(page.get_by_label("Done on")).to_have_value(timezone.localdate().isoformat())  # shown, works as is
    page.get_by_label("What changed").fill("The new letter, tested with six readers, is used from Monday.")
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Mark done").click()  # Back and send again
    expect(page.get_by_text("This action was already marked done")).to_be_visible()


def test_staff_close_the_loop_and_the_contributor_sees_what_changed(page, live_server, staff, contributor):
    plan = planned_project(staff=staff)
    member(plan=plan, staff=staff, contributor=contributor)
    _held_yesterday(plan, contributor)

    log_in(page, live_server, staff.email)
    record_outcome_and_mark_done(page, live_server, plan.meeting, staff)
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/")
    page.get_by_role("link", name="Outcomes and actions").click()
    page.get_by_role("link", name="Done (1)").click()
    expect(page.get_by_role("row").filter(has_text="Rewrite the letter")).to_contain_text("used from Monday")
    assert_accessible(page, "outcomes and actions")
    assert_fits_320(page)
    assert_tables_readable(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_out(page)

    # The reminder scan (every 15 minutes) sends "you said, we did" once.
    scan_due_reminders(only=["you_said_we_did"], enqueue=lambda pk: deliver_reminder(reminder_id=pk))
    scan_due_reminders(only=["you_said_we_did"], enqueue=lambda pk: deliver_reminder(reminder_id=pk))
    sent = [m for m in mail.outbox if m.subject == f"You said, we did: {MEETING}"]
    assert len(sent) == 1 and sent[0].to == [contributor.email]

    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/")
    section = page.get_by_role("region", name="You said, we did")
    expect(section).to_contain_text("The letter uses words nobody understands")
    expect(section).to_contain_text("The new letter, tested with six readers, is used from Monday.")
    assert_accessible(page, "contributor's project page")
    assert_fits_320(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # Feedback, from the meeting page; sending twice keeps one.
    section.get_by_role("link", name=MEETING).click()
    page.get_by_role("link", name="Give feedback").click()
    assert_accessible(page, "feedback form")
    page.get_by_role("group", name="Was the meeting accessible to you?").get_by_label("Partly").check()
    page.get_by_role("group", name="Did you feel listened to?").get_by_label("Yes").check()
    page.get_by_label("Is there anything we should change?").fill("A hearing loop that works.")
    page.get_by_role("button", name="Send my feedback").dblclick()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    assert MeetingFeedback.objects.count() == 1
    expect(page.get_by_role("link", name="Give feedback")).to_have_count(0)
    log_out(page)

    # Staff see a range and no comment (fewer than 5 answered), never who said it.
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/projects/{plan.project.pk}/")
    page.get_by_role("link", name="Feedback on meetings").click()
    row = page.get_by_role("row").filter(has_text=MEETING)
    expect(row).to_contain_text("Partly: fewer than 2")
    expect(row).to_contain_text("Held back: fewer than 5 responses.")
    expect(page.get_by_text("A hearing loop that works.")).to_have_count(0)
    expect(page.get_by_text("Zoë")).to_have_count(0)
    assert_accessible(page, "feedback results")
    assert_fits_320(page)
    assert_tables_readable(page)


# --- the whole journey: a series, one meeting moved, outcomes of the first -------------
def test_a_monthly_series_moved_once_then_its_first_meeting_closes_the_loop(
    page, live_server, staff, contributor
):
    project = ProjectFactory(title="Kidney care panel", lead=staff)
    give_role(contributor=contributor, project=project)
    log_in(page, live_server, staff.email)

    # A monthly series: the 2nd Tuesday, six meetings, Zoë invited to all.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Set up a repeating meeting").click()
    fill_monthly_series(page)
    expect(page.get_by_text("Series “Steering group” saved: 6 meetings scheduled.")).to_be_visible()

    # The second meeting moves a day later, on its own.
    page.get_by_role("link", name="Steering group").nth(1).click()
    page.get_by_role("link", name="Change the meeting").click()
    second = Meeting.objects.order_by("start")[1]
    moved = timezone.localtime(second.start) + timedelta(days=1)
    page.get_by_label("Starts (UK time)").fill(f"{moved:%Y-%m-%d}T18:00")
    page.get_by_label("Ends (UK time)").fill(f"{moved:%Y-%m-%d}T20:00")
    page.get_by_label("Date papers are (or were) sent").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Meeting “Steering group” saved.")).to_be_visible()
    expect(page.get_by_text("(moved from")).to_be_visible()

    # Weeks later the first meeting has taken place (the clock is moved, not the browser's).
    first = Meeting.objects.order_by("start")[0]
    start = timezone.localtime() - timedelta(days=1)
    Meeting.objects.filter(pk=first.pk).update(start=start, end=start + timedelta(hours=2))
    page.goto(f"{live_server.url}/projects/meetings/{first.pk}/")
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Zoë O'Brien").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    first.refresh_from_db()
    record_outcome_and_mark_done(page, live_server, first, staff)
    log_out(page)

    # Zoë sees the moved meeting and what came of the first one.
    log_in(page, live_server, contributor.email)
    section = page.get_by_role("region", name="Your meetings")
    expect(section.get_by_text(f"{moved:%A} {moved.day} {moved:%B %Y}, 18:00")).to_be_visible()
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    said = page.get_by_role("region", name="You said, we did")
    expect(said).to_contain_text("The letter uses words nobody understands")
    expect(said).to_contain_text("The new letter, tested with six readers, is used from Monday.")
    assert_accessible(page, "contributor's project page after a series meeting")
