"""The project dashboard: projects' own selectors plus spend from expenses, composed here
(one floor above both) so projects/ never imports expenses/."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.fragments import render_cached
from expenses.selectors import spend_by_budget_line
from projects.selectors.access import get_project_for_user
from projects.selectors.projects import contributor_project_view, project_overview

CHART_WIDTH = 400  # SVG units for the longest bar
ROW_HEIGHT = 56
# Warn staff before a line runs out (seed step 2: "staff are warned before it runs out").
WARN_AT = Decimal("0.80")


def budget_chart(lines) -> dict:
    """Adds spent, remaining and bar sizes to each line; returns the chart's totals and size."""
    biggest = max([max(line.planned, line.spent) for line in lines] or [Decimal("0")])
    for index, line in enumerate(lines):
        line.remaining = line.planned - line.spent
        line.planned_width = int(line.planned / biggest * CHART_WIDTH) if biggest else 0
        line.spent_width = int(line.spent / biggest * CHART_WIDTH) if biggest else 0
        line.y = index * ROW_HEIGHT
        line.overspent = line.spent > line.planned
        line.nearly_spent = not line.overspent and line.planned > 0 and line.spent >= line.planned * WARN_AT
    return {
        "planned_total": sum((line.planned for line in lines), Decimal("0.00")),
        "spent_total": sum((line.spent for line in lines), Decimal("0.00")),
        "width": CHART_WIDTH + 160,
        "height": max(len(lines) * ROW_HEIGHT, 1),
        "row_height": ROW_HEIGHT,
    }


@login_required
def project_dashboard(request, pk):
    project = get_project_for_user(request.user, pk)
    if not request.user.is_staff:
        # Contributors with a role see what is meant for them: no budget, power log or people.
        return render(request, "projects/project_contributor.html",
                      contributor_project_view(project=project, user=request.user))
    # From the cache while nothing it shows has changed (core/fragments.py).
    return render_cached(request, "projects/project_dashboard.html",
                         lambda: staff_project_context(project, request.user),
                         title=project.title, parts=[request.user.pk, project.pk])


def staff_project_context(project, user) -> dict:
    context = project_overview(project=project, user=user)
    spend = spend_by_budget_line(project_ids=[project.pk])
    for line in context["budget_lines"]:
        figures = spend.get(line.pk, {})
        line.spent = figures.get("approved", Decimal("0.00")) + figures.get("paid", Decimal("0.00"))
    context["chart"] = budget_chart(context["budget_lines"])
    return context
