""" "You said, we did": when an action from a meeting is done, everyone who attended that
meeting hears what changed, once per action and person."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from projects.models import Action, MeetingInvitation

from ..channels import link
from ..registry import ReminderKind, register
from ..selectors import LOOK_BACK_DAYS

ACTION_RELATED = (
    "outcome",
    "outcome__meeting",
    "outcome__meeting__project",
    "outcome__meeting__organiser",
    "done_by",
)


def _actions_done(scan, lead_days):
    """Actions done lately (older ones are history, not news), each with everyone who attended
    its meeting (one query per batch for all of them)."""
    today = timezone.localdate(scan.now)
    return (
        Action.objects.filter(
            status=Action.Status.DONE,
            done_on__lte=today - timedelta(days=lead_days),
            done_on__gte=today - timedelta(days=LOOK_BACK_DAYS),
        )
        .select_related(*ACTION_RELATED)
        .prefetch_related(
            Prefetch(
                "outcome__meeting__invitations",
                queryset=MeetingInvitation.objects.filter(
                    attended=True, contributor__is_active=True
                ).select_related("contributor", "contributor__profile"),
                to_attr="attended_invitations",
            )
        )
    )


def _who_attended(action, scan) -> list:
    meeting = action.outcome.meeting
    invitations = getattr(meeting, "attended_invitations", None)
    if invitations is None:  # a single action loaded outside the scan (a sample, a resend)
        invitations = meeting.invitations.filter(attended=True, contributor__is_active=True).select_related(
            "contributor"
        )
    return [invitation.contributor for invitation in invitations]


def action_context(action) -> dict:
    meeting = action.outcome.meeting
    return {
        "action": action,
        "outcome": action.outcome,
        "meeting": meeting,
        "project": meeting.project,
        "start": timezone.localtime(meeting.start),
        # The meeting page, which everyone invited can open (the project page needs a role they
        # may have stepped down from since); it shows all that came of the meeting.
        "url": link(("projects:meeting_detail", [meeting.pk])),
    }


def _action_done_task(action, reach, now) -> tuple:
    meeting = action.outcome.meeting
    start = timezone.localtime(meeting.start)
    return action.done_by or meeting.organiser, (
        f"{reach} to tell them what came of '{meeting.title}' on {start.day} {start:%B}: "
        f'they said "{action.outcome.said}"; we {action.what.rstrip(".")}: {action.what_changed}'
    )


YOU_SAID_WE_DID = register(
    ReminderKind(
        key="you_said_we_did",
        label="You said, we did: an action from a meeting is done (to those who attended)",
        lead_days=0,
        lead_means="days after the action is marked done (0: at the next scan)",
        subject="You said, we did: {{ meeting.title }}",
        intro="Thank you for coming to {{ meeting.title }} on {{ start|date:'j F Y' }}. Here is something "
        "that has changed because of what was said.",
        about=Action,
        load_related=ACTION_RELATED,
        candidates=_actions_done,
        recipients=_who_attended,
        occasion="done",
        context=action_context,
        staff_task=_action_done_task,
    )
)
