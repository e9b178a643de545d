"""Meeting series: set one up, invite people to all of it, change its pattern, extend or end it.
Each occurrence is an ordinary meeting with its own page (moved or cancelled from there)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import show_error
from projects.forms.meetings import SeriesEndForm, SeriesForm, SeriesInviteForm
from projects.selectors.access import (
    can_manage_project,
    get_project_to_manage,
    get_series_for_staff,
    get_series_to_manage,
)
from projects.services import series as services
from projects.services.meetings import MeetingError, MeetingWarnings


def _warned(form, problem: MeetingWarnings) -> list[str]:
    form.fields["override_reason"].required = True
    form.add_error(
        "override_reason",
        "Give a reason for going ahead, or change the series so the warnings no longer apply.",
    )
    return problem.warnings


def _rule(data: dict) -> dict:
    return {name: data[name] for name in ("frequency", "start", "end", "until", "count")}


def _details(data: dict) -> dict:
    return {
        name: data[name]
        for name in ("venue", "access_information", "online_link", "place", "access_features")
    }


@staff_required
def series_create(request, project_pk):
    project = get_project_to_manage(request.user, project_pk)
    form = SeriesForm(request.POST or None)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.series_create(
                actor=request.user,
                project=project,
                title=data["title"],
                **_rule(data),
                **_details(data),
                invitee_ids=[u.pk for u in data["invitees"]],
                override_reason=data["override_reason"],
            )
        except MeetingWarnings as problem:
            warnings = _warned(form, problem)
        except MeetingError as error:
            show_error(form, error)
        else:
            made = series.meetings.count()
            messages.success(request, f"Series “{series.title}” saved: {made} meetings scheduled.")
            return redirect("projects:series_detail", pk=series.pk)
    return render(
        request,
        "projects/series_form.html",
        {
            "form": form,
            "project": project,
            "series": None,
            "warnings": warnings,
            "show_reason": bool(warnings) or bool(form["override_reason"].value()),
        },
    )


@staff_required
def series_detail(request, pk):
    series = get_series_for_staff(request.user, pk)
    meetings = list(series.meetings.order_by("start"))
    now = timezone.now()
    return render(
        request,
        "projects/series_detail.html",
        {
            "series": series,
            "rule": services.describe_rule(series),
            "meetings": meetings,
            "now": now,
            "invitees": list(series.invitees.order_by("name")),
            "can_manage": can_manage_project(request.user, series.project),
        },
    )


@staff_required
def series_edit(request, pk):
    series = get_series_to_manage(request.user, pk)
    nxt = series.meetings.filter(
        start__gt=timezone.now(), cancelled_at__isnull=True, moved_alone=False
    ).first()
    initial = {"title": series.title, "frequency": series.frequency, "until": series.until, "count": None}
    if nxt is not None:
        initial.update(
            start=nxt.start,
            end=nxt.end,
            venue=nxt.venue,
            place=nxt.place,
            access_features=nxt.access_features,
            access_information=nxt.access_information,
            online_link=nxt.online_link,
        )
    form = SeriesForm(request.POST or None, initial=initial, change=True)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.series_change(
                actor=request.user,
                series_id=series.pk,
                title=data["title"],
                **_rule(data),
                **_details(data),
                override_reason=data["override_reason"],
            )
        except MeetingWarnings as problem:
            warnings = _warned(form, problem)
        except MeetingError as error:
            show_error(form, error)
        else:
            messages.success(
                request, "The series is changed. Everyone invited hears about each moved meeting."
            )
            return redirect("projects:series_detail", pk=series.pk)
    return render(
        request,
        "projects/series_form.html",
        {
            "form": form,
            "project": series.project,
            "series": series,
            "warnings": warnings,
            "show_reason": bool(warnings) or bool(form["override_reason"].value()),
        },
    )


@staff_required
def series_invite(request, pk):
    series = get_series_to_manage(request.user, pk)
    form = SeriesInviteForm(request.POST or None, series=series)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.series_invite(
                actor=request.user,
                series_id=series.pk,
                contributor_ids=[u.pk for u in data["invitees"]],
                override_reason=data["override_reason"],
            )
        except MeetingWarnings as problem:
            warnings = _warned(form, problem)
        except MeetingError as error:
            show_error(form, error)
        else:
            messages.success(
                request, f"Invited to {changed} meeting{'s' if changed != 1 else ''} in the series."
            )
            return redirect("projects:series_detail", pk=series.pk)
    return render(
        request,
        "projects/series_invite.html",
        {
            "form": form,
            "series": series,
            "warnings": warnings,
            "show_reason": bool(warnings) or bool(form["override_reason"].value()),
        },
    )


@staff_required
@require_POST
def series_extend(request, pk):
    series = get_series_to_manage(request.user, pk)
    try:
        made = services.series_extend(actor=request.user, series_id=series.pk)
    except MeetingWarnings as problem:
        messages.warning(
            request,
            "Not extended: "
            + " ".join(problem.warnings)
            + " Change the series or invite people again with a reason.",
        )
    except MeetingError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            f"{len(made)} more meetings scheduled."
            if made
            else "Every meeting up to a year ahead is already scheduled.",
        )
    return redirect("projects:series_detail", pk=series.pk)


@staff_required
def series_end(request, pk):
    series = get_series_to_manage(request.user, pk)
    form = SeriesEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.series_end(
                actor=request.user,
                series_id=series.pk,
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
            )
        except MeetingError as error:
            show_error(form, error)
        else:
            messages.success(request, f"The series has ended; {len(cancelled)} later meetings cancelled.")
            return redirect("projects:series_detail", pk=series.pk)
    return render(request, "projects/series_end.html", {"form": form, "series": series})
