"""Reads about meetings: warnings before saving, who sees what, and each person's meetings."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from contributors.models import AccessFeature, ContributorProfile
from contributors.selectors import availability_conflicts
from contributors.services import hash_token
from projects.models import CalendarFeed, Meeting, MeetingInvitation

from .access import can_manage_project

LONDON = ZoneInfo("Europe/London")
# Contributors need time to read papers and take part in the background thinking (seed step 4).
PAPERS_NOTICE_DAYS = 7


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def meeting_warnings(
    *, start: datetime, end: datetime, contributor_ids, papers_sent_on: date | None,
    today: date | None = None, offered=None,
) -> list[str]:
    """Problems the organiser should see before saving, in plain English; empty if none."""
    return meeting_warnings_and_people(
        start=start, end=end, contributor_ids=contributor_ids, papers_sent_on=papers_sent_on, today=today,
        offered=offered,
    )[0]


def unmet_access_needs(*, contributor_ids, offered) -> list[tuple]:
    """(person, [labels of what they need and the meeting does not offer]), by name."""
    found = []
    profiles = ContributorProfile.objects.filter(user_id__in=list(contributor_ids)).select_related("user")
    for profile in sorted(profiles, key=lambda p: p.user.get_full_name()):
        missing = [code for code in profile.access_features_needed or () if code not in offered]
        if missing:
            found.append((profile.user, [AccessFeature(code).label for code in missing
                                         if code in AccessFeature.values]))
    return [(person, labels) for person, labels in found if labels]


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def meeting_warnings_and_people(
    *, start: datetime, end: datetime, contributor_ids, papers_sent_on: date | None,
    today: date | None = None, offered=None,
) -> tuple[list[str], list]:
    """The warnings, and the contributors they name (recorded with the decision to go ahead).
    `offered` is the access the meeting offers (None: not checked)."""
    conflicts = availability_conflicts(contributor_ids=list(contributor_ids), start=start, end=end)
    warnings = [c.reason + "." for c in conflicts]
    people = [c.contributor for c in conflicts]
    if offered is not None:
        for person, labels in unmet_access_needs(contributor_ids=contributor_ids, offered=offered):
            warnings.append(
                f"{person.get_full_name()} needs {_listed(labels).lower()}, "
                "which this meeting does not offer."
            )
            people.append(person)
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
    return warnings, people


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
    offered = set(meeting.access_features or ()) | set(meeting.place.access_features if meeting.place else ())
    if user.is_staff:
        invitations = list(
            meeting.invitations.select_related("contributor__profile", "reply_recorded_by")
            .order_by("contributor__name")
        )
        for invitation in invitations:
            # Their needs beside what the venue offers, for the organiser (not for other contributors).
            profile = getattr(invitation.contributor, "profile", None)
            needs = [c for c in (profile.access_features_needed if profile else ()) or ()
                     if c in AccessFeature.values]
            invitation.needs = [(AccessFeature(c).label, c in offered) for c in needs]
            invitation.needs_text = profile.access_needs if profile else ""
            invitation.unmet = [label for label, met in invitation.needs if not met]
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
        "offered": [label for code, label in AccessFeature.choices if code in offered],
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
            attending=Count("invitations", filter=Q(invitations__reply__in=MeetingInvitation.COMING),
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


# The feed keeps a season of past meetings, so last month's is still there to look back on.
FEED_PAST_DAYS = 183


def calendar_feed_owner(token: str):
    """The person whose secret calendar address this is, or None (revoked or never made)."""
    feed = CalendarFeed.objects.filter(token_hash=hash_token(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_feed_meetings(user) -> list[Meeting]:
    """A contributor's meetings (invited and not declined; cancelled ones stay, marked so);
    for staff, meetings they organise or whose project they lead or are on the team of."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    if user.is_staff:
        mine = Q(organiser=user) | Q(project__lead=user) | Q(project__team=user)
        meetings = Meeting.objects.filter(mine)
    else:
        meetings = Meeting.objects.filter(
            pk__in=MeetingInvitation.objects.filter(contributor=user)
            .exclude(reply=MeetingInvitation.Reply.NOT_ATTENDING)
            .values("meeting_id")
        )
    return list(
        meetings.filter(end__gte=since).select_related("project", "organiser").distinct().order_by("start")
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
