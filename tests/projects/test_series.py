"""Meetings that repeat: each occurrence a meeting of its own, moved or cancelled alone; the
pattern changed going forward; invitations for the whole series; extended and ended."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from projects.models import Meeting, MeetingChange, MeetingSeries, ProjectEvent
from projects.services import series as series_services
from projects.services.meetings import MeetingError, MeetingWarnings, meeting_cancel, meeting_save
from projects.services.series import (
    series_change,
    series_create,
    series_end,
    series_extend,
    series_invite,
)
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _second_tuesday_ahead() -> datetime:
    """18:00 UK time on the 2nd Tuesday of a month at least three weeks away."""
    day = timezone.localdate() + timedelta(days=21)
    first = date(day.year, day.month, 1)
    while True:
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        if tuesday >= day:
            return datetime(tuesday.year, tuesday.month, tuesday.day, 18, 0, tzinfo=LONDON)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def _monthly(project, staff, contributor=None, **overrides) -> MeetingSeries:
    start = _second_tuesday_ahead()
    fields = dict(
        actor=staff,
        project=project,
        title="Steering group",
        frequency="monthly_weekday",
        start=start,
        end=start + timedelta(hours=2),
        count=6,
        venue="Room 2, Education Centre",
        online_link="https://meet.example.org/steering",
        invitee_ids=[contributor.pk] if contributor else [],
    )
    return series_create(**{**fields, **overrides})


def _fields(meeting: Meeting, **changes) -> dict:
    names = (
        "title",
        "start",
        "end",
        "venue",
        "access_information",
        "online_link",
        "papers_link",
        "papers_sent_on",
    )
    return {**{name: getattr(meeting, name) for name in names}, **changes}


def test_a_monthly_series_on_the_second_tuesday_makes_a_meeting_for_each_date(
    project, staff, contributor_with_role
):
    series = _monthly(project, staff, contributor_with_role)

    meetings = list(series.meetings.order_by("start"))
    assert len(meetings) == 6
    for meeting in meetings:
        local = timezone.localtime(meeting.start, LONDON)
        # The same wall-clock time across the clocks changing, always the 2nd Tuesday.
        assert (local.weekday(), (local.day - 1) // 7 + 1, local.hour, local.minute) == (1, 2, 18, 0)
        assert meeting.end - meeting.start == timedelta(hours=2)
        assert list(meeting.invitations.values_list("contributor", flat=True)) == [contributor_with_role.pk]
    assert series_services.describe_rule(series) == "The 2nd Tuesday of each month at 18:00, 6 meetings"
    # One line in the project's history, not six.
    actions = list(ProjectEvent.objects.filter(project=project).values_list("action", flat=True))
    assert actions == ["meeting series scheduled"]


def test_weekly_fortnightly_and_monthly_on_a_date_follow_their_rule(project, staff):
    start = _second_tuesday_ahead()
    gaps = {}
    for frequency in ("weekly", "fortnightly", "monthly_date"):
        series = series_create(
            actor=staff,
            project=project,
            title=f"Group {frequency}",
            frequency=frequency,
            start=start,
            end=start + timedelta(hours=1),
            until=(start + timedelta(days=70)).date(),
            online_link="https://meet.example.org/x",
        )
        days = [timezone.localtime(m.start, LONDON).date() for m in series.meetings.order_by("start")]
        gaps[frequency] = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
        if frequency == "monthly_date":
            assert {d.day for d in days} == {start.day}
    assert gaps["weekly"] == {7}
    assert gaps["fortnightly"] == {14}
    assert len(Meeting.objects.filter(series__frequency="weekly")) == 11


def test_a_series_needs_an_end_and_a_future_start(project, staff):
    start = _second_tuesday_ahead()
    with pytest.raises(MeetingError, match="Say when the series ends"):
        series_create(
            actor=staff,
            project=project,
            title="x",
            frequency="weekly",
            start=start,
            end=start + timedelta(hours=1),
            venue="Room 1",
        )
    past = timezone.now() - timedelta(days=1)
    with pytest.raises(MeetingError, match="cannot be in the past"):
        series_create(
            actor=staff,
            project=project,
            title="x",
            frequency="weekly",
            start=past,
            end=past + timedelta(hours=1),
            count=3,
            venue="Room 1",
        )
    assert not MeetingSeries.objects.exists()


def test_moving_one_occurrence_leaves_the_rest_and_a_pattern_change_leaves_it(
    django_capture_on_commit_callbacks, project, staff, contributor_with_role
):
    series = _monthly(project, staff, contributor_with_role)
    second, third = series.meetings.order_by("start")[1:3]
    others_before = {m.pk: m.start for m in series.meetings.exclude(pk=second.pk)}
    planned = second.start
    moved_to = second.start + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(
            actor=staff,
            project=project,
            meeting=second,
            invitee_ids=[contributor_with_role.pk],
            **_fields(second, start=moved_to, end=moved_to + timedelta(hours=2)),
        )
    assert {m.pk: m.start for m in series.meetings.exclude(pk=second.pk)} == others_before
    second.refresh_from_db()
    assert second.moved_alone and second.series_start == planned
    # The person heard once, with a calendar file that updates that one event.
    assert len(mail.outbox) == 1
    event = next(c for c in Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk() if c.name == "VEVENT")
    assert str(event["UID"]) == f"meeting-{second.pk}@coproduction" and event["SEQUENCE"] == 1

    # Cancel the third on its own, then move the series an hour later from the first meeting.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=staff, meeting_id=third.pk, reason="Room closed")
    first = series.meetings.order_by("start").first()
    new_start = first.start + timedelta(hours=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        series_change(
            actor=staff,
            series_id=series.pk,
            frequency="monthly_weekday",
            start=new_start,
            end=new_start + timedelta(hours=2),
            count=6,
        )

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.start == moved_to and second.sequence == 1  # moved on its own: left be
    assert third.cancelled_at is not None and third.sequence == 1
    live = series.meetings.filter(cancelled_at__isnull=True, moved_alone=False)
    assert {timezone.localtime(m.start, LONDON).hour for m in live} == {19}
    assert live.count() == 4  # 6 dates, less the one moved alone and the one cancelled alone
    # Each moved meeting is news once to the person invited.
    moved = MeetingChange.objects.filter(meeting__in=live, kind="moved").count()
    assert moved == 4
    assert sorted(m.to[0] for m in mail.outbox) == [contributor_with_role.email] * 4


def test_extending_makes_the_dates_beyond_the_horizon_and_never_remakes_a_cancelled_one(
    monkeypatch, project, staff
):
    monkeypatch.setattr(series_services, "SERIES_HORIZON", timedelta(days=100))
    series = _monthly(project, staff, count=8)
    made = series.meetings.count()
    assert 2 <= made <= 4
    meeting_cancel(actor=staff, meeting_id=series.meetings.order_by("start").last().pk)
    monkeypatch.setattr(series_services, "SERIES_HORIZON", timedelta(days=366))

    more = series_extend(actor=staff, series_id=series.pk)

    assert len(more) == 8 - made
    assert series.meetings.count() == 8
    assert series.meetings.filter(cancelled_at__isnull=False).count() == 1
    assert series_extend(actor=staff, series_id=series.pk) == []


def test_inviting_to_a_series_checks_each_date_and_invites_to_every_future_meeting(
    project, staff, contributor_with_role
):
    series = _monthly(project, staff)
    meeting_cancel(actor=staff, meeting_id=series.meetings.order_by("start").first().pk)
    needs_loop = ContributorFactory(name="Hana Hearing")
    needs_loop.profile.access_features_needed = ["hearing_loop"]
    needs_loop.profile.save()

    with pytest.raises(MeetingWarnings) as warned:
        series_invite(actor=staff, series_id=series.pk, contributor_ids=[needs_loop.pk])
    assert len(warned.value.warnings) == 5
    assert warned.value.warnings[0].endswith(
        "Hana Hearing needs hearing loop, which this meeting does not offer."
    )

    changed = series_invite(
        actor=staff,
        series_id=series.pk,
        contributor_ids=[contributor_with_role.pk, needs_loop.pk],
        override_reason="We will bring a portable loop",
    )

    assert changed == 5
    live = series.meetings.filter(cancelled_at__isnull=True)
    assert all(m.invitations.count() == 2 for m in live)
    assert all(m.warnings_overridden_reason == "We will bring a portable loop" for m in live)
    assert set(series.invitees.all()) == {contributor_with_role, needs_loop}


def test_ending_a_series_cancels_the_later_meetings_and_tells_people(
    django_capture_on_commit_callbacks, project, staff, contributor_with_role
):
    series = _monthly(project, staff, contributor_with_role)
    third = series.meetings.order_by("start")[2]
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = series_end(
            actor=staff, series_id=series.pk, last_day=timezone.localtime(third.start, LONDON).date()
        )
    assert len(cancelled) == 3
    assert series.meetings.filter(cancelled_at__isnull=True).count() == 3
    assert len(mail.outbox) == 3 and all("Cancelled" in m.subject for m in mail.outbox)
    with pytest.raises(MeetingError, match="already ended"):
        series_end(actor=staff, series_id=series.pk, last_day=date.today())


# --- pages ---

WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]
STAFF_READ = [302, 403, 403, 200, 200, 200]
MANAGE = [302, 403, 403, 403, 200, 200]


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_series_pages_answer_each_kind_of_user(client, cast, project, staff, who_index):
    series = _monthly(project, staff)
    user = cast[WHO[who_index]]
    if user:
        client.force_login(user)
    for url, expected in [
        (reverse("projects:series_create", args=[project.pk]), MANAGE),
        (reverse("projects:series_detail", args=[series.pk]), STAFF_READ),
        (reverse("projects:series_edit", args=[series.pk]), MANAGE),
        (reverse("projects:series_invite", args=[series.pk]), MANAGE),
        (reverse("projects:series_end", args=[series.pk]), MANAGE),
    ]:
        assert client.get(url).status_code == expected[who_index], (WHO[who_index], url)
    response = client.post(reverse("projects:series_extend", args=[series.pk]))
    assert response.status_code == {"anonymous": 302, "project_staff": 302, "admin": 302}.get(
        WHO[who_index], 403
    )


def test_staff_set_up_a_series_on_the_page_and_back_does_not_make_it_twice(
    client, staff, project, contributor_with_role
):
    client.force_login(staff)
    start = timezone.localtime(_second_tuesday_ahead(), LONDON)
    data = {
        "title": "Steering group",
        "frequency": "monthly_weekday",
        "start": f"{start:%Y-%m-%dT%H:%M}",
        "end": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "count": "4",
        "until": "",
        "venue": "Room 2",
        "online_link": "",
        "invitees": [contributor_with_role.pk],
    }
    url = reverse("projects:series_create", args=[project.pk])
    response = client.post(url, data, follow=True)
    assert "Series “Steering group” saved: 4 meetings scheduled." in response.content.decode()
    assert "The 2nd Tuesday of each month at 18:00, 4 meetings" in response.content.decode()

    again = client.post(url, data)
    assert again.status_code == 200
    assert "is already scheduled for this project at this time" in again.content.decode()
    assert MeetingSeries.objects.count() == 1 and Meeting.objects.count() == 4


def test_a_series_without_an_end_is_shown_again_with_the_entries(client, staff, project):
    client.force_login(staff)
    response = client.post(
        reverse("projects:series_create", args=[project.pk]),
        {
            "title": "Panel",
            "frequency": "weekly",
            "start": "2030-01-07T10:00",
            "end": "2030-01-07T11:00",
            "venue": "Room 9",
        },
    )
    page = response.content.decode()
    assert "Say when the series ends: a last date or a number of meetings." in page
    assert 'value="Panel"' in page and "Room 9" in page


def test_the_series_page_does_not_grow_with_its_meetings(
    client, staff, project, django_assert_max_num_queries
):
    series = _monthly(project, staff, count=3)
    client.force_login(staff)
    url = reverse("projects:series_detail", args=[series.pk])
    with django_assert_max_num_queries(12):
        client.get(url)
    series_extend(actor=staff, series_id=series.pk)
    _monthly(project, staff, count=12, title="Another")
    big = MeetingSeries.objects.get(title="Another")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:series_detail", args=[big.pk])).status_code == 200


def test_the_command_extends_every_live_series_and_leaves_ended_ones(monkeypatch, project, staff):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr(series_services, "SERIES_HORIZON", timedelta(days=60))
    live = _monthly(project, staff, count=5)
    ended = _monthly(project, staff, count=5, title="Old group")
    series_end(actor=staff, series_id=ended.pk, last_day=timezone.localdate() + timedelta(days=400))
    before = live.meetings.count()
    monkeypatch.setattr(series_services, "SERIES_HORIZON", timedelta(days=366))
    out = StringIO()

    call_command("extend_meeting_series", stdout=out)

    assert live.meetings.count() == 5
    assert f"Made {5 - before} meeting(s)." in out.getvalue()
    assert ended.meetings.count() == before


def test_a_person_invited_to_a_series_gets_one_confirmation_not_one_per_meeting(
    django_capture_on_commit_callbacks, project, staff, contributor_with_role
):
    from reminders.services import scan_due_reminders

    _monthly(project, staff, contributor_with_role)
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders()
    invited = [m for m in mail.outbox if m.subject.startswith("You are invited")]
    assert len(invited) == 1
    repeats = "Repeats: The 2nd Tuesday of each month at 18:00, 6 meetings (each meeting is on your"
    assert repeats in invited[0].body
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders()
    assert len([m for m in mail.outbox if m.subject.startswith("You are invited")]) == 1
