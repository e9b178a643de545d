"""The funder report's pages: one project's (its lead and team, finance, admins) and the whole
organisation's (finance and admins), each as a page, a printable page and a CSV."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import staff_required
from core.csv import csv_response
from core.dates import date_range_message, is_sensible_date
from core.fragments import render_cached
from core.widgets import DatePicker
from expenses.access import is_finance
from projects.selectors.access import can_manage_project, get_project_for_user

from .funder_report import Period, default_period, funder_report

CHART_WIDTH = 300  # SVG units for the longest bar
BAR = 12
ROW_HEIGHT = 48


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DatePicker(attrs={"class": "form-control"}))
    end = forms.DateField(label="To (included)", widget=DatePicker(attrs={"class": "form-control"}))

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            if cleaned.get(name) and not is_sensible_date(cleaned[name]):
                self.add_error(name, date_range_message())
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start.")
        return cleaned


def may_see_organisation_report(user) -> bool:
    """Finance and admins: the report adds up every project's money and people."""
    return is_finance(user)


def may_see_project_report(user, project) -> bool:
    """The project's lead and team, finance and admins. Other staff can read the project page,
    but this report adds up its money and the monitoring answers of its contributors."""
    return is_finance(user) or can_manage_project(user, project)


def _chart(rows, series: list[tuple[str, str, str]]) -> dict:
    """Horizontal bars, one group per row and one bar per series (key, label, css class),
    sized on the largest value; drawn server-side as SVG (no script, no inline style)."""
    biggest = max([row[key] or 0 for row in rows for key, _label, _css in series] or [0])
    bars = []
    for index, row in enumerate(rows):
        group = {"label": row["label"], "y": index * ROW_HEIGHT, "bars": []}
        for offset, (key, label, css) in enumerate(series):
            value = row[key] or 0
            width = int(value / biggest * CHART_WIDTH) if biggest else 0
            group["bars"].append(
                {
                    "label": label,
                    "value": row[key],
                    "css": css,
                    "width": width,
                    "y": 18 + offset * (BAR + 2),
                    "text_x": width + 6,
                    "text_y": 18 + offset * (BAR + 2) + BAR - 1,
                    "money": key in ("time", "expenses", "total"),
                }
            )
        bars.append(group)
    return {"rows": bars, "width": CHART_WIDTH + 160, "height": max(len(rows) * ROW_HEIGHT, 1)}


def _bucket_label(bucket, by_month: bool) -> str:
    return f"{bucket:%B %Y}" if by_month else f"{bucket:%Y}"


def _period_form(request) -> tuple[PeriodForm, Period | None]:
    """The form and the period it asks for (the current financial year when nothing is asked;
    None when the dates are wrong)."""
    if not request.GET.get("start") and not request.GET.get("end"):
        period = default_period()
        return PeriodForm(initial={"start": period.start, "end": period.end}), period
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])


def _report(project, period: Period):
    """The report, each month's (or year's) row labelled for the page and the CSV."""
    report = funder_report(project=project, period=period)
    for row in [*report.money_by_time, *report.meetings_by_time]:
        row["label"] = _bucket_label(row["bucket"], period.by_month)
    return report


def _report_context(*, form, project, period: Period, printable: bool) -> dict:
    report = _report(project, period)
    return {
        "form": form,
        "project": project,
        "report": report,
        "money_chart": _chart(
            report.money_by_time,
            [("time", "for time", "chart-time"), ("expenses", "for expenses", "chart-expenses")],
        ),
        "meetings_chart": _chart(
            report.meetings_by_time,
            [("invited", "invited", "chart-invited"), ("attended", "attended", "chart-attended")],
        ),
        "query": f"start={period.start.isoformat()}&end={period.end.isoformat()}",
        "printable": printable,
    }


