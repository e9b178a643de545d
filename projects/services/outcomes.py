"""Closing the loop after a meeting: what was said (outcomes), what will change (actions, each
with an owner and a due date) and, once an action is done, what changed. Contributors who
attended hear of each action done ("you said, we did": reminders/kinds/outcomes.py)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from projects.models import Action, Meeting, Outcome, ProjectEvent
from projects.selectors.access import can_manage_project


class OutcomeError(DomainError):
    """A rule stopped an outcome or an action being saved."""


def _meeting_to_manage(actor, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)
    if not can_manage_project(actor, meeting.project):
        raise OutcomeError("Only the project's lead and team can record what came of this meeting.")
    if meeting.cancelled_at is not None:
        raise OutcomeError("This meeting was cancelled, so nothing was said at it.")
    if meeting.start > timezone.now():
        raise OutcomeError("Outcomes can be recorded once the meeting has started.")
    return meeting


def _check_action(*, what: str, owner, due_on: date | None) -> str:
    what = (what or "").strip()
    if not what:
        raise OutcomeError("Say what will change.", field="what")
    if owner is None or not owner.is_active or not owner.is_staff:
        raise OutcomeError("Choose a member of staff to see to it.", field="owner")
    if due_on is None:
        raise OutcomeError("Give a date it is due by.", field="due_on")
    return what


@transaction.atomic
def outcome_record(
    *,
    actor,
    meeting_id: int,
    said: str,
    action_what: str = "",
    action_owner=None,
    action_due_on: date | None = None,
) -> Outcome:
    """What contributors said or what was decided at a meeting, with the first action that
    follows from it when one is given (an action needs all three: what, owner, due date)."""
    meeting = _meeting_to_manage(actor, meeting_id)
    said = (said or "").strip()
    if not said:
        raise OutcomeError("Say what contributors said or what was decided.", field="said")
    # Back and Save again (or a double click) would record it twice; the meeting's lock makes
    # two saves at once take turns, so the second finds the first.
    if meeting.outcomes.filter(said=said).exists():
        raise OutcomeError("This outcome is already recorded for this meeting.", field="said")
    wants_action = bool((action_what or "").strip() or action_owner or action_due_on)
    if wants_action:
        action_what = _check_action(what=action_what, owner=action_owner, due_on=action_due_on)
    outcome = Outcome.objects.create(meeting=meeting, said=said, recorded_by=actor)
    ProjectEvent.objects.create(
        project=meeting.project, actor=actor, action="outcome recorded", detail=f"{meeting.title}: {said}"
    )
    if wants_action:
        _action_create(
            actor=actor, outcome=outcome, what=action_what, owner=action_owner, due_on=action_due_on
        )
    return outcome


@transaction.atomic
def outcome_update(*, actor, outcome_id: int, said: str) -> Outcome:
    outcome = Outcome.objects.select_for_update().get(pk=outcome_id)
    meeting = _meeting_to_manage(actor, outcome.meeting_id)
    said = (said or "").strip()
    if not said:
        raise OutcomeError("Say what contributors said or what was decided.", field="said")
    if said != outcome.said:
        outcome.said = said
        outcome.save(update_fields=["said"])
        ProjectEvent.objects.create(
            project=meeting.project, actor=actor, action="outcome changed", detail=f"{meeting.title}: {said}"
        )
    return outcome


def _action_create(*, actor, outcome: Outcome, what: str, owner, due_on: date) -> Action:
    action = Action.objects.create(outcome=outcome, what=what, owner=owner, due_on=due_on)
    ProjectEvent.objects.create(
        project=outcome.meeting.project,
        actor=actor,
        action="action added",
        detail=f"{what} (owner {owner.get_full_name()}, due {due_on:%d %B %Y})",
    )
    return action


@transaction.atomic
def action_add(*, actor, outcome_id: int, what: str, owner, due_on: date | None) -> Action:
    outcome = Outcome.objects.select_related("meeting").get(pk=outcome_id)
    _meeting_to_manage(actor, outcome.meeting_id)
    what = _check_action(what=what, owner=owner, due_on=due_on)
    if outcome.actions.filter(what=what).exists():
        raise OutcomeError("This action is already recorded for this outcome.", field="what")
    return _action_create(actor=actor, outcome=outcome, what=what, owner=owner, due_on=due_on)


@transaction.atomic
def action_update(*, actor, action_id: int, what: str, owner, due_on: date | None) -> Action:
    action = Action.objects.select_for_update().select_related("outcome").get(pk=action_id)
    meeting = _meeting_to_manage(actor, action.outcome.meeting_id)
    if action.status == Action.Status.DONE:
        raise OutcomeError("This action is done, so it cannot be changed.")
    action.what = _check_action(what=what, owner=owner, due_on=due_on)
    action.owner, action.due_on = owner, due_on
    action.save(update_fields=["what", "owner", "due_on"])
    ProjectEvent.objects.create(
        project=meeting.project,
        actor=actor,
        action="action changed",
        detail=f"{action.what} (owner {owner.get_full_name()}, due {due_on:%d %B %Y})",
    )
    return action


@transaction.atomic
def action_mark_done(*, actor, action_id: int, what_changed: str, done_on: date | None = None) -> Action:
    """Done, with what changed: everyone who attended the meeting is told at the next scan
    (reminder kind you_said_we_did), once each."""
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("outcome", "done_by").get(pk=action_id)
    )
    meeting = _meeting_to_manage(actor, action.outcome.meeting_id)
    if action.status == Action.Status.DONE:
        # A double click, or a colleague got there first.
        who = action.done_by.get_full_name() if action.done_by else "someone"
        raise OutcomeError(f"This action was already marked done on {action.done_on:%d %B %Y} by {who}.")
    what_changed = (what_changed or "").strip()
    if not what_changed:
        raise OutcomeError(
            "Say what changed: contributors who were there will read it.", field="what_changed"
        )
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise OutcomeError("The date it was done cannot be in the future.", field="done_on")
    action.status = Action.Status.DONE
    action.what_changed, action.done_on, action.done_by = what_changed, done_on, actor
    action.save(update_fields=["status", "what_changed", "done_on", "done_by"])
    ProjectEvent.objects.create(
        project=meeting.project, actor=actor, action="action done", detail=f"{action.what}: {what_changed}"
    )
    return action
