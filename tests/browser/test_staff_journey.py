"""Staff, end to end: plan a project, a role and a meeting, and invite a contributor."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from contributors.models import Availability
from projects.models import Meeting, Project, Role

from .conftest import assert_accessible, heading, log_in

pytestmark = pytest.mark.browser


def a_wednesday_evening():
    """A Wednesday at least two weeks ahead: far enough that papers are not late."""
    day = timezone.localdate() + timedelta(days=15)
    while day.weekday() != 2:
        day += timedelta(days=1)
    return day


def test_staff_plan_a_project_a_role_and_a_meeting_and_invite_a_contributor(
    page, live_server, staff, contributor
):
    # Zoë can only take part on Monday mornings, so a Wednesday evening excludes her.
    Availability.objects.create(
        profile=contributor.profile, weekday=Availability.Weekday.MONDAY, part_of_day="morning"
    )

    log_in(page, live_server, staff.email)
    expect(heading(page)).to_have_text("Hello, Sam Staff")
    assert_accessible(page, "staff dashboard")

    # A project.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    expect(heading(page)).to_have_text("Projects")
    assert_accessible(page, "project list")
    page.get_by_role("link", name="Start a project").click()
    expect(heading(page)).to_have_text("Start a project")
    assert_accessible(page, "start a project")
    page.get_by_label("Title").fill("Clearer letters for outpatients")
    page.get_by_label("Summary").fill("Rewrite appointment letters with the people who read them.")
    page.get_by_role("button", name="Save project").click()
    expect(heading(page)).to_have_text("Clearer letters for outpatients")
    expect(page.get_by_role("status").filter(has_text="created")).to_have_text(
        "Project “Clearer letters for outpatients” created. Next, complete the suitability assessment."
    )
    expect(page.get_by_text("The suitability assessment is not complete")).to_be_visible()
    assert_accessible(page, "new project dashboard")
    project = Project.objects.get(title="Clearer letters for outpatients")

    # Its suitability assessment.
    page.get_by_role("link", name="Suitability assessment").click()
    expect(heading(page)).to_have_text("Is “Clearer letters for outpatients” suited to co-production?")
    assert_accessible(page, "suitability assessment")
    page.get_by_label("Involvement level").select_option(label="Co-produce")
    page.get_by_label("Decisions contributors can influence").fill("The wording and layout of the letters.")
    page.get_by_label("Decisions that are already fixed").fill("The legal information in every letter.")
    page.get_by_label("What involving people can achieve").fill("Letters people understand first time.")
    page.get_by_label("What involving people cannot achieve").fill("Changes to clinic times.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Suitability assessment saved.")).to_be_visible()
    page.goto(f"{live_server.url}/projects/{project.pk}/suitability/")
    expect(page.get_by_text("Add at least one piece of work and assess it.")).to_be_visible()
    page.get_by_role("link", name="Add a piece of work").click()
    expect(heading(page)).to_have_text("Add a piece of work")
    assert_accessible(page, "add a piece of work")
    page.get_by_label("Title").fill("Appointment letters")
    page.get_by_label("Involvement level").select_option(label="Co-produce")
    page.get_by_label("Decisions contributors can influence").fill("Wording and layout.")
    page.get_by_label("Decisions that are already fixed").fill("The legal paragraph.")
    page.get_by_label("What involving people can achieve").fill("Letters people understand.")
    page.get_by_label("What involving people cannot achieve").fill("Changes to clinic times.")
    page.get_by_role("button", name="Save the piece of work").click()
    expect(page.get_by_text("The piece of work is saved.")).to_be_visible()
    page.goto(f"{live_server.url}/projects/{project.pk}/suitability/")
    expect(page.get_by_text("The suitability assessment is complete.")).to_be_visible()
    assert_accessible(page, "suitability assessment, complete")
    page.get_by_role("link", name="Back to Clearer letters for outpatients").click()
    expect(page.get_by_text("The suitability assessment is not complete")).to_have_count(0)

    # Its resources: a budget line for contributors' time.
    page.get_by_role("link", name="Add a budget line").click()
    expect(heading(page)).to_have_text("Add a budget line")
    assert_accessible(page, "add a budget line")
    page.get_by_label("What it pays for").select_option(label="Payment for time")
    page.get_by_label("Description").fill("Reading panel")
    page.get_by_label("Amount (£)").fill("600.00")
    page.get_by_role("button", name="Save the budget line").click()
    expect(page.get_by_text("The budget line is saved.")).to_be_visible()
    budget = page.get_by_role("table").filter(has_text="Budget lines")
    expect(budget.get_by_role("row").filter(has_text="Reading panel")).to_contain_text("£600.00")
    expect(page.get_by_role("img", name=re.compile("Planned and spent for each budget line"))).to_be_visible()
    assert_accessible(page, "project dashboard with a budget")

    # A role from the template, then opened.
    page.get_by_role("link", name="Add a role").click()
    expect(heading(page)).to_have_text("New role on Clearer letters for outpatients")
    assert_accessible(page, "new role")
    expect(page.get_by_label("Start from this role description template")).to_contain_text(
        "Public contributor (default)"
    )
    page.get_by_label("Role title").fill("Letter reading panel member")
    page.get_by_role("button", name="Create the draft role").click()
    expect(page.get_by_text("Role created as a draft from the template.")).to_be_visible()
    assert_accessible(page, "edit the role")
    page.get_by_label("Status").select_option(label="Open")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("The role is saved.")).to_be_visible()
    expect(heading(page)).to_have_text("Letter reading panel member")
    expect(page.locator(".status").first).to_have_text("Open")
    assert_accessible(page, "role page for staff")
    role = Role.objects.get(title="Letter reading panel member")
    assert role.status == Role.Status.OPEN

    # A meeting at a time Zoë cannot make: warned, then go ahead with a reason.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(heading(page)).to_have_text("Schedule a meeting for Clearer letters for outpatients")
    assert_accessible(page, "schedule a meeting")
    day = a_wednesday_evening().isoformat()
    page.get_by_label("Title").fill("Letters workshop")
    page.get_by_label("Starts (UK time)").fill(f"{day}T18:00")
    page.get_by_label("Ends (UK time)").fill(f"{day}T20:00")
    page.get_by_label("Venue").fill("Room 2, Education Centre")
    page.get_by_label("Zoë O'Brien").check()
    page.get_by_role("button", name="Save the meeting").click()
    warnings = page.locator("#meeting-warnings")
    expect(warnings).to_contain_text("Check before saving")
    expect(warnings).to_contain_text("Zoë O'Brien")
    expect(page.get_by_label("Zoë O'Brien")).to_be_checked()
    expect(page.get_by_label("Title")).to_have_value("Letters workshop")
    assert_accessible(page, "meeting warning")
    page.get_by_label("Reason for going ahead").fill("Zoë asked for an evening session this once.")
    page.get_by_role("button", name="Save the meeting anyway").click()
    expect(page.get_by_text("Meeting “Letters workshop” saved.")).to_be_visible()
    expect(heading(page)).to_have_text("Letters workshop")
    expect(page.get_by_text("Zoë asked for an evening session this once.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Zoë O'Brien")).to_contain_text("Not replied yet")
    assert_accessible(page, "meeting page for staff")
    assert Meeting.objects.get(title="Letters workshop").warnings_overridden_reason

    # Invite a new contributor.
    page.get_by_role("link", name="Invite a contributor").click()
    expect(heading(page)).to_have_text("Invite a contributor")
    assert_accessible(page, "invite a contributor")
    page.get_by_label("Email address").fill("amir@example.org")
    page.get_by_label("Full name").fill("Amir Haddad")
    page.get_by_role("button", name="Send invitation").click()
    sent = "Invitation sent to amir@example.org. The link works once, for 14 days."
    expect(page.get_by_text(sent)).to_be_visible()
    assert_accessible(page, "invitation sent")
    assert mail.outbox[-1].to == ["amir@example.org"]
    assert "/people/invitation/" in mail.outbox[-1].body
