"""Rules: suitability before active, archiving, bad input, warnings, .ics, demo."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contributors.models import Availability
from contributors.selectors import availability_conflicts
from projects.calendar import meeting_ics
from projects.models import Meeting, Project, ProjectEvent
from projects.services.projects import ProjectError, project_update

from .factories import COMPLETE, PieceOfWorkFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _next(weekday: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=14)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def test_it_refuses_active_until_the_suitability_assessment_is_complete(project, staff):
    PieceOfWorkFactory(project=project, title="Draft the letter")
    with pytest.raises(ProjectError) as error:
        project_update(project_id=project.pk, actor=staff, status=Project.Status.ACTIVE)
    assert "The project needs the level of involvement intended." in error.value.message
    assert "The piece of work “Draft the letter” needs the level of involvement" in error.value.message
    Project.objects.filter(pk=project.pk).update(**COMPLETE)
    project.pieces_of_work.update(**COMPLETE)
    project_update(project_id=project.pk, actor=staff, status=Project.Status.ACTIVE)
    assert Project.objects.get(pk=project.pk).status == "active"
    assert ProjectEvent.objects.filter(project=project, action="status changed", actor=staff).exists()


def test_it_says_beside_the_status_what_is_missing(client, staff, project):
    client.force_login(staff)
    response = client.post(reverse("projects:edit", kwargs={"pk": project.pk}), {
        "title": "Kept title", "status": "active", "lead": staff.pk, "involvement_lead_time_weeks": 6,
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be active until the suitability assessment is complete" in html
    assert "Add at least one piece of work and assess it." in html
    assert 'value="Kept title"' in html


def test_it_keeps_entries_when_dates_are_out_of_order_or_the_title_is_empty(client, staff):
    client.force_login(staff)
    response = client.post(reverse("projects:create"), {
        "title": "Carers' wellbeing", "status": "idea", "lead": staff.pk, "involvement_lead_time_weeks": 6,
        "start_date": "2027-05-01", "end_date": "2027-04-01",
    })
    html = response.content.decode()
    assert "The end date must be on or after the start date." in html
    assert 'value="Carers&#x27; wellbeing"' in html
    response = client.post(reverse("projects:create"), {"title": "", "status": "idea", "lead": staff.pk,
                                                         "involvement_lead_time_weeks": 6})
    assert "Give the project a title." in response.content.decode()
    assert not Project.objects.exists()


def test_it_refuses_a_negative_budget_beside_the_amount(client, staff, project):
    client.force_login(staff)
    response = client.post(reverse("projects:budget_line_create", kwargs={"pk": project.pk}),
                           {"kind": "time", "description": "Panel payments", "amount": "-5.00"})
    html = response.content.decode()
    assert "Enter an amount of £0.00 or more." in html
    assert 'value="Panel payments"' in html
    assert not project.budget_lines.exists()


def test_it_archives_instead_of_deleting_and_hides_archived_projects_by_default(client, staff, project):
    from django.contrib.admin.sites import site

    client.force_login(staff)
    client.post(reverse("projects:archive", kwargs={"pk": project.pk}))
    assert Project.objects.get(pk=project.pk).archived_by == staff
    link = ">Leaving hospital well</a>"
    assert link not in client.get(reverse("projects:list")).content.decode()
    assert link in client.get(reverse("projects:list") + "?archived=archived").content.decode()
    assert site._registry[Project].has_delete_permission(None, project) is False


def test_it_filters_the_list_by_status_lead_and_search(client, staff, other_staff, project):
    from .factories import ProjectFactory

    ProjectFactory(title="Carers' wellbeing", lead=other_staff, status="planning")
    client.force_login(staff)
    html = client.get(reverse("projects:list") + f"?lead={other_staff.pk}").content.decode()
    assert "Carers" in html and "Leaving hospital well" not in html
    html = client.get(reverse("projects:list") + "?status=planning&q=carers").content.decode()
    assert "Carers" in html and "Leaving hospital well" not in html


def test_it_shows_the_extra_lead_time_for_involvement(client, staff, project):
    Project.objects.filter(pk=project.pk).update(start_date=date(2027, 3, 1), involvement_lead_time_weeks=6)
    client.force_login(staff)
    html = client.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "To start on 1 March 2027, begin recruiting contributors by 18 January 2027" in html


def test_it_names_the_contributor_who_cannot_make_the_time(contributor):
    for part in ("morning", "afternoon"):
        Availability.objects.create(profile=contributor.profile, weekday=1, part_of_day=part)
    start = _next(1, 18)
    end = start + timedelta(hours=2)
    conflicts = availability_conflicts(contributor_ids=[contributor.pk], start=start, end=end)
    assert [c.reason for c in conflicts] == [
        "Zoë O'Brien has said they can take part on Tuesday mornings and afternoons, not Tuesday evening"
    ]
    morning = _next(1, 10)
    assert availability_conflicts(contributor_ids=[contributor.pk], start=morning,
                                  end=morning + timedelta(hours=2)) == []


def test_it_does_not_warn_about_people_who_have_not_told_us_their_availability(contributor):
    start = _next(2, 19)
    assert availability_conflicts(contributor_ids=[contributor.pk], start=start,
                                  end=start + timedelta(hours=1)) == []


def test_it_uses_one_query_for_all_invitees(django_assert_num_queries, contributor, other_contributor):
    start = _next(1, 18)
    with django_assert_num_queries(1):
        availability_conflicts(contributor_ids=[contributor.pk, other_contributor.pk], start=start,
                               end=start + timedelta(hours=1))


def _meeting_post(contributor, start, **extra):
    data = {
        "title": "Letter working group", "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "venue": "Room 2",
        "invitees": [contributor.pk], "papers_sent_on": (start.date() - timedelta(days=10)).isoformat(),
    }
    data.update(extra)
    return data


def test_it_warns_before_saving_and_records_the_reason_for_going_ahead(client, staff, project, contributor):
    Availability.objects.create(profile=contributor.profile, weekday=1, part_of_day="morning")
    client.force_login(staff)
    url = reverse("projects:meeting_create", kwargs={"project_pk": project.pk})
    start = _next(1, 18)
    response = client.post(url, _meeting_post(contributor, start))
    html = response.content.decode()
    assert "Zoë O&#x27;Brien has said they can take part on Tuesday mornings, not Tuesday evening." in html
    assert "Reason for going ahead" in html
    assert not Meeting.objects.exists()
    response = client.post(url, _meeting_post(contributor, start, override_reason="Only room free that week"))
    meeting = Meeting.objects.get()
    assert meeting.warnings_overridden_reason == "Only room free that week"
    assert list(meeting.invitations.values_list("contributor", flat=True)) == [contributor.pk]


def test_it_warns_when_papers_go_out_fewer_than_seven_days_before(client, staff, project, contributor):
    client.force_login(staff)
    start = _next(3, 10)
    response = client.post(
        reverse("projects:meeting_create", kwargs={"project_pk": project.pk}),
        _meeting_post(contributor, start, papers_sent_on=(start.date() - timedelta(days=3)).isoformat()),
    )
    html = response.content.decode()
    assert "only 3 days before the meeting: contributors need at least 7 days to read them." in html
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_in_the_past_and_keeps_what_was_typed(client, staff, project, contributor):
    client.force_login(staff)
    start = timezone.localtime() - timedelta(days=2)
    response = client.post(reverse("projects:meeting_create", kwargs={"project_pk": project.pk}),
                           _meeting_post(contributor, start, title="Yesterday's group"))
    html = response.content.decode()
    assert "The meeting cannot start in the past. Choose a later date or time." in html
    assert "Yesterday&#x27;s group" in html
    assert not Meeting.objects.exists()


def test_it_lets_an_invited_contributor_reply_and_staff_record_attendance(
    client, meeting, contributor_with_role, project_staff
):
    client.force_login(contributor_with_role)
    client.post(reverse("projects:meeting_reply", kwargs={"pk": meeting.pk}), {"reply": "attending"})
    assert meeting.invitations.get().reply == "attending"
    Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=3),
                                                 end=timezone.now() - timedelta(hours=1))
    client.force_login(project_staff)
    client.post(reverse("projects:meeting_attendance", kwargs={"pk": meeting.pk}),
                {"attended": [contributor_with_role.pk]})
    meeting.refresh_from_db()
    assert meeting.invitations.get().attended is True
    assert meeting.attendance_recorded_by == project_staff


def test_it_builds_a_calendar_file_with_everything_people_need(meeting):
    meeting.access_information = "Step-free entrance"
    meeting.save()
    calendar = Calendar.from_ical(meeting_ics(meeting))
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@coproduction"
    assert "DTSTAMP" in event
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == meeting.start.replace(microsecond=0)
    assert event.decoded("DTEND") == meeting.end.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Letter working group (Leaving hospital well)"
    assert "Step-free entrance" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/secret-room" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://meet.example.org/secret-room"
    assert str(event["LOCATION"]) == "Room 2, Education Centre"
    assert str(event["ORGANIZER"]) == f"mailto:{meeting.organiser.email}"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"


def test_the_demo_seeds_two_projects_and_two_meetings_once(settings):
    import contributors.demo
    import projects.demo

    people = contributors.demo.seed()
    first = projects.demo.seed(people)
    again = projects.demo.seed(people)
    assert len(first["projects"]) == 2 and first["meeting_tomorrow"] == again["meeting_tomorrow"]
    assert Meeting.objects.count() == 2
    tomorrow = first["meeting_tomorrow"].start.astimezone(LONDON)
    assert (tomorrow.hour, tomorrow.date()) == (10, timezone.localdate() + timedelta(days=1))
    assert first["meeting_last_week"].invitations.get(contributor=people["contributor"]).attended is True
