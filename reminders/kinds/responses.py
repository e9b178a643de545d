"""A daily summary, for the project lead, of new expressions of interest and applications.

One reminder per project, lead and day: the occasion is the day the items came in, so each
item is in exactly one summary (the day it arrived), sent once that day is over. Days missed
(no scan ran) are caught up one at a time, oldest first."""

from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, Least, TruncDate
from django.utils import timezone

from projects.models import Application, ExpressionOfInterest, Project
from projects.selectors.roles import new_responses

from ..channels import link
from ..models import ReminderSent
from ..registry import ReminderKind, register
from ..selectors import LOOK_BACK_DAYS, unique_staff

KEY = "new_responses_daily"


def _first_day_not_summarised(model, scan, lead_days):
    """The earliest day (as text) with an item of `model` on the project that has no summary
    yet: a day with no scan (the server was down) is summarised at the next one."""
    tz = timezone.get_current_timezone()
    last = timezone.localdate(scan.now) - timedelta(days=max(lead_days, 1))  # a day that is over
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    summarised = ReminderSent.objects.filter(
        kind=KEY, object_id=OuterRef("role__project_id"), occasion=Concat(Value("day:"), OuterRef("day"))
    )
    return Subquery(
        model.objects.filter(
            role__project=OuterRef("pk"), created_at__lt=end,
            created_at__gte=end - timedelta(days=LOOK_BACK_DAYS),
        )
        .annotate(day=Cast(TruncDate("created_at", tzinfo=tz), CharField()))
        .filter(~Exists(summarised))
        .order_by("created_at")
        .values("day")[:1]
    )


def _projects_with_news(scan, lead_days):
    # Least ignores NULL on PostgreSQL: the earlier of the two, or the one there is.
    first = Least(
        _first_day_not_summarised(ExpressionOfInterest, scan, lead_days),
        _first_day_not_summarised(Application, scan, lead_days),
    )
    projects = Project.objects.annotate(summary_day=first).filter(summary_day__isnull=False)
    return projects.select_related("lead")


def _day_of(occasion: str) -> date:
    try:
        return date.fromisoformat(occasion.removeprefix("day:"))
    except ValueError:  # a sample rendered without an occasion: yesterday
        return timezone.localdate() - timedelta(days=1)


def _items(project, occasion) -> dict:
    day = _day_of(occasion)
    return {"day": day, "responses": new_responses(projects=[project], day=day)}


NEW_RESPONSES_DAILY = register(ReminderKind(
    key=KEY,
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
