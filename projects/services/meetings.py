"""Every write about meetings: schedule and change, replies, attendance."""

import secrets

from celery import current_app
from django.db import transaction
from django.utils import timezone

from contributors.involvement import first_involvement_refresh
from contributors.services import hash_token
from core.errors import DomainError
from projects.models import (
    MEETING_LONGEST,
    MEETING_TOO_LONG,
    CalendarFeed,
    Meeting,
    MeetingChange,
    MeetingInvitation,
    Project,
    ProjectEvent,
)
from projects.selectors.meetings import meeting_warnings_and_people


class MeetingError(DomainError):
    """A rule stopped the meeting being saved."""


class MeetingWarnings(Exception):
    """The organiser must see these and give a reason before the meeting is saved."""

    def __init__(self, warnings: list[str]):
        super().__init__(" ".join(warnings))
        self.warnings = warnings


MEETING_FIELDS = (
    "title", "start", "end", "venue", "access_information", "online_link",
    "papers_file", "papers_link", "papers_sent_on", "place", "access_features",
)


def offered_access(*, place, access_features) -> set[str]:
    """What a meeting offers: its venue's features and any arranged for this meeting."""
    return set(access_features or ()) | set(place.access_features if place is not None else ())


@transaction.atomic
def meeting_save(
    *, actor, project: Project, meeting: Meeting | None = None, invitee_ids=(),
    override_reason: str = "", series=None, series_start=None, **fields,
) -> Meeting:
    """Create or change a meeting. Raises MeetingWarnings when a contributor cannot make the
    time, papers go out late or a recorded access need is not met, unless the organiser gives
    a reason for going ahead.

    `series` and `series_start` come from projects/services/series.py: a new occurrence, or one
    the series' new rule moves (which is not a move "on its own")."""
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    title = (fields.get("title") or "").strip()
    if not title:
        raise MeetingError("Give the meeting a title.", field="title")
    start, end = fields["start"], fields["end"]
    if end <= start:
        raise MeetingError("The meeting must end after it starts.", field="end")
    if end - start > MEETING_LONGEST:
        raise MeetingError(MEETING_TOO_LONG, field="end")
    start_changed = meeting is None or meeting.start != start
    if start_changed and start < timezone.now():
        raise MeetingError(
            "The meeting cannot start in the past. Choose a later date or time.", field="start"
        )
    if fields.get("place") is not None and not (fields.get("venue") or "").strip():
        fields["venue"] = fields["place"].address
    if not (fields.get("venue") or "").strip() and not fields.get("online_link"):
        raise MeetingError("Give a venue, an online link, or both.", field="venue")
    invitee_ids = list(invitee_ids)
    if "place" in fields or "access_features" in fields:
        offered = offered_access(place=fields.get("place"), access_features=fields.get("access_features"))
    elif meeting is not None:
        offered = offered_access(place=meeting.place, access_features=meeting.access_features)
    else:
        offered = set()
    warnings, conflicting = meeting_warnings_and_people(
        start=start, end=end, contributor_ids=invitee_ids, papers_sent_on=fields.get("papers_sent_on"),
        offered=offered,
    )
    reason = (override_reason or "").strip()
    # A reason answers the warnings it was given for: an edit that brings a new warning (a
    # new invitee who cannot come, a later time) needs a new reason; the old one stays with
    # the warnings it answered.
    answered = set(meeting.warnings_overridden.splitlines()) if meeting is not None else set()
    unanswered = [w for w in warnings if w not in answered]
    if unanswered and not reason:
        raise MeetingWarnings(unanswered)

    created = meeting is None
    if created:
        # Back and Save again (or a double click) would schedule the meeting twice: the first
        # one stands. The project's lock makes two saves at once take turns.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        twin = Meeting.objects.filter(project=project, title__iexact=title, start=start).first()
        if twin is not None:
            raise MeetingError(
                f"“{twin.title}” is already scheduled for this project at this time. Open it from the "
                "project page to change it.",
                field="title",
            )
        meeting = Meeting(project=project, organiser=actor, series=series, series_start=series_start)
    if meeting.cancelled_at is not None:
        raise MeetingError("This meeting has been cancelled, so it cannot be changed.")
    before = None if created else {name: getattr(meeting, name) for name in MOVE_FIELDS}
    for name in MEETING_FIELDS:
        if name in fields:
            if name == "papers_file" and fields[name] is None:
                continue  # no new upload: keep the papers already there
            setattr(meeting, name, fields[name] if fields[name] is not False else "")
    meeting.title = title
    if unanswered:
        meeting.warnings_overridden_reason, meeting.warnings_overridden = reason, "\n".join(warnings)
    elif not warnings:
        meeting.warnings_overridden_reason = meeting.warnings_overridden = ""
    what = None if created else _what_moved(before, meeting)
    if what:
        meeting.sequence += 1
    if not created and series_start is not None:
        meeting.series_start = series_start  # the series' new rule put it here
    elif what and meeting.series_id:
        meeting.moved_alone = True  # a change to the series' rule leaves it where it was put
    meeting.save()
    if what:
        MeetingChange.objects.create(
            meeting=meeting, kind=MeetingChange.Kind.MOVED, sequence=meeting.sequence, what=what, by=actor
        )
        transaction.on_commit(tell_invitees_now)

    rows = list(meeting.invitations.values_list("contributor_id", "attended"))
    existing = {pk for pk, _came in rows}
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=meeting, contributor_id=pk) for pk in invitee_ids if pk not in existing]
    )
    meeting.invitations.exclude(contributor_id__in=invitee_ids).delete()
    if attended := [pk for pk, came in rows if came]:
        # A meeting people attended was moved or lost invitees: their first involvement may move.
        first_involvement_refresh(attended)

    if not (created and series is not None):  # the series records one event for all of them
        ProjectEvent.objects.create(
            project=project, actor=actor, action="meeting scheduled" if created else "meeting changed",
            detail=meeting.title,
        )
    if unanswered:
        event = ProjectEvent.objects.create(
            project=project, actor=actor, action="meeting warnings overridden",
            detail=f"{meeting.title}: {' '.join(warnings)} Reason: {reason}",
        )
        event.people.set(conflicting)
    return meeting


