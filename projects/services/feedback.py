"""Feedback after a meeting: one response per person, optional, anonymous to staff (they see
only ranges of counts and unattributed comments: projects/selectors/feedback.py)."""

from django.db import transaction

from core.errors import DomainError
from projects.models import Meeting, MeetingFeedback
from projects.selectors.feedback import feedback_refusal


class FeedbackError(DomainError):
    """A rule stopped the feedback being saved."""


@transaction.atomic
def feedback_submit(
    *, actor, meeting_id: int, accessible: str = "", listened_to: str = "", to_change: str = ""
) -> MeetingFeedback:
    # The meeting's lock makes two submits at once take turns: the second finds the first.
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    refusal = feedback_refusal(meeting=meeting, user=actor)
    if refusal:
        raise FeedbackError(refusal)
    answers = {value for value, _label in MeetingFeedback.Answer.choices}
    if accessible and accessible not in answers or listened_to and listened_to not in answers:
        raise FeedbackError("Choose one of the answers given, or leave the question blank.")
    to_change = (to_change or "").strip()
    if not (accessible or listened_to or to_change):
        raise FeedbackError("Answer at least one question, or leave the form: it is optional.")
    return MeetingFeedback.objects.create(
        meeting=meeting,
        contributor=actor,
        accessible=accessible,
        listened_to=listened_to,
        to_change=to_change,
    )
