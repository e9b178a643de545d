"""Reads about meetings: warnings before saving, who sees what, and each person's meetings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from contributors.selectors import availability_conflicts
from projects.models import Meeting, MeetingInvitation

from .access import can_manage_project

LONDON = ZoneInfo("Europe/London")
# Contributors need time to read papers and take part in the background thinking (seed step 4).
PAPERS_NOTICE_DAYS = 7


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def meeting_warnings(
    *, start: datetime, end: datetime, contributor_ids, papers_sent_on: date | None,
    today: date | None = None,
) -> list[str]:
    """Problems the organiser should see before saving, in plain English; empty if none."""
    return meeting_warnings_and_people(
        start=start, end=end, contributor_ids=contributor_ids, papers_sent_on=papers_sent_on, today=today
    )[0]


def meeting_warnings_and_people(
    *, start: datetime, end: datetime, contributor_ids, papers_sent_on: date | None,
    today: date | None = None,
) -> tuple[list[str], list]:
    """The warnings, and the contributors they name (recorded with the decision to go ahead)."""
    conflicts = availability_conflicts(contributor_ids=list(contributor_ids), start=start, end=end)
    warnings = [c.reason + "." for c in conflicts]
    meeting_day = start.astimezone(LONDON).date()
    today = today or timezone.localdate(timezone=LONDON)
    if papers_sent_on:
        notice = (meeting_day - papers_sent_on).days
        if notice < PAPERS_NOTICE_DAYS:
            warnings.append(
                f"The papers go out on {_day(papers_sent_on)}, {_days(notice)} before the meeting: "
                f"contributors need at least {PAPERS_NOTICE_DAYS} days to read them."
            )
    elif (meeting_day - today).days < PAPERS_NOTICE_DAYS:
        warnings.append(
            f"The papers have not been sent and the meeting is fewer than {PAPERS_NOTICE_DAYS} days "
            f"away: contributors need at least {PAPERS_NOTICE_DAYS} days to read them."
        )
    return warnings, [c.contributor for c in conflicts]


def _days(n: int) -> str:
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} after rather than"
    return f"only {n} day{'s' if n != 1 else ''}"


def can_see_online_link(user, meeting: Meeting, invitation: MeetingInvitation | None) -> bool:
    """Online links go only to staff and the contributors invited."""
    return user.is_staff or invitation is not None


def meeting_detail(*, meeting: Meeting, user) -> dict:
    manage = user.is_staff and can_manage_project(user, meeting.project)
    my_invitation = None
    invitations: list[MeetingInvitation] = []
    if user.is_staff:
        invitations = list(meeting.invitations.select_related("contributor").order_by("contributor__name"))
    else:
        my_invitation = meeting.invitations.filter(contributor=user).first()
    return {
        "meeting": meeting,
        "can_manage": manage,
        "invitations": invitations,
        "my_invitation": my_invitation,
        "show_link": can_see_online_link(user, meeting, my_invitation),
        "is_past": meeting.start < timezone.now(),
        "has_papers": bool(meeting.papers_file or meeting.papers_link),
    }


def contributor_invitations(user, *, upcoming: bool, limit: int = 10) -> list[MeetingInvitation]:
    now = timezone.now()
    qs = MeetingInvitation.objects.filter(contributor=user).select_related("meeting__project")
    if upcoming:
        qs = qs.filter(meeting__end__gte=now).order_by("meeting__start")
    else:
        qs = qs.filter(meeting__end__lt=now).order_by("-meeting__start")
    return list(qs[:limit])


def meetings_organised_upcoming(user, limit: int = 10) -> list[Meeting]:
    """Upcoming meetings on projects this person manages, with reply counts."""
    from .access import projects_managed_by

    return list(
        Meeting.objects.filter(
            project__in=projects_managed_by(user), start__gte=timezone.now(), cancelled_at__isnull=True
        )
        .select_related("project")
        .annotate(
            invited=Count("invitations", distinct=True),
            attending=Count("invitations", filter=Q(invitations__reply=MeetingInvitation.Reply.ATTENDING),
                            distinct=True),
        )
        .order_by("start")[:limit]
    )


def meetings_needing_attendance(user, limit: int = 10) -> list[Meeting]:
    """Past meetings on this person's projects where attendance has not been recorded yet."""
    from .access import projects_managed_by

    return list(
        Meeting.objects.filter(
            project__in=projects_managed_by(user), end__lt=timezone.now(),
            attendance_recorded_at__isnull=True, invitations__isnull=False, cancelled_at__isnull=True,
        )
        .select_related("project")
        .distinct()
        .order_by("-start")[:limit]
    )


def earliest_attended(person):
    """The day of a person's first attended meeting (not cancelled), local time, earliest first:
    their involvement at meetings (contributors/involvement.py; the funder report counts the same)."""
    from django.db.models.functions import TruncDate

    from projects.models import MeetingInvitation

    return (
        MeetingInvitation.objects.filter(
            contributor_id=person, attended=True, meeting__cancelled_at__isnull=True
        )
        .order_by("meeting__start")
        .annotate(day=TruncDate("meeting__start"))
        .values("day")
    )
