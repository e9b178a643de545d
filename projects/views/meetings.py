"""Meeting pages: schedule (with warnings), details, calendar file, papers, replies, attendance."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import contributor_required, staff_required
from core.errors import show_error
from core.storage import serve_private_file
from projects.calendar import meeting_ics as build_ics
from projects.forms.meetings import AttendanceForm, CancelForm, MeetingForm, ReplyForm, StaffReplyForm
from projects.selectors.access import get_meeting_for_user, get_meeting_to_manage, get_project_to_manage
from projects.selectors.meetings import meeting_detail as meeting_detail_data
from projects.services import meetings as services


def _meeting_form(request, *, project, meeting=None):
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        invitees = data.pop("invitees")
        reason = data.pop("override_reason")
        try:
            saved = services.meeting_save(
                actor=request.user, project=project, meeting=meeting,
                invitee_ids=[u.pk for u in invitees], override_reason=reason, **data,
            )
        except services.MeetingWarnings as problem:
            warnings = problem.warnings
            form.fields["override_reason"].required = True
            form.add_error(
                "override_reason",
                "Give a reason for going ahead, or change the meeting so the warnings no longer apply.",
            )
        except services.MeetingError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Meeting “{saved.title}” saved.")
            return redirect("projects:meeting_detail", pk=saved.pk)
    show_reason = bool(warnings) or bool(form["override_reason"].value())
    return render(request, "projects/meeting_form.html", {
        "form": form, "project": project, "meeting": meeting, "warnings": warnings,
        "show_reason": show_reason,
    })


@staff_required
def meeting_create(request, project_pk):
    project = get_project_to_manage(request.user, project_pk)
    return _meeting_form(request, project=project)


@staff_required
def meeting_edit(request, pk):
    meeting = get_meeting_to_manage(request.user, pk)
    return _meeting_form(request, project=meeting.project, meeting=meeting)


@staff_required
def meeting_cancel(request, pk):
    meeting = get_meeting_to_manage(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting_id=meeting.pk, reason=form.cleaned_data["reason"]
            )
        except services.MeetingError as error:
            show_error(request, error)
        else:
            messages.success(request, "Meeting cancelled. Everyone invited is being told.")
        return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(request, "projects/meeting_cancel.html", {"form": form, "meeting": meeting})


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    context = meeting_detail_data(meeting=meeting, user=request.user)
    if context["my_invitation"] is not None:
        mine = context["my_invitation"]
        context["reply_form"] = ReplyForm(
            meeting=meeting, initial={"reply": mine.reply, "note": mine.reply_note}
        )
    return render(request, "projects/meeting_detail.html", context)


@login_required
def meeting_ics(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    response = HttpResponse(build_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def meeting_papers(request, pk):
    """Papers are private files: only people who can see the meeting may download them."""
    meeting = get_meeting_for_user(request.user, pk)
    if not meeting.papers_file:
        raise Http404("This meeting has no uploaded papers.")
    ext = os.path.splitext(meeting.papers_file.name)[1].lower()
    return serve_private_file(meeting.papers_file, filename=f"papers-{meeting.pk}{ext}")


@contributor_required
@require_POST
def meeting_reply(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    form = ReplyForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, "Choose whether you are coming in person, online, or not coming.")
        return redirect("projects:meeting_detail", pk=meeting.pk)
    try:
        services.meeting_reply(
            meeting_id=meeting.pk, actor=request.user, reply=form.cleaned_data["reply"],
            note=form.cleaned_data["note"],
        )
    except services.MeetingError as error:
        show_error(request, error)
    else:
        messages.success(request, "Thank you: your reply is saved.")
    if request.POST.get("next") == "dashboard":
        return redirect("contributor_dashboard")
    return redirect("projects:meeting_detail", pk=meeting.pk)


@staff_required
def meeting_reply_record(request, pk):
    """A reply someone gave by phone or post, recorded by staff (who is kept)."""
    meeting = get_meeting_to_manage(request.user, pk)
    form = StaffReplyForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["contributor"]
        try:
            services.meeting_reply(
                meeting_id=meeting.pk, actor=request.user, contributor=person,
                reply=form.cleaned_data["reply"], note=form.cleaned_data["note"],
            )
        except services.MeetingError as error:
            show_error(form, error)
        else:
            messages.success(request, f"{person.get_full_name()}’s reply is recorded.")
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(request, "projects/meeting_reply_record.html", {"form": form, "meeting": meeting})


@staff_required
def meeting_attendance(request, pk):
    meeting = get_meeting_to_manage(request.user, pk)
    invitations = list(meeting.invitations.select_related("contributor").order_by("contributor__name"))
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                meeting_id=meeting.pk, actor=request.user, attended_ids=form.cleaned_data["attended"]
            )
        except services.MeetingError as error:
            show_error(form, error)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(request, "projects/meeting_attendance.html", {"form": form, "meeting": meeting})
