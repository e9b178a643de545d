"""A daily summary, for the project lead, of new expressions of interest and applications.

One reminder per project, lead and day: the occasion is the day the items came in, so each
item is in exactly one summary (the day it arrived), sent once that day is over."""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from projects.models import Application, ExpressionOfInterest, Project
from projects.selectors.roles import new_responses

from ..channels import link
from ..registry import ReminderKind, register
from ..selectors import unique_staff


def _summarised_day(scan, lead_days) -> date:
    # At least a day after: a summary of a day still going would miss what comes in later.
    return timezone.localdate(scan.now) - timedelta(days=max(lead_days, 1))


def _projects_with_news(scan, lead_days):
    day = _summarised_day(scan, lead_days)
    start = timezone.make_aware(datetime.combine(day, time.min))
    that_day = Q(
        created_at__gte=start, created_at__lt=start + timedelta(days=1), role__project=OuterRef("pk")
    )
    interests = ExpressionOfInterest.objects.filter(that_day)
    applications = Application.objects.filter(that_day)
    return (
        Project.objects.filter(Exists(interests) | Exists(applications))
        .annotate(summary_day=Value(day.isoformat()))
        .select_related("lead")
    )


def _day_of(occasion: str) -> date:
    try:
        return date.fromisoformat(occasion.removeprefix("day:"))
    except ValueError:  # a sample rendered without an occasion: yesterday
        return timezone.localdate() - timedelta(days=1)


def _items(project, occasion) -> dict:
    day = _day_of(occasion)
    return {"day": day, "responses": new_responses(projects=[project], day=day)}


NEW_RESPONSES_DAILY = register(ReminderKind(
    key="new_responses_daily",
    label="New expressions of interest and applications, once a day (to the project lead)",
    lead_days=1,
    lead_means="days after the day they came in (at least 1)",
    subject="New interest in {{ project.title }} on {{ day|date:'j F' }}",
    intro="These people expressed interest in a role, or applied to a public advert, on "
    "{{ day|date:'l j F Y' }}. Please look at them and answer each one.",
    about=Project,
    load_related=("lead",),
    candidates=_projects_with_news,
    recipients=lambda project, scan: unique_staff(project.lead),
    occasion=lambda project: f"day:{project.summary_day}",
    context=lambda project: {"project": project, "url": link(("staff_dashboard", []))},
    occasion_context=_items,
    to_staff=True,
))
