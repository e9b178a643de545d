"""Meetings that repeat. The rule (python-dateutil's rrule) lives on MeetingSeries; every
occurrence is an ordinary Meeting made through meeting_save, so invitations, replies,
attendance, claims, reminders and the per-meeting .ics all work as for a one-off meeting.
An occurrence moved or cancelled on its own goes through the usual meeting paths (people hear
once, the calendar updates); a change to the rule moves only future occurrences nobody touched."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import transaction
from django.utils import timezone

from core.schedule import ensure_crontab_task
from projects.models import MEETING_LONGEST, MEETING_TOO_LONG, Meeting, MeetingSeries, Project, ProjectEvent
from projects.selectors.meetings import meeting_warnings
from projects.services.meetings import (
    MeetingError,
    MeetingWarnings,
    meeting_cancel,
    meeting_save,
    offered_access,
)

LONDON = ZoneInfo("Europe/London")
# Occurrences are made this far ahead; "Make the next meetings" (series_extend) goes further
# as time passes. A year: far enough for people to plan, short enough to change the rule.
SERIES_HORIZON = timedelta(days=366)
EXTEND_TASK = "projects.extend_meeting_series"
EXTEND_TASK_NAME = "Make the next meetings of each series"
MOST_MEETINGS = 100
SERIES_FIELDS = ("venue", "access_information", "online_link", "place", "access_features")
_FREQ = {
    MeetingSeries.Frequency.WEEKLY: (rrule.WEEKLY, 1),
    MeetingSeries.Frequency.FORTNIGHTLY: (rrule.WEEKLY, 2),
    MeetingSeries.Frequency.MONTHLY_WEEKDAY: (rrule.MONTHLY, 1),
    MeetingSeries.Frequency.MONTHLY_DATE: (rrule.MONTHLY, 1),
}


def nth_weekday(day: date) -> tuple[int, str]:
    """(n, weekday name) for "the 2nd Tuesday"; a day in the last 7 of its month with no 5th
    in every month is "the last" (-1), so it does not skip months."""
    n = (day.day - 1) // 7 + 1
    return (-1 if n == 5 else n), f"{day:%A}"


def occurrence_starts(
    *,
    frequency: str,
    first_start: datetime,
    until: date | None = None,
    count: int | None = None,
    before: datetime | None = None,
) -> list[datetime]:
    """Each start the rule gives, at the same UK wall-clock time across the clocks changing."""
    local = first_start.astimezone(LONDON).replace(tzinfo=None)
    freq, interval = _FREQ[frequency]
    rule = dict(dtstart=local, interval=interval, count=count)
    if until is not None:
        rule["until"] = datetime.combine(until, time.max)
    if frequency == MeetingSeries.Frequency.MONTHLY_WEEKDAY:
        n, _ = nth_weekday(local.date())
        rule["byweekday"] = rrule.weekday(local.weekday(), n)
    elif frequency == MeetingSeries.Frequency.MONTHLY_DATE:
        # rrule skips months without that date (the 31st); say so in the form's help.
        rule["bymonthday"] = local.day
    limit = before.astimezone(LONDON).replace(tzinfo=None) if before else None
    starts = []
    for moment in rrule.rrule(freq, **rule):
        if (limit and moment > limit) or len(starts) >= MOST_MEETINGS:
            break
        starts.append(moment.replace(tzinfo=LONDON))
    return starts


def describe_rule(series: MeetingSeries) -> str:
    local = timezone.localtime(series.first_start, LONDON)
    at = f"{local:%H:%M}"
    if series.frequency == MeetingSeries.Frequency.WEEKLY:
        text = f"Every {local:%A} at {at}"
    elif series.frequency == MeetingSeries.Frequency.FORTNIGHTLY:
        text = f"Every other {local:%A} at {at}"
    elif series.frequency == MeetingSeries.Frequency.MONTHLY_WEEKDAY:
        n, weekday = nth_weekday(local.date())
        nth = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}[n]
        text = f"The {nth} {weekday} of each month at {at}"
    else:
        text = f"On day {local.day} of each month at {at}"
    if series.until:
        return f"{text}, until {series.until.day} {series.until:%B %Y}"
    return f"{text}, {series.count} meetings"


def _check_rule(*, title, frequency, first_start, end, until, count):
    if not (title or "").strip():
        raise MeetingError("Give the meetings a title.", field="title")
    if frequency not in _FREQ:
        raise MeetingError("Choose how often the meeting repeats.", field="frequency")
    if end <= first_start:
        raise MeetingError("The meeting must end after it starts.", field="end")
    if end - first_start > MEETING_LONGEST:
        raise MeetingError(MEETING_TOO_LONG, field="end")
    if first_start < timezone.now():
        raise MeetingError("The first meeting cannot be in the past. Choose a later date.", field="start")
    if not until and not count:
        raise MeetingError("Say when the series ends: a last date or a number of meetings.", field="until")
    if until and until < timezone.localtime(first_start, LONDON).date():
        raise MeetingError("The last date is before the first meeting.", field="until")
    if count is not None and not 1 <= count <= MOST_MEETINGS:
        raise MeetingError(f"A series can have 1 to {MOST_MEETINGS} meetings.", field="count")


def _warnings_for(plans, *, reason: str) -> None:
    """One check before anything is saved: `plans` is (meeting or None, start, end, invitees,
    offered) for each occurrence to make or move. Each warning is named by its date."""
    unanswered = []
    for meeting, start, end, invitee_ids, offered in plans:
        answered = set(meeting.warnings_overridden.splitlines()) if meeting is not None else set()
        day = timezone.localtime(start, LONDON)
        for warning in meeting_warnings(
            start=start,
            end=end,
            contributor_ids=invitee_ids,
            offered=offered,
            papers_sent_on=meeting.papers_sent_on if meeting is not None else None,
        ):
            if warning not in answered:
                unanswered.append(f"{day:%a} {day.day} {day:%b %Y}: {warning}")
    if unanswered and not (reason or "").strip():
        raise MeetingWarnings(unanswered)


def _fields_of(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "start": meeting.start,
        "end": meeting.end,
        "venue": meeting.venue,
        "access_information": meeting.access_information,
        "online_link": meeting.online_link,
        "papers_link": meeting.papers_link,
        "papers_sent_on": meeting.papers_sent_on,
        "place": meeting.place,
        "access_features": meeting.access_features,
    }


def _new_starts(series: MeetingSeries, *, taken) -> list[datetime]:
    """Starts the rule gives from now to the horizon on days with no occurrence yet (`taken`
    are the rule starts of occurrences already made, moved or cancelled: a day, not a time, so
    a new time of day does not put a second meeting beside one moved or cancelled alone)."""
    now = timezone.now()
    days = {timezone.localtime(start, LONDON).date() for start in taken if start is not None}
    return [
        start
        for start in occurrence_starts(
            frequency=series.frequency,
            first_start=series.first_start,
            until=series.until,
            count=series.count,
            before=now + SERIES_HORIZON,
        )
        if start > now and start.date() not in days
    ]


def _make(*, actor, series: MeetingSeries, starts, invitee_ids, reason: str, details: dict) -> list[Meeting]:
    return [
        meeting_save(
            actor=actor,
            project=series.project,
            series=series,
            series_start=start,
            invitee_ids=invitee_ids,
            override_reason=reason,
            title=series.title,
            start=start,
            end=start + series.duration,
            **details,
        )
        for start in starts
    ]


@transaction.atomic
def series_create(
    *,
    actor,
    project: Project,
    title: str,
    frequency: str,
    start: datetime,
    end: datetime,
    until: date | None = None,
    count: int | None = None,
    invitee_ids=(),
    override_reason: str = "",
    **details,
) -> MeetingSeries:
    """A repeating meeting and its occurrences up to SERIES_HORIZON. `details` are the venue,
    place, access and online link every occurrence shares."""
    _check_rule(title=title, frequency=frequency, first_start=start, end=end, until=until, count=count)
    details = {name: details.get(name) for name in SERIES_FIELDS if name in details}
    if (
        not (details.get("venue") or "").strip()
        and not details.get("online_link")
        and not details.get("place")
    ):
        raise MeetingError("Give a venue, an online link, or both.", field="venue")
    invitee_ids = list(invitee_ids)
    series = MeetingSeries(
        project=project,
        title=title.strip(),
        organiser=actor,
        frequency=frequency,
        first_start=start,
        duration=end - start,
        until=until,
        count=count,
    )
    starts = _new_starts(series, taken=set())
    if not starts:
        raise MeetingError("This rule gives no meetings. Check the first date and the end.", field="until")
    offered = offered_access(place=details.get("place"), access_features=details.get("access_features"))
    _warnings_for(
        [(None, s, s + series.duration, invitee_ids, offered) for s in starts], reason=override_reason
    )
    series.save()
    series.invitees.set(invitee_ids)
    _make(
        actor=actor,
        series=series,
        starts=starts,
        invitee_ids=invitee_ids,
        reason=override_reason,
        details=details,
    )
    ProjectEvent.objects.create(
        project=project,
        actor=actor,
        action="meeting series scheduled",
        detail=f"{series.title}: {describe_rule(series)} ({len(starts)} meetings made)",
    )
    return series


def _future(series: MeetingSeries):
    return series.meetings.filter(start__gt=timezone.now(), cancelled_at__isnull=True)


@transaction.atomic
def series_extend(*, actor, series_id: int, override_reason: str = "") -> list[Meeting]:
    """Make the occurrences the rule gives up to the horizon from today; none twice (a moved
    or cancelled occurrence still holds its date)."""
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series_id)
    if series.ended_at is not None:
        raise MeetingError("This series has ended.")
    taken = set(series.meetings.values_list("series_start", flat=True))
    starts = _new_starts(series, taken=taken)
    if not starts:
        return []
    template = series.meetings.order_by("-series_start").first()
    details = {name: getattr(template, name) for name in SERIES_FIELDS} if template else {}
    invitee_ids = list(series.invitees.values_list("pk", flat=True))
    offered = offered_access(place=details.get("place"), access_features=details.get("access_features"))
    _warnings_for(
        [(None, s, s + series.duration, invitee_ids, offered) for s in starts], reason=override_reason
    )
    made = _make(
        actor=actor,
        series=series,
        starts=starts,
        invitee_ids=invitee_ids,
        reason=override_reason,
        details=details,
    )
    ProjectEvent.objects.create(
        project=series.project,
        actor=actor,
        action="meeting series extended",
        detail=f"{series.title}: {len(made)} more meetings",
    )
    return made


def series_extend_all() -> tuple[int, list[str]]:
    """Every series not ended, extended in its organiser's name (Celery beat, weekly, and
    `manage.py extend_meeting_series`). A series whose new dates bring a warning is left for
    its organiser to extend with a reason. Returns (meetings made, why each skipped one was)."""
    made, skipped = 0, []
    for series in MeetingSeries.objects.filter(ended_at__isnull=True).select_related("organiser"):
        try:
            made += len(series_extend(actor=series.organiser, series_id=series.pk))
        except (MeetingWarnings, MeetingError) as problem:
            why = " ".join(problem.warnings) if isinstance(problem, MeetingWarnings) else problem.message
            skipped.append(f"“{series.title}” (series {series.pk}) not extended: {why}")
    return made, skipped


def ensure_extend_schedule(PeriodicTask=None, CrontabSchedule=None):
    """The weekly job, created by a migration; admins can change its time in the admin."""
    return ensure_crontab_task(
        name=EXTEND_TASK_NAME, task=EXTEND_TASK, minute="15", hour="4", day_of_week="1",
        description="Makes the next meetings of every meeting series, up to a year ahead.",
        PeriodicTask=PeriodicTask, CrontabSchedule=CrontabSchedule,
    )


@transaction.atomic
def series_change(
    *,
    actor,
    series_id: int,
    frequency: str,
    start: datetime,
    end: datetime,
    until: date | None = None,
    count: int | None = None,
    override_reason: str = "",
    title: str | None = None,
    **details,
) -> MeetingSeries:
    """A new rule from `start` on. Future occurrences nobody moved or cancelled on their own
    take the new dates (each a move: everyone invited hears once, calendars update); ones the
    new rule no longer needs are cancelled; occurrences it adds are made. Past meetings and
    occurrences moved or cancelled on their own stay as they are."""
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series_id)
    if series.ended_at is not None:
        raise MeetingError("This series has ended.")
    title = (title or series.title).strip()
    _check_rule(title=title, frequency=frequency, first_start=start, end=end, until=until, count=count)
    series.title, series.frequency, series.first_start = title, frequency, start
    series.duration, series.until, series.count = end - start, until, count
    now = timezone.now()
    touched = series.meetings.filter(series_start__gt=now).filter(moved_alone=True) | series.meetings.filter(
        series_start__gt=now, cancelled_at__isnull=False
    )
    untouched = list(_future(series).filter(moved_alone=False).order_by("start"))
    starts = _new_starts(series, taken=set(touched.values_list("series_start", flat=True)))
    invitee_ids = list(series.invitees.values_list("pk", flat=True))
    if untouched:
        details = {**{name: getattr(untouched[0], name) for name in SERIES_FIELDS}, **details}
    offered = offered_access(place=details.get("place"), access_features=details.get("access_features"))
    moves = list(zip(untouched, starts, strict=False))
    plans = [
        (m, s, s + series.duration, list(m.invitations.values_list("contributor_id", flat=True)), offered)
        for m, s in moves
    ] + [(None, s, s + series.duration, invitee_ids, offered) for s in starts[len(moves) :]]
    _warnings_for(plans, reason=override_reason)
    series.save()
    for meeting, new_start, _end, people, _offered in plans[: len(moves)]:
        fields = {
            **_fields_of(meeting),
            **details,
            "title": title,
            "start": new_start,
            "end": new_start + series.duration,
        }
        meeting_save(
            actor=actor,
            project=series.project,
            meeting=meeting,
            series_start=new_start,
            invitee_ids=people,
            override_reason=override_reason,
            **fields,
        )
    for meeting in untouched[len(moves) :]:
        meeting_cancel(
            actor=actor,
            meeting_id=meeting.pk,
            reason="The series has changed: this date is no longer needed.",
        )
    _make(
        actor=actor,
        series=series,
        starts=starts[len(moves) :],
        invitee_ids=invitee_ids,
        reason=override_reason,
        details=details,
    )
    ProjectEvent.objects.create(
        project=series.project,
        actor=actor,
        action="meeting series changed",
        detail=f"{series.title}: now {describe_rule(series)}",
    )
    return series


@transaction.atomic
def series_end(*, actor, series_id: int, last_day: date, reason: str = "") -> list[Meeting]:
    """No meetings after `last_day`: later occurrences are cancelled (people hear, calendars
    remove them) and the series makes no more."""
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series_id)
    if series.ended_at is not None:
        raise MeetingError("This series has already ended.")
    after = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=LONDON)
    later = list(_future(series).filter(start__gte=after))
    for meeting in later:
        meeting_cancel(actor=actor, meeting_id=meeting.pk, reason=reason or "The series has ended.")
    series.until, series.count, series.ended_at = last_day, None, timezone.now()
    series.save(update_fields=["until", "count", "ended_at"])
    ProjectEvent.objects.create(
        project=series.project,
        actor=actor,
        action="meeting series ended",
        detail=f"{series.title}: last meeting on or before {last_day.day} {last_day:%B %Y}; "
        f"{len(later)} cancelled",
    )
    return later


@transaction.atomic
def series_invite(*, actor, series_id: int, contributor_ids, override_reason: str = "") -> int:
    """Invite people to every future occurrence (and those made later). Their availability and
    access needs are checked against each date first. Returns how many meetings changed."""
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series_id)
    if series.ended_at is not None:
        raise MeetingError("This series has ended.")
    new = [int(pk) for pk in contributor_ids]
    if not new:
        raise MeetingError("Choose who to invite.", field="invitees")
    plans = []
    for meeting in _future(series).select_related("place").order_by("start"):
        already = list(meeting.invitations.values_list("contributor_id", flat=True))
        people = already + [pk for pk in new if pk not in already]
        if people != already:
            offered = offered_access(place=meeting.place, access_features=meeting.access_features)
            plans.append((meeting, meeting.start, meeting.end, people, offered))
    _warnings_for(plans, reason=override_reason)
    series.invitees.add(*new)
    for meeting, _start, _end, people, _offered in plans:
        meeting_save(
            actor=actor,
            project=series.project,
            meeting=meeting,
            invitee_ids=people,
            override_reason=override_reason,
            **_fields_of(meeting),
        )
    return len(plans)