# A change to any of these is news to everyone invited (and to their calendars).
MOVE_FIELDS = ("start", "end", "venue", "online_link")


def _moment(value) -> str:
    local = timezone.localtime(value)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def _what_moved(before: dict, meeting: Meeting) -> str:
    """The change in plain English, or "" when neither the time nor the place changed."""
    parts = []
    if before["start"] != meeting.start or before["end"] != meeting.end:
        parts.append(
            f"Now on {_moment(meeting.start)} to {timezone.localtime(meeting.end):%H:%M} "
            f"(was {_moment(before['start'])} to {timezone.localtime(before['end']):%H:%M})."
        )
    if (before["venue"] or "").strip() != (meeting.venue or "").strip():
        venue = " ".join(meeting.venue.split()) or "no venue: online only"
        parts.append(f"Now at {venue}.")
    if (before["online_link"] or "") != (meeting.online_link or ""):
        parts.append("The online link has changed." if meeting.online_link else "No longer online.")
    return " ".join(parts)


def tell_invitees_now() -> None:
    """Run the reminder scan for meeting changes straight away (not at the next 15-minute
    scan): a moved meeting is news today. Looked up by name, because reminders sits above
    projects; with no broker it runs in this process."""
    name = "reminders.scan_due_reminders"
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # Celery's own autodiscovery, as a worker does
    task = current_app.tasks.get(name)
    if task is not None:
        task.delay(only=["meeting_moved", "meeting_cancelled"])


@transaction.atomic
def meeting_cancel(*, actor, meeting_id: int, reason: str = "") -> Meeting:
    """Cancel a meeting that has not started: everyone invited is told, and their calendar
    file removes the event."""
    meeting = Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)
    if meeting.cancelled_at is not None:
        when = timezone.localtime(meeting.cancelled_at)
        raise MeetingError(f"This meeting was already cancelled on {when:%d %B at %H:%M}.")
    if meeting.start <= timezone.now():
        raise MeetingError("This meeting has already started, so it cannot be cancelled.")
    meeting.sequence += 1
    meeting.cancelled_at, meeting.cancelled_by = timezone.now(), actor
    meeting.cancel_reason = (reason or "").strip()
    meeting.save(update_fields=["sequence", "cancelled_at", "cancelled_by", "cancel_reason"])
    what = f"Cancelled: it was on {_moment(meeting.start)}."
    if meeting.cancel_reason:
        what += f" {meeting.cancel_reason}"
    MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChange.Kind.CANCELLED, sequence=meeting.sequence, what=what, by=actor
    )
    ProjectEvent.objects.create(
        project=meeting.project, actor=actor, action="meeting cancelled", detail=meeting.title
    )
    transaction.on_commit(tell_invitees_now)
    return meeting


