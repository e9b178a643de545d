"""A meeting moved or cancelled: everyone invited hears at once, once per change, and their
calendar file updates (same UID, higher SEQUENCE) or removes the event (METHOD:CANCEL)."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contributors.models import Availability
from projects.models import Meeting, MeetingChange, ProjectEvent
from projects.services.meetings import MeetingError, MeetingWarnings, meeting_cancel, meeting_save
from reminders.models import ReminderSent, StaffTask
from reminders.services import scan_due_reminders
from tests.factories import ContributorFactory

from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _in_days(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _fields(meeting: Meeting, **changes) -> dict:
    fields = {
        name: getattr(meeting, name)
        for name in (
            "title",
            "start",
            "end",
            "venue",
            "access_information",
            "online_link",
            "papers_link",
            "papers_sent_on",
        )
    }
    fields.update(changes)
    return fields


def _invitees(meeting) -> list[int]:
    return list(meeting.invitations.values_list("contributor_id", flat=True))


@pytest.fixture
def meeting(contributor, other_contributor):
    meeting = MeetingFactory(start=_in_days(10), papers_sent_on=timezone.localdate())
    InvitationFactory(meeting=meeting, contributor=contributor)
    InvitationFactory(meeting=meeting, contributor=other_contributor, reply="not_attending")
    return meeting


def _event(message):
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    return calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


def test_moving_a_meeting_tells_everyone_invited_at_once_with_an_updated_calendar_file(
    django_capture_on_commit_callbacks, meeting, contributor, other_contributor
):
    new_start = _in_days(11, 14)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, start=new_start, end=new_start + timedelta(hours=2)),
        )

    # Someone who had said no hears too: the new time may suit them.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contributor.email, other_contributor.email])
    message = mail.outbox[0]
    local = timezone.localtime(new_start)
    assert message.subject == f"Changed: Steering group is now on {local:%A} {local.day} {local:%B} at 14:00"
    assert f"Now on {local:%A} {local.day} {local:%B %Y}, 14:00 to 16:00 (was " in message.body
    calendar, event = _event(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@coproduction"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_start

    # Once per change: the next scan sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_due_reminders()["meeting_moved"] == 0
    assert len(mail.outbox) == 2


def test_each_move_is_news_and_the_calendar_sequence_keeps_rising(
    django_capture_on_commit_callbacks, meeting, contributor
):
    for days in (11, 12):
        start = _in_days(days)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_save(
                actor=meeting.organiser,
                project=meeting.project,
                meeting=meeting,
                invitee_ids=_invitees(meeting),
                **_fields(meeting, start=start, end=start + timedelta(hours=2)),
            )
        meeting.refresh_from_db()
    to_zoe = [m for m in mail.outbox if m.to == [contributor.email]]
    assert [_event(m)[1]["SEQUENCE"] for m in to_zoe] == [1, 2]
    assert meeting.sequence == 2


def test_changing_only_the_title_or_papers_tells_nobody(django_capture_on_commit_callbacks, meeting):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, title="Steering group (papers inside)", papers_link="https://example.org/p"),
        )
    meeting.refresh_from_db()
    assert mail.outbox == []
    assert meeting.sequence == 0
    assert not MeetingChange.objects.exists()


def test_a_new_venue_is_news(django_capture_on_commit_callbacks, meeting):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, venue="Room 9, Town Hall"),
        )
    assert "Now at Room 9, Town Hall." in mail.outbox[0].body


def test_a_contributor_who_asked_for_a_call_gets_a_staff_task_not_an_email(
    django_capture_on_commit_callbacks, meeting, contributor
):
    contributor.profile.contact_method = "phone"
    contributor.profile.phone = "07700 900123"
    contributor.profile.save()
    start = _in_days(11)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, start=start, end=start + timedelta(hours=2)),
        )
    task = StaffTask.objects.get()
    assert task.assigned_to == meeting.organiser
    assert task.text.startswith(
        "Call Zoë O'Brien (07700 900123) to tell them 'Steering group' has changed. Now on"
    )
    assert [m.to for m in mail.outbox] == [
        [meeting.invitations.exclude(contributor=contributor).get().contributor.email]
    ]


def test_cancelling_tells_everyone_once_and_the_calendar_file_cancels_the_event(
    django_capture_on_commit_callbacks, meeting, contributor, other_contributor
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=meeting.organiser, meeting_id=meeting.pk, reason="The room flooded.")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([contributor.email, other_contributor.email])
    message = mail.outbox[0]
    local = timezone.localtime(meeting.start)
    assert message.subject == f"Cancelled: Steering group on {local:%A} {local.day} {local:%B}"
    assert "The room flooded." in message.body
    calendar, event = _event(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@coproduction"
    assert event["SEQUENCE"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        counts = scan_due_reminders(now=meeting.start - timedelta(hours=20))
    # Nothing more: not the cancellation again, nor "tomorrow" about a meeting that will not happen.
    assert counts["meeting_cancelled"] == 0
    assert counts["meeting_day_before"] == 0
    assert len(mail.outbox) == 2
    assert ProjectEvent.objects.filter(action="meeting cancelled").count() == 1


def test_a_cancelled_meeting_cannot_be_cancelled_again_changed_or_replied_to(meeting, contributor):
    meeting_cancel(actor=meeting.organiser, meeting_id=meeting.pk)
    with pytest.raises(MeetingError, match="already cancelled"):
        meeting_cancel(actor=meeting.organiser, meeting_id=meeting.pk)
    with pytest.raises(MeetingError, match="cancelled, so it cannot be changed"):
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting),
        )
    from projects.services.meetings import meeting_reply

    with pytest.raises(MeetingError, match="has been cancelled"):
        meeting_reply(meeting_id=meeting.pk, actor=contributor, reply="attending")


def test_a_move_then_a_cancellation_before_the_scan_is_only_the_cancellation(meeting):
    start = _in_days(11)
    meeting_save(
        actor=meeting.organiser,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=_invitees(meeting),
        **_fields(meeting, start=start, end=start + timedelta(hours=2)),
    )
    meeting_cancel(actor=meeting.organiser, meeting_id=meeting.pk)
    counts = scan_due_reminders(enqueue=lambda pk: None)
    assert counts["meeting_moved"] == 0
    assert counts["meeting_cancelled"] == 2
    assert ReminderSent.objects.filter(kind="meeting_cancelled").count() == 2


def test_cancel_page_cancels_and_says_so(client, meeting, django_capture_on_commit_callbacks):
    client.force_login(meeting.organiser)
    url = reverse("projects:meeting_cancel", kwargs={"pk": meeting.pk})
    assert "Why it is cancelled (optional)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Not enough people could come."}, follow=True)
    html = response.content.decode()
    assert "Meeting cancelled. Everyone invited is being told." in html
    assert "This meeting is cancelled." in html
    assert "Not enough people could come." in html
    # Posted twice (Back, then Cancel again): told once, and a message says so.
    response = client.post(url, {"reason": ""}, follow=True)
    assert "This meeting was already cancelled on" in response.content.decode()
    assert len(mail.outbox) == 2


# --- editing re-runs the checks ---------------------------------------------------------------
def _evenings_only(person):
    Availability.objects.create(profile=person.profile, weekday=0, part_of_day="evening")
    for weekday in range(1, 7):
        for part in ("morning", "afternoon", "evening"):
            Availability.objects.create(profile=person.profile, weekday=weekday, part_of_day=part)


def test_editing_re_runs_the_checks_and_a_reason_answers_only_its_own_warning(meeting, contributor):
    monday = _in_days(14)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    meeting.start, meeting.end = monday, monday + timedelta(hours=2)
    meeting.save()
    _evenings_only(contributor)
    # Adding the time Zoë cannot make: warned, as when the meeting was made.
    with pytest.raises(MeetingWarnings) as first:
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, venue="Room 5"),
        )
    assert first.value.warnings == [
        "Zoë O'Brien has said they can take part on Monday evenings, not Monday morning."
    ]
    meeting = meeting_save(
        actor=meeting.organiser,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=_invitees(meeting),
        override_reason="Only morning the room is free",
        **_fields(meeting, venue="Room 5"),
    )
    assert meeting.warnings_overridden_reason == "Only morning the room is free"

    # The same warning again (another edit): already answered, so no new reason is asked.
    meeting = meeting_save(
        actor=meeting.organiser,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=_invitees(meeting),
        **_fields(meeting, title="Steering group 2"),
    )
    assert meeting.warnings_overridden_reason == "Only morning the room is free"

    # A new person who cannot come is a new warning: the old reason does not answer it.
    ravi = ContributorFactory(name="Ravi Shah")
    _evenings_only(ravi)
    with pytest.raises(MeetingWarnings) as second:
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=[*_invitees(meeting), ravi.pk],
            **_fields(meeting),
        )
    assert second.value.warnings == [
        "Ravi Shah has said they can take part on Monday evenings, not Monday morning."
    ]
    meeting = meeting_save(
        actor=meeting.organiser,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=[*_invitees(meeting), ravi.pk],
        override_reason="Ravi joins by phone",
        **_fields(meeting),
    )
    assert meeting.warnings_overridden_reason == "Ravi joins by phone"
    assert meeting.warnings_overridden.splitlines() == [
        "Zoë O'Brien has said they can take part on Monday evenings, not Monday morning.",
        "Ravi Shah has said they can take part on Monday evenings, not Monday morning.",
    ]

    # Moved to an evening: no warning left, so no reason is kept.
    evening = monday.replace(hour=18)
    meeting = meeting_save(
        actor=meeting.organiser,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=_invitees(meeting),
        **_fields(meeting, start=evening, end=evening + timedelta(hours=2)),
    )
    assert meeting.warnings_overridden_reason == meeting.warnings_overridden == ""


def test_moving_a_meeting_closer_re_runs_the_papers_check(meeting):
    meeting.papers_sent_on = None
    meeting.save()
    soon = _in_days(3)
    with pytest.raises(MeetingWarnings) as problem:
        meeting_save(
            actor=meeting.organiser,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=_invitees(meeting),
            **_fields(meeting, start=soon, end=soon + timedelta(hours=1)),
        )
    assert (
        "The papers have not been sent and the meeting is fewer than 7 days away" in problem.value.warnings[0]
    )


def test_the_edit_form_never_fills_in_the_old_reason(client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        warnings_overridden_reason="Secret old reason", warnings_overridden="Old warning."
    )
    client.force_login(meeting.organiser)
    html = client.get(reverse("projects:meeting_edit", kwargs={"pk": meeting.pk})).content.decode()
    assert "Earlier warnings, already answered (Old warning.), because: Secret old reason." in html
    assert 'name="override_reason"' not in html


def test_a_cancelled_meeting_shows_as_cancelled_to_the_contributor_and_leaves_staff_lists(
    client, meeting, contributor
):
    from projects.selectors.meetings import meetings_needing_attendance, meetings_organised_upcoming

    meeting_cancel(actor=meeting.organiser, meeting_id=meeting.pk)
    client.force_login(contributor)
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert "<strong>Cancelled.</strong> This meeting will not take place." in html
    assert "I am attending<span" not in html
    assert meetings_organised_upcoming(meeting.organiser) == []
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )
    assert meetings_needing_attendance(meeting.organiser) == []