def csv_rows(report):
    """The report as rows: section, figure, value (money in pounds and pence, ranges as text)."""
    p = report.period
    yield ("section", "figure", "value")
    yield ("report", "for", report.project.title if report.project else "the whole organisation")
    yield ("report", "from", p.start.isoformat())
    yield ("report", "to", p.end.isoformat())
    h, m, people, meet = report.hours, report.money, report.people, report.meetings
    yield from [
        ("involvement hours", "at meetings", h["at_meetings"]),
        ("involvement hours", "other time claimed", h["other"]),
        ("involvement hours", "total", h["total"]),
        ("money paid", "for time", m["time"]),
        ("money paid", "for expenses", m["expenses"]),
        ("money paid", "of which costs we paid directly", m["paid_directly"]),
        ("money paid", "total", m["total"]),
        ("money paid", "claims paid", m["claims"]),
        ("contributors", "involved", people["involved"]),
        ("contributors", "new in the period", people["new"]),
        ("meetings", "held", meet["held"]),
        ("meetings", "cancelled", meet["cancelled"]),
        ("meetings", "still to come", meet["to_come"]),
        ("attendance", "invited", meet["invited"]),
        ("attendance", "attended", meet["attended"]),
        ("attendance", "did not attend", meet["absent"]),
        ("attendance", "not recorded", meet["not_recorded"]),
    ]
    for row in report.money_by_time:
        label = row["label"]
        yield from [
            (f"money paid in {label}", "for time", row["time"]),
            (f"money paid in {label}", "for expenses", row["expenses"]),
            (f"money paid in {label}", "total", row["total"]),
        ]
    for row in report.meetings_by_time:
        label = row["label"]
        yield from [
            (f"meetings held in {label}", "meetings", row["meetings"]),
            (f"meetings held in {label}", "invited", row["invited"]),
            (f"meetings held in {label}", "attended", row["attended"]),
        ]
    for section in report.reach:
        for row in section["rows"]:
            yield (f"reach: {section['question']}", row["label"], row["figure"])
    overall = report.feedback["overall"]
    yield ("feedback", "responses", overall.total)
    if overall.total:
        for question in overall.questions:
            for row in question["rows"]:
                yield (f"feedback: {question['question']}", row["label"], row["figure"])
    for outcome in report.outcomes:
        meeting = f"{outcome.meeting.title}, {outcome.meeting.start:%Y-%m-%d}"
        if report.project is None:
            meeting = f"{outcome.meeting.project.title}: {meeting}"
        yield (f"outcome of {meeting}", "said or decided", outcome.said)
        for action in outcome.actions.all():
            done = (
                f"done {action.done_on:%Y-%m-%d}: {action.what_changed}"
                if action.status == "done"
                else "open"
            )
            yield (
                f"outcome of {meeting}",
                f"action (due {action.due_on:%Y-%m-%d})",
                f"{action.what} ({done})",
            )


def _respond(request, project, filename_for):
    form, period = _period_form(request)
    title = f"Funder report: {project.title}" if project else "Funder report"
    if period is None:
        return render(request, "coproduction/funder_report.html", {"form": form, "project": project})
    fmt = request.GET.get("format")
    if fmt == "csv":
        report = _report(project, period)
        name = f"{filename_for}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
        return csv_response(csv_rows(report), name)
    printable = fmt == "print"
    template = "coproduction/funder_report_print.html" if printable else "coproduction/funder_report.html"
    # The same figures for everyone allowed to see them: kept for a minute at most, and made
    # again after any write to people, projects or claims (core/fragments.py). "Held" meetings
    # move with the clock, which the minute bounds.
    return render_cached(
        request,
        template,
        lambda: _report_context(form=form, project=project, period=period, printable=printable),
        title=title,
        parts=(project.pk if project else None, period.start, period.end, printable),
        depends_on=("contributors", "projects", "expenses"),
    )


@require_GET
@staff_required
def organisation_report(request):
    if not may_see_organisation_report(request.user):
        raise PermissionDenied("The organisation's funder report is for finance staff and admins.")
    return _respond(request, None, "funder-report")


@require_GET
@staff_required
def project_report(request, pk):
    project = get_project_for_user(request.user, pk)
    if not may_see_project_report(request.user, project):
        raise PermissionDenied(
            "A project's funder report is for its lead and team, finance staff and admins."
        )
    return _respond(request, project, f"funder-report-project-{project.pk}")
