"""Outcomes, actions and feedback shown inside pages other areas own (the meeting page, the
contributor's project page), without those pages' views knowing about them."""

from django import template
from django.utils import timezone

from projects.selectors.access import can_manage_project
from projects.selectors.feedback import feedback_refusal
from projects.selectors.outcomes import meeting_outcomes, outcomes_for_contributor

register = template.Library()


@register.inclusion_tag("projects/_meeting_outcomes.html")
def meeting_outcomes_section(meeting, user):
    """Staff: the outcomes and actions, with buttons for the project's staff. Contributors:
    the outcomes if they attended, and the feedback link while it is open to them."""
    is_staff = user.is_staff
    manage = is_staff and can_manage_project(user, meeting.project)
    attended = not is_staff and meeting.invitations.filter(contributor=user, attended=True).exists()
    return {
        "meeting": meeting,
        "is_staff": is_staff,
        "can_manage": manage,
        "show_outcomes": is_staff or attended,
        "outcomes": meeting_outcomes(meeting) if is_staff or attended else [],
        "is_past": meeting.start <= timezone.now(),
        "can_give_feedback": not is_staff and not feedback_refusal(meeting=meeting, user=user),
    }


@register.inclusion_tag("projects/_your_outcomes.html")
def your_outcomes(user, project=None):
    """What came of the meetings this contributor attended: on their project page."""
    return {"outcomes": outcomes_for_contributor(user=user, project=project), "project": project}
