"""Feedback after a meeting: who may give it and when, and what staff see of it.

Who: people invited who were not recorded as absent (attended, or attendance not recorded yet),
from the meeting's start until FEEDBACK_DAYS after it ends; not for a cancelled meeting.
What staff see: per meeting or per month, each question's answers as ranges from
core/suppression.py (the one rule the reach report uses too), every answer listed, "Not
answered" last, the number of responses exactly; comments only where at least SMALL people
responded, in alphabetical order, never with a name or a date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.suppression import SMALL, suppress
from projects.models import Meeting, MeetingFeedback, MeetingInvitation, Project

FEEDBACK_DAYS = 28
QUESTIONS = ("accessible", "listened_to")


def feedback_closes(meeting: Meeting):
    try:
        return meeting.end + timedelta(days=FEEDBACK_DAYS)
    except OverflowError:  # a date typed wrong before the rules (year 9999): it never closes
        return meeting.end


def feedback_refusal(*, meeting: Meeting, user) -> str:
    """Why this person cannot give feedback on this meeting now, or "" when they can."""
    if not user.is_authenticated or user.is_staff:
        return "Feedback is for the contributors who were at the meeting."
    invitation = MeetingInvitation.objects.filter(meeting=meeting, contributor=user).first()
    if invitation is None or invitation.attended is False:
        return "Feedback is for the contributors who were at the meeting."
    if meeting.cancelled_at is not None:
        return "This meeting was cancelled."
    now = timezone.now()
    if meeting.start > now:
        return "You can give feedback once the meeting has started."
    if feedback_closes(meeting) < now:
        closed = timezone.localtime(feedback_closes(meeting))
        return f"Feedback on this meeting closed on {closed.day} {closed:%B %Y}."
    if MeetingFeedback.objects.filter(meeting=meeting, contributor=user).exists():
        return "You have already sent feedback on this meeting. Thank you."
    return ""


@dataclass
class FeedbackGroup:
    label: str
    meeting: Meeting | None = None
    answers: list = field(default_factory=list)  # (accessible, listened_to, to_change) per response

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def questions(self) -> list[dict]:
        result = []
        for index, name in enumerate(QUESTIONS):
            model_field = MeetingFeedback._meta.get_field(name)
            counts = defaultdict(int)
            for answer in self.answers:
                counts[answer[index]] += 1
            table = suppress(
                [(str(label), counts[value]) for value, label in [*model_field.choices, ("", "Not answered")]]
            )
            result.append(
                {
                    "question": str(model_field.verbose_name),
                    "rows": [{"label": row.label, "figure": row.text} for row in table.rows],
                }
            )
        return result

    @property
    def comments_held(self) -> bool:
        """Too few responses for comments to be shown without giving someone away."""
        return self.total < SMALL and any(answer[2] for answer in self.answers)

    @property
    def comments(self) -> list[str]:
        if self.total < SMALL:
            return []
        # Alphabetical: neither the order they came in nor who wrote them.
        return sorted((answer[2] for answer in self.answers if answer[2]), key=str.casefold)


def _in_period(qs, start: date | None, end: date | None, prefix: str = "meeting__"):
    if start:
        qs = qs.filter(**{f"{prefix}start__date__gte": start})
    if end:
        qs = qs.filter(**{f"{prefix}start__date__lte": end})
    return qs


def feedback_summary(
    *, project: Project | None = None, start: date | None = None, end: date | None = None, by: str = "meeting"
) -> dict:
    """Feedback on a project's meetings held in a period (every project's when `project` is
    None), grouped per meeting or per month (`by`), and for the whole period. Two queries."""
    responses = MeetingFeedback.objects.all()
    if project is not None:
        responses = responses.filter(meeting__project=project)
    responses = _in_period(responses, start, end)
    overall = FeedbackGroup(label="All meetings in the period")
    groups: dict = {}
    if by == "month":
        rows = (
            responses.annotate(month=TruncMonth("meeting__start"))
            .order_by("month")
            .values_list("month", "accessible", "listened_to", "to_change")
        )
        for month, *answer in rows:
            key = timezone.localtime(month).date() if timezone.is_aware(month) else month
            group = groups.setdefault(key, FeedbackGroup(label=f"{key:%B %Y}"))
            group.answers.append(tuple(answer))
            overall.answers.append(tuple(answer))
    else:
        meetings = Meeting.objects.filter(cancelled_at__isnull=True)
        if project is not None:
            meetings = meetings.filter(project=project)
        meetings = _in_period(meetings, start, end, prefix="").filter(Q(start__lte=timezone.now()))
        for meeting in meetings.order_by("start"):
            groups[meeting.pk] = FeedbackGroup(label=meeting.title, meeting=meeting)
        for meeting_id, *answer in responses.values_list(
            "meeting_id", "accessible", "listened_to", "to_change"
        ):
            if meeting_id in groups:
                groups[meeting_id].answers.append(tuple(answer))
                overall.answers.append(tuple(answer))
    return {"groups": list(groups.values()), "overall": overall, "by": by, "small": SMALL}
