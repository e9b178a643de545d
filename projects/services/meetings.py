"""Every write about meetings: schedule and change, replies, attendance."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from projects.models import (
    MEETING_LONGEST,
    MEETING_TOO_LONG,
    Meeting,
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
    "papers_file", "papers_link", "papers_sent_on",
)


@transaction.atomic
def meeting_save(
    *, actor, project: Project, meeting: Meeting | None = None, invitee_ids=(),
    override_reason: str = "", **fields,
) -> Meeting:
    """Create or change a meeting. Raises MeetingWarnings when a contributor cannot make the
    time or papers go out late, unless the organiser gives a reason for going ahead."""
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
    if not (fields.get("venue") or "").strip() and not fields.get("online_link"):
        raise MeetingError("Give a venue, an online link, or both.", field="venue")
    invitee_ids = list(invitee_ids)
    warnings, conflicting = meeting_warnings_and_people(
        start=start, end=end, contributor_ids=invitee_ids, papers_sent_on=fields.get("papers_sent_on")
    )
    reason = (override_reason or "").strip()
    if warnings and not reason:
        raise MeetingWarnings(warnings)

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
        meeting = Meeting(project=project, organiser=actor)
    for name in MEETING_FIELDS:
        if name in fields:
            if name == "papers_file" and fields[name] is None:
                continue  # no new upload: keep the papers already there
            setattr(meeting, name, fields[name] if fields[name] is not False else "")
    meeting.title = title
    meeting.warnings_overridden_reason = reason if warnings else ""
    meeting.save()

    existing = set(meeting.invitations.values_list("contributor_id", flat=True))
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=meeting, contributor_id=pk) for pk in invitee_ids if pk not in existing]
    )
    meeting.invitations.exclude(contributor_id__in=invitee_ids).delete()

    ProjectEvent.objects.create(
        project=project, actor=actor, action="meeting scheduled" if created else "meeting changed",
        detail=meeting.title,
    )
    if warnings:
        event = ProjectEvent.objects.create(
            project=project, actor=actor, action="meeting warnings overridden",
            detail=f"{meeting.title}: {' '.join(warnings)} Reason: {reason}",
        )
        event.people.set(conflicting)
    return meeting


@transaction.atomic
def meeting_reply(*, meeting_id: int, actor, reply: str) -> MeetingInvitation:
    invitation = (
        MeetingInvitation.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting_id=meeting_id, contributor=actor)
        .first()
    )
    if invitation is None:
        raise MeetingError("You are not invited to this meeting.")
    if reply not in (MeetingInvitation.Reply.ATTENDING, MeetingInvitation.Reply.NOT_ATTENDING):
        raise MeetingError("Choose whether you are attending.")
    if invitation.meeting.start < timezone.now():
        raise MeetingError("This meeting has already started, so the reply cannot be changed.")
    invitation.reply = reply
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "replied_at"])
    return invitation


@transaction.atomic
def attendance_record(*, meeting_id: int, actor, attended_ids) -> Meeting:
    """Who came. Payment for the meeting depends on this, so who recorded it and when is kept."""
    meeting = Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)
    if meeting.start > timezone.now():
        raise MeetingError("Attendance can be recorded once the meeting has started.")
    attended_ids = {int(pk) for pk in attended_ids}
    invitations = list(meeting.invitations.select_for_update())
    for invitation in invitations:
        invitation.attended = invitation.contributor_id in attended_ids
    MeetingInvitation.objects.bulk_update(invitations, ["attended"])
    meeting.attendance_recorded_at = timezone.now()
    meeting.attendance_recorded_by = actor
    meeting.save(update_fields=["attendance_recorded_at", "attendance_recorded_by"])
    came = sum(1 for i in invitations if i.attended)
    ProjectEvent.objects.create(
        project=meeting.project, actor=actor, action="attendance recorded",
        detail=f"{meeting.title}: {came} of {len(invitations)} came",
    )
    return meeting