@transaction.atomic
def meeting_reply(
    *, meeting_id: int, actor, reply: str, note: str = "", contributor=None
) -> MeetingInvitation:
    """A contributor's reply: in person, online, or not coming, with a note. Staff record it for
    someone who replied by phone or post (`contributor`), and who recorded it is kept."""
    person = contributor if contributor is not None else actor
    if contributor is not None and not actor.is_staff:
        raise MeetingError("Only staff can record a reply for someone else.")
    invitation = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting_id=meeting_id, contributor=person)
        .first()
    )
    if invitation is None:
        raise MeetingError(
            "You are not invited to this meeting." if contributor is None
            else f"{person.get_full_name()} is not invited to this meeting."
        )
    if reply not in (MeetingInvitation.Reply.ATTENDING, MeetingInvitation.Reply.ONLINE,
                     MeetingInvitation.Reply.NOT_ATTENDING):
        raise MeetingError("Choose whether you are coming in person, online, or not coming.")
    meeting = invitation.meeting
    if meeting.cancelled_at is not None:
        raise MeetingError("This meeting has been cancelled.")
    if meeting.start < timezone.now():
        raise MeetingError("This meeting has already started, so the reply cannot be changed.")
    if reply == MeetingInvitation.Reply.ONLINE and not meeting.online_link:
        raise MeetingError("This meeting is in person only: there is no online link.")
    if reply == MeetingInvitation.Reply.ATTENDING and not (meeting.venue or "").strip():
        raise MeetingError("This meeting is online only: there is no venue.")
    invitation.reply = reply
    invitation.reply_note = (note or "").strip()
    invitation.replied_at = timezone.now()
    invitation.reply_recorded_by = actor if contributor is not None else None
    invitation.save(update_fields=["reply", "reply_note", "replied_at", "reply_recorded_by"])
    return invitation


@transaction.atomic
def attendance_record(*, meeting_id: int, actor, attended_ids) -> Meeting:
    """Who came. Payment for the meeting depends on this, so who recorded it and when is kept."""
    meeting = Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)
    if meeting.cancelled_at is not None:
        raise MeetingError("This meeting was cancelled, so there is no attendance to record.")
    if meeting.start > timezone.now():
        raise MeetingError("Attendance can be recorded once the meeting has started.")
    attended_ids = {int(pk) for pk in attended_ids}
    invitations = list(meeting.invitations.select_for_update())
    for invitation in invitations:
        invitation.attended = invitation.contributor_id in attended_ids
    MeetingInvitation.objects.bulk_update(invitations, ["attended"])
    # Attending is involvement: each invitee's first involvement may move, either way.
    first_involvement_refresh(i.contributor_id for i in invitations)
    meeting.attendance_recorded_at = timezone.now()
    meeting.attendance_recorded_by = actor
    meeting.save(update_fields=["attendance_recorded_at", "attendance_recorded_by"])
    came = sum(1 for i in invitations if i.attended)
    ProjectEvent.objects.create(
        project=meeting.project, actor=actor, action="attendance recorded",
        detail=f"{meeting.title}: {came} of {len(invitations)} came",
    )
    return meeting


@transaction.atomic
def calendar_feed_renew(*, actor) -> str:
    """A new secret calendar address for this person; any old one stops working. Returns the
    token, which is shown once: only its hash is kept (as with invitations)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=actor).delete()
    CalendarFeed.objects.create(user=actor, token_hash=hash_token(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor) -> bool:
    """Stop this person's calendar address working. True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=actor).delete()
    return bool(deleted)
