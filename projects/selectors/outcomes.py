"""Reads about outcomes and actions: a meeting's, a project's (open, overdue, done), those a
contributor's involvement led to, and those of a period (for reports)."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from projects.models import Action, Meeting, MeetingInvitation, Outcome, Project

SHOW = {
    "open": "Open",
    "overdue": "Overdue",
    "done": "Done",
    "all": "All",
}


def _with_actions(outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
    return outcomes.select_related("meeting", "meeting__project", "recorded_by").prefetch_related(
        Prefetch(
            "actions", queryset=Action.objects.select_related("owner", "done_by").order_by("due_on", "id")
        )
    )


def meeting_outcomes(meeting: Meeting) -> list[Outcome]:
    return list(_with_actions(Outcome.objects.filter(meeting=meeting)).order_by("id"))


def _actions_shown(qs: QuerySet[Action], show: str) -> QuerySet[Action]:
    today = timezone.localdate()
    if show == "open":
        return qs.filter(status=Action.Status.OPEN)
    if show == "overdue":
        return qs.filter(status=Action.Status.OPEN, due_on__lt=today)
    if show == "done":
        return qs.filter(status=Action.Status.DONE)
    return qs


def project_actions(*, project: Project, show: str = "open") -> dict:
    """A project's actions, with how many are open, overdue and done. Two queries."""
    if show not in SHOW:
        show = "open"
    today = timezone.localdate()
    qs = Action.objects.filter(outcome__meeting__project=project)
    counts = qs.aggregate(
        open=Count("pk", filter=Q(status=Action.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Action.Status.OPEN, due_on__lt=today)),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        all=Count("pk"),
    )
    actions = list(
        _actions_shown(qs, show)
        .select_related("outcome", "outcome__meeting", "owner", "done_by")
        .order_by("status", "due_on", "id")
    )
    for action in actions:
        action.overdue = action.status == Action.Status.OPEN and action.due_on < today
    return {"actions": actions, "counts": counts, "show": show, "choices": SHOW}


def outcomes_for_contributor(*, user, project: Project | None = None) -> list[Outcome]:
    """Outcomes of the meetings this person attended (what their involvement led to), with
    their actions, newest meeting first."""
    attended = MeetingInvitation.objects.filter(contributor=user, attended=True).values("meeting_id")
    qs = Outcome.objects.filter(meeting_id__in=attended)
    if project is not None:
        qs = qs.filter(meeting__project=project)
    return list(_with_actions(qs).order_by("-meeting__start", "id"))


def outcomes_and_actions(
    *, project: Project | None = None, start: date | None = None, end: date | None = None
) -> list[Outcome]:
    """Outcomes of meetings held in a period (from `start` to `end`, both days included), each
    with its actions (owner, due, done and what changed); every project's when `project` is
    None. For reports: a fixed number of queries however many there are."""
    qs = Outcome.objects.all()
    if project is not None:
        qs = qs.filter(meeting__project=project)
    if start:
        qs = qs.filter(meeting__start__date__gte=start)
    if end:
        qs = qs.filter(meeting__start__date__lte=end)
    return list(_with_actions(qs).order_by("meeting__start", "id"))


def get_outcome_to_manage(user, pk) -> Outcome:
    """The outcome if this person may change its project: 404 if they cannot see it, 403 if
    read-only (as get_meeting_to_manage)."""
    from .access import get_meeting_to_manage

    outcome = get_object_or_404(Outcome.objects.select_related("meeting"), pk=pk)
    get_meeting_to_manage(user, outcome.meeting_id)
    return outcome


def get_action_to_manage(user, pk) -> Action:
    from .access import get_meeting_to_manage

    action = get_object_or_404(Action.objects.select_related("outcome__meeting", "owner"), pk=pk)
    get_meeting_to_manage(user, action.outcome.meeting_id)
    return action
