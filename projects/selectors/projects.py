"""Reads about projects: the list, the dashboard's parts, suitability and the timeline."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import is_sensible_date
from projects.models import (
    BudgetLine,
    Meeting,
    MeetingInvitation,
    Milestone,
    PieceOfWork,
    PowerImbalance,
    Project,
    Role,
    RoleOffer,
)

from .access import projects_managed_by, projects_visible_to

SUITABILITY_FIELDS = [
    ("involvement_level", "the level of involvement intended"),
    ("open_decisions", "the decisions contributors can influence"),
    ("fixed_decisions", "the decisions that are already fixed"),
    ("can_achieve", "what involving people can achieve"),
    ("cannot_achieve", "what involving people cannot achieve"),
]


def suitability_gaps(project: Project, pieces: list[PieceOfWork] | None = None) -> list[str]:
    """What is still missing from the suitability assessment, in words; empty when complete."""
    if pieces is None:
        pieces = list(project.pieces_of_work.all())
    gaps = [f"The project needs {label}." for label in _missing(project)]
    if not pieces:
        gaps.append("Add at least one piece of work and assess it.")
    for piece in pieces:
        missing = _missing(piece)
        if missing:
            gaps.append(f"The piece of work “{piece.title}” needs {_join(missing)}.")
    return gaps


def _missing(obj) -> list[str]:
    return [label for field, label in SUITABILITY_FIELDS if not str(getattr(obj, field) or "").strip()]


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def project_list_queryset(user) -> QuerySet[Project]:
    """Projects this person can see, with what the list shows, in a fixed number of queries."""
    now = timezone.now()
    # Subqueries, not joins with GROUP BY: the list is paged, so only one page's rows are
    # counted instead of every project's team and meetings (bench/README.md).
    team_size = (
        Project.team.through.objects.filter(project_id=OuterRef("pk"))
        .values("project_id").annotate(n=Count("*")).values("n")
    )
    next_meeting = Meeting.objects.filter(project_id=OuterRef("pk"), start__gte=now).order_by("start")
    return (
        projects_visible_to(user)
        .select_related("lead")
        .annotate(
            team_size=Coalesce(Subquery(team_size), 0),
            next_meeting=Subquery(next_meeting.values("start")[:1]),
        )
        .order_by("title", "pk")
    )


def budget_lines_with_planned(*, project_ids: list[int]) -> list[BudgetLine]:
    """Budget lines with their `planned` figure; spend is added one floor up (coproduction/)."""
    lines = list(
        BudgetLine.objects.filter(project_id__in=project_ids).select_related("managed_by")
    )
    for line in lines:
        line.planned = line.amount
    return lines


@dataclass
class Timeline:
    start_date: date | None
    end_date: date | None
    lead_time_weeks: int
    recruit_by: date | None
    milestones: list[Milestone]

    @property
    def sentence(self) -> str:
        if not self.start_date:
            return "Set a start date to see when recruiting contributors has to begin."
        if not is_sensible_date(self.start_date) or self.recruit_by is None:
            return (
                f"The start date, {_day(self.start_date)}, looks mistyped: change it to see when "
                "recruiting contributors has to begin."
            )
        return (
            f"To start on {_day(self.start_date)}, begin recruiting contributors by "
            f"{_day(self.recruit_by)} ({self.lead_time_weeks} weeks of extra lead time for involvement)."
        )


def project_timeline(project: Project, milestones: list[Milestone]) -> Timeline:
    recruit_by = None
    if project.start_date:
        try:
            recruit_by = project.start_date - timedelta(weeks=project.involvement_lead_time_weeks)
        except OverflowError:  # a start date kept from before dates had a range (year 1)
            recruit_by = None
    return Timeline(
        start_date=project.start_date,
        end_date=project.end_date,
        lead_time_weeks=project.involvement_lead_time_weeks,
        recruit_by=recruit_by,
        milestones=milestones,
    )


def upcoming_meetings(*, project_ids: list[int], limit: int = 10) -> list[Meeting]:
    return list(
        Meeting.objects.filter(project_id__in=project_ids, start__gte=timezone.now())
        .select_related("organiser")
        .annotate(
            invited=Count("invitations", distinct=True),
            attending=Count(
                "invitations", filter=Q(invitations__reply__in=MeetingInvitation.COMING),
                distinct=True,
            ),
        )
        .order_by("start")[:limit]
    )


def project_overview(*, project: Project, user) -> dict:
    """Everything the staff project dashboard shows except spend, in a fixed number of queries."""
    pieces = list(project.pieces_of_work.all())
    milestones = list(project.milestones.all())
    team = list(project.team.all())
    roles = list(
        Role.objects.filter(project=project).annotate(
            accepted=Count("offers", filter=Q(offers__status=RoleOffer.Status.ACCEPTED))
        )
    )
    return {
        "project": project,
        "can_manage": projects_managed_by(user).filter(pk=project.pk).exists(),
        "team": team,
        "roles": roles,
        "meetings": upcoming_meetings(project_ids=[project.pk]),
        "past_meetings": list(
            Meeting.objects.filter(project=project, start__lt=timezone.now()).order_by("-start")[:5]
        ),
        "budget_lines": budget_lines_with_planned(project_ids=[project.pk]),
        "power_imbalances": list(
            PowerImbalance.objects.filter(project=project)
            .exclude(status=PowerImbalance.Status.RESOLVED)
            .select_related("owner")
        ),
        "resolved_imbalances": PowerImbalance.objects.filter(
            project=project, status=PowerImbalance.Status.RESOLVED
        ).count(),
        "pieces": pieces,
        "gaps": suitability_gaps(project, pieces),
        "timeline": project_timeline(project, milestones),
    }


def contributor_project_view(*, project: Project, user) -> dict:
    """What a contributor with a role sees: their roles and their meetings, nothing internal."""
    return {
        "project": project,
        "my_roles": list(
            Role.objects.filter(
                project=project, offers__contributor=user, offers__status=RoleOffer.Status.ACCEPTED
            )
        ),
        "my_invitations": list(
            MeetingInvitation.objects.filter(meeting__project=project, contributor=user)
            .select_related("meeting")
            .order_by("meeting__start")
        ),
    }


def staff_projects_summary(user, limit: int = 10) -> list[Project]:
    """Projects this person leads or is on the team of (not archived), soonest meeting first."""
    # The next meeting as a subquery for the page's ten projects, not a join over every
    # meeting grouped by project; only what the dashboard shows (bench/).
    now = timezone.now()
    next_meeting = Meeting.objects.filter(project_id=OuterRef("pk"), start__gte=now).order_by("start")
    return list(
        projects_managed_by(user)
        .filter(archived_at__isnull=True)
        .exclude(status=Project.Status.CLOSED)
        .only("title", "status")
        .annotate(next_meeting=Subquery(next_meeting.values("start")[:1]))
        .order_by("title")[:limit]
    )


def total(amounts) -> Decimal:
    return sum(amounts, Decimal("0.00"))
