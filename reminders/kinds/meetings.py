"""Reminders about meetings: coming up, invited, papers not sent, and claiming afterwards."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from contributors.models import ContributorProfile
from expenses.selectors import without_claimed_meetings
from projects.calendar import meeting_ics
from projects.models import Meeting, MeetingChange, MeetingInvitation
from projects.services.series import describe_rule

from ..channels import link
from ..dates import start_of_day_after
from ..registry import ReminderKind, register
from ..selectors import LOOK_BACK_DAYS

MEETING_RELATED = ("project", "organiser")
INVITATION_RELATED = (
    "meeting", "meeting__project", "meeting__organiser", "contributor", "contributor__profile"
)


def meeting_context(meeting) -> dict:
    return {
        "meeting": meeting,
        "project": meeting.project,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "url": link(("projects:meeting_detail", [meeting.pk])),
        "series_rule": describe_rule(meeting.series) if meeting.series_id else "",
    }


def calendar_file(meeting) -> list[tuple]:
    # The same .ics as the meeting page's; it carries the online link, so only for people invited.
    return [("meeting.ics", meeting_ics(meeting), "text/calendar")]


def _when(moment, now) -> str:
    """'Thursday's meeting' within the coming week, else 'the meeting on 3 December'. Never
    'tomorrow': the task text stays on the dashboard and must still be true the next day."""
    local = timezone.localtime(moment)
    days = (local.date() - timezone.localdate(now)).days
    if 0 <= days < 7:
        return f"{local:%A}'s meeting"
    return f"the meeting on {local.day} {local:%B}"


def _coming_up_task(meeting, reach, now) -> tuple:
    start = timezone.localtime(meeting.start)
    text = f"{reach} about {_when(meeting.start, now)}, '{meeting.title}', {start:%H:%M}"
    if meeting.venue:
        text += f", at {' '.join(meeting.venue.split())}"
    return meeting.organiser, text + "."


def _coming_up(now, *, before: int, not_within: int | None = None):
    """Invitations to meetings starting within `before` calendar days, from people who have
    not said they cannot come."""
    qs = (
        MeetingInvitation.objects.filter(
            meeting__start__gt=now,
            meeting__start__lt=start_of_day_after(now, before),
            meeting__cancelled_at__isnull=True,
            contributor__is_active=True,
        )
        .exclude(reply=MeetingInvitation.Reply.NOT_ATTENDING)
        .select_related(*INVITATION_RELATED)
    )
    if not_within is not None:
        qs = qs.filter(meeting__start__gte=start_of_day_after(now, not_within))
    return qs


# --- is a call about it still worth making? (phone and post only) -------------------------
def _invitation(meeting, person):
    # From the invitations loaded with the meeting (the staff tasks list prefetches them).
    return next((i for i in meeting.invitations.all() if i.contributor_id == person.pk), None)


def _meeting_gone(meeting, now) -> str:
    if meeting.cancelled_at:
        return "The meeting was cancelled."
    if meeting.start <= now:
        return "The meeting has already happened."
    return ""


def _coming_up_out_of_date(meeting, person, now, invitation=None) -> str:
    invitation = invitation or _invitation(meeting, person)
    if invitation is None:
        return "They are no longer invited."
    if invitation.reply == MeetingInvitation.Reply.NOT_ATTENDING:
        return "They have said they are not coming."
    return _meeting_gone(meeting, now)


def _invited_out_of_date(meeting, person, now) -> str:
    invitation = _invitation(meeting, person)
    if invitation is not None and invitation.reply != MeetingInvitation.Reply.NO_REPLY:
        return f"They have already answered ({invitation.get_reply_display().lower()})."
    return _coming_up_out_of_date(meeting, person, now, invitation)


def _claim_prompt_out_of_date(meeting, person, now) -> str:
    if not without_claimed_meetings(
        MeetingInvitation.objects.filter(meeting=meeting, contributor=person)
    ).exists():
        return "They have already claimed for this meeting."
    return ""


def _change_out_of_date(change, person, now) -> str:
    meeting = change.meeting
    if change.kind == MeetingChange.Kind.MOVED and change.sequence != meeting.sequence:
        return "The meeting has changed again since: a newer task says where it is now."
    if change.kind == MeetingChange.Kind.MOVED and meeting.cancelled_at:
        return "The meeting was cancelled since."
    if meeting.end <= now:
        return "The meeting's time has passed."
    return ""


MEETING_DAY_BEFORE = register(ReminderKind(
    key="meeting_day_before",
    label="Meeting coming up: the day before",
    lead_days=1,
    lead_means="days before the meeting",
    subject="Tomorrow: {{ meeting.title }} at {{ start|time:'H:i' }}",
    intro="This is a reminder that you are invited to a meeting tomorrow.",
    about=Meeting,
    load_related=MEETING_RELATED,
    candidates=lambda scan, lead_days: _coming_up(scan.now, before=lead_days),
    subject_of=lambda invitation: invitation.meeting,
    recipients=lambda invitation, scan: [invitation.contributor],
    occasion=lambda invitation: invitation.meeting.start.isoformat(),
    context=meeting_context,
    attachments=calendar_file,
    staff_task=_coming_up_task,
    out_of_date=_coming_up_out_of_date,
))

MEETING_WEEK_BEFORE = register(ReminderKind(
    key="meeting_week_before",
    label="Meeting coming up: a week before",
    lead_days=7,
    lead_means="days before the meeting",
    subject="Reminder: {{ meeting.title }} on {{ start|date:'l j F' }}",
    intro="This is a reminder that you are invited to a meeting next week.",
    about=Meeting,
    load_related=MEETING_RELATED,
    # Not in the day-before window: that reminder covers it.
    candidates=lambda scan, lead_days: _coming_up(
        scan.now, before=lead_days, not_within=scan.lead_days(MEETING_DAY_BEFORE)
    ),
    subject_of=lambda invitation: invitation.meeting,
    recipients=lambda invitation, scan: [invitation.contributor],
    occasion=lambda invitation: invitation.meeting.start.isoformat(),
    context=meeting_context,
    attachments=calendar_file,
    staff_task=_coming_up_task,
    out_of_date=_coming_up_out_of_date,
))


def _invited(scan, lead_days):
    """Every invitation to a meeting still to come, however it was made. For a series, only
    the person's first meeting in it: one message says they are invited to the series (the
    week-before and day-before reminders still come for each meeting)."""
    earlier_in_series = MeetingInvitation.objects.filter(
        contributor=OuterRef("contributor"),
        meeting__series=OuterRef("meeting__series"),
        meeting__start__lt=OuterRef("meeting__start"),
    )
    return (
        MeetingInvitation.objects.filter(
            meeting__start__gt=scan.now,
            meeting__cancelled_at__isnull=True,
            invited_at__lte=scan.now - timedelta(days=lead_days),
            invited_at__gte=scan.now - timedelta(days=LOOK_BACK_DAYS),
            contributor__is_active=True,
        )
        .exclude(reply=MeetingInvitation.Reply.NOT_ATTENDING)
        .exclude(Q(meeting__series__isnull=False) & Exists(earlier_in_series))
        .select_related(*INVITATION_RELATED, "meeting__series")
    )


def _invited_task(meeting, reach, now) -> tuple:
    start = timezone.localtime(meeting.start)
    return meeting.organiser, (
        f"{reach} to tell them they are invited to '{meeting.title}' on {start.day} {start:%B} at "
        f"{start:%H:%M}, and ask whether they can come."
    )


MEETING_INVITED = register(ReminderKind(
    key="meeting_invited",
    label="Invited to a meeting (confirmation to the contributor)",
    lead_days=0,
    lead_means="days after the invitation (0: at the next scan)",
    subject="You are invited: {{ meeting.title }} on {{ start|date:'l j F' }}",
    intro="You have been invited to a meeting. The details are below, with a calendar file to add "
    "it to your calendar. Please tell us whether you can come.",
    about=Meeting,
    load_related=MEETING_RELATED,
    candidates=_invited,
    subject_of=lambda invitation: invitation.meeting,
    recipients=lambda invitation, scan: [invitation.contributor],
    occasion="invited",
    context=meeting_context,
    attachments=calendar_file,
    staff_task=_invited_task,
    out_of_date=_invited_out_of_date,
))


def _papers_not_sent(scan, lead_days):
    return Meeting.objects.filter(
        papers_sent_on__isnull=True,
        cancelled_at__isnull=True,
        start__gt=scan.now,
        start__lt=start_of_day_after(scan.now, lead_days),
    ).select_related(*MEETING_RELATED)


PAPERS_NOT_SENT = register(ReminderKind(
    key="papers_not_sent",
    label="Papers not yet sent (to the organiser)",
    lead_days=7,
    lead_means="days before the meeting",
    subject="Papers not sent yet for {{ meeting.title }} on {{ start|date:'j F' }}",
    intro="The papers for your meeting have not been sent to contributors yet. Sending them a week "
    "ahead gives everyone time to read them and take part.",
    about=Meeting,
    load_related=MEETING_RELATED,
    candidates=_papers_not_sent,
    recipients=lambda meeting, scan: [meeting.organiser] if meeting.organiser.is_active else [],
    occasion=lambda meeting: meeting.start.isoformat(),
    context=meeting_context,
    to_staff=True,
))


def _attended_not_claimed(scan, lead_days):
    ended_before = start_of_day_after(scan.now, -lead_days)  # ended `lead_days` or more calendar days ago
    ended_after = ended_before - timedelta(days=LOOK_BACK_DAYS)
    expenses_only = ContributorProfile.PaymentPreference.EXPENSES_ONLY
    # Claimed already (linked, or a line on the day): the same rule as the dashboard's prompt.
    return (
        without_claimed_meetings(
            MeetingInvitation.objects.filter(
                attended=True,
                meeting__end__lt=ended_before,
                meeting__end__gte=ended_after,
                contributor__is_active=True,
            )
        )
        # Declined payment and nothing to claim (an online meeting, or they walk): no prompt.
        .exclude(
            Q(contributor__profile__payment_preference=expenses_only)
            & (
                Q(meeting__venue="")
                | Q(contributor__profile__usual_travel_mode=ContributorProfile.TravelMode.WALK)
            )
        )
        .select_related(*INVITATION_RELATED)
    )


def _claim_prompt_context(meeting) -> dict:
    # The claim form fills itself in for this meeting.
    claim_url = link(("expenses:claim_create", [])) + f"?meeting={meeting.pk}"
    feedback_url = link(("projects:feedback_give", [meeting.pk]))
    return {**meeting_context(meeting), "claim_url": claim_url, "feedback_url": feedback_url}


def _claim_prompt_task(meeting, reach, now) -> tuple:
    start = timezone.localtime(meeting.start)
    return meeting.organiser, (
        f"{reach} to help them claim for the meeting '{meeting.title}' on {start.day} {start:%B}."
    )


CLAIM_PROMPT = register(ReminderKind(
    key="claim_prompt",
    label="Attended a meeting but no claim yet",
    lead_days=3,
    lead_means="days after the meeting",
    subject="You can claim for {{ meeting.title }}",
    intro="Thank you for coming to the meeting. You have not made a claim for it yet. You can "
    "claim your expenses and, if you are paid for your time, payment for it.",
    about=Meeting,
    load_related=MEETING_RELATED,
    candidates=_attended_not_claimed,
    subject_of=lambda invitation: invitation.meeting,
    recipients=lambda invitation, scan: [invitation.contributor],
    occasion="attended",
    context=_claim_prompt_context,
    staff_task=_claim_prompt_task,
    out_of_date=_claim_prompt_out_of_date,
))


# --- a meeting moved or cancelled ----------------------------------------------------------
CHANGE_RELATED = ("meeting", "meeting__project", "meeting__organiser")


def _changes(scan, kind: str):
    """Recent changes, each with everyone invited (one query per batch for all of them)."""
    return (
        MeetingChange.objects.filter(kind=kind, at__gte=scan.now - timedelta(days=LOOK_BACK_DAYS))
        .select_related(*CHANGE_RELATED)
        .prefetch_related(
            Prefetch(
                "meeting__invitations",
                queryset=MeetingInvitation.objects.filter(contributor__is_active=True).select_related(
                    "contributor", "contributor__profile"
                ),
            )
        )
    )


def _moved(scan, lead_days):
    # Only the latest change of a meeting still to come, and not one cancelled since: two
    # moves before the scan are one message, with where it is now.
    return _changes(scan, MeetingChange.Kind.MOVED).filter(
        sequence=F("meeting__sequence"), meeting__cancelled_at__isnull=True, meeting__end__gt=scan.now
    )


def _cancelled(scan, lead_days):
    return _changes(scan, MeetingChange.Kind.CANCELLED).filter(meeting__start__gt=scan.now)


def _everyone_invited(change, scan) -> list:
    return [invitation.contributor for invitation in change.meeting.invitations.all()]


def change_context(change) -> dict:
    return {**meeting_context(change.meeting), "change": change}


def change_calendar_file(change) -> list[tuple]:
    # The meeting as it is now: same UID, higher SEQUENCE (METHOD:CANCEL once cancelled), so
    # the calendar updates or removes the event it already has.
    return calendar_file(change.meeting)


def _moved_task(change, reach, now) -> tuple:
    meeting = change.meeting
    return meeting.organiser, f"{reach} to tell them '{meeting.title}' has changed. {change.what}"


def _cancelled_task(change, reach, now) -> tuple:
    meeting = change.meeting
    start = timezone.localtime(meeting.start)
    return meeting.organiser, (
        f"{reach} to tell them '{meeting.title}' on {start.day} {start:%B} at {start:%H:%M} is cancelled."
    )


MEETING_MOVED = register(ReminderKind(
    key="meeting_moved",
    label="A meeting moved (to everyone invited)",
    lead_days=0,
    lead_means="days after the change (0: at once)",
    subject="Changed: {{ meeting.title }} is now on {{ start|date:'l j F' }} at {{ start|time:'H:i' }}",
    intro="A meeting you are invited to has changed. The new details are below, with a calendar "
    "file that updates the event in your calendar.",
    about=MeetingChange,
    load_related=CHANGE_RELATED,
    candidates=_moved,
    recipients=_everyone_invited,
    occasion="change",
    context=change_context,
    attachments=change_calendar_file,
    staff_task=_moved_task,
    out_of_date=_change_out_of_date,
))

MEETING_CANCELLED = register(ReminderKind(
    key="meeting_cancelled",
    label="A meeting cancelled (to everyone invited)",
    lead_days=0,
    lead_means="days after the cancellation (0: at once)",
    subject="Cancelled: {{ meeting.title }} on {{ start|date:'l j F' }}",
    intro="A meeting you are invited to has been cancelled. The calendar file attached removes it "
    "from your calendar.",
    about=MeetingChange,
    load_related=CHANGE_RELATED,
    candidates=_cancelled,
    recipients=_everyone_invited,
    occasion="cancelled",
    context=change_context,
    attachments=change_calendar_file,
    staff_task=_cancelled_task,
    out_of_date=_change_out_of_date,
))
