"""Closing the loop: outcomes and actions after a meeting (staff), the project's list of
actions, feedback after a meeting (contributors) and its results (project staff)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from core.access import contributor_required, staff_required
from core.errors import show_error
from projects.forms.outcomes import (
    ActionDoneForm,
    ActionFields,
    FeedbackForm,
    FeedbackPeriodForm,
    OutcomeForm,
)
from projects.selectors.access import (
    can_manage_project,
    get_meeting_for_user,
    get_meeting_to_manage,
    get_project_for_user,
    get_project_to_manage,
)
from projects.selectors.feedback import feedback_closes, feedback_refusal, feedback_summary
from projects.selectors.outcomes import get_action_to_manage, get_outcome_to_manage, project_actions
from projects.services import feedback as feedback_services
from projects.services import outcomes as services


@staff_required
def outcome_create(request, pk):
    meeting = get_meeting_to_manage(request.user, pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(
                actor=request.user,
                meeting_id=meeting.pk,
                said=data["said"],
                action_what=data["action_what"],
                action_owner=data["action_owner"],
                action_due_on=data["action_due_on"],
            )
        except services.OutcomeError as error:
            if error.field in ("what", "owner", "due_on"):  # the first action's fields
                form.add_error(f"action_{error.field}", error.message)
            else:
                show_error(form, error)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(request, "projects/outcome_form.html", {"form": form, "meeting": meeting})


@staff_required
def action_create(request, pk):
    outcome = get_outcome_to_manage(request.user, pk)
    form = ActionFields(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(actor=request.user, outcome_id=outcome.pk, **form.cleaned_data)
        except services.OutcomeError as error:
            show_error(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("projects:meeting_detail", pk=outcome.meeting_id)
    return render(
        request, "projects/action_form.html", {"form": form, "outcome": outcome, "meeting": outcome.meeting}
    )


@staff_required
def action_done(request, pk):
    action = get_action_to_manage(request.user, pk)
    meeting = action.outcome.meeting
    form = ActionDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_mark_done(actor=request.user, action_id=action.pk, **form.cleaned_data)
        except services.OutcomeError as error:
            if error.field:
                show_error(form, error)
            else:  # already done: nothing to re-enter
                show_error(request, error, level=messages.INFO)
                return redirect("projects:meeting_detail", pk=meeting.pk)
        else:
            messages.success(
                request, "Action marked done. Contributors who were at the meeting will be told."
            )
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(request, "projects/action_done.html", {"form": form, "action": action, "meeting": meeting})


@staff_required
def project_outcomes(request, pk):
    project = get_project_for_user(request.user, pk)
    context = project_actions(project=project, show=request.GET.get("show", "open"))
    context.update(project=project, can_manage=can_manage_project(request.user, project))
    return render(request, "projects/project_outcomes.html", context)


@contributor_required
def feedback_give(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    refusal = feedback_refusal(meeting=meeting, user=request.user)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_services.feedback_submit(actor=request.user, meeting_id=meeting.pk, **form.cleaned_data)
        except feedback_services.FeedbackError as error:
            if refusal:  # sent already (Back and send again), or closed: nothing to re-enter
                show_error(request, error, level=messages.INFO)
                return redirect("projects:meeting_detail", pk=meeting.pk)
            show_error(form, error)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("projects:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "projects/feedback_form.html",
        {
            "form": form,
            "meeting": meeting,
            "refusal": refusal,
            "closes": feedback_closes(meeting),
        },
    )


@staff_required
def feedback_results(request, pk):
    project = get_project_to_manage(request.user, pk)
    form = FeedbackPeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    summary = feedback_summary(
        project=project, start=period.get("start"), end=period.get("end"), by=period.get("by") or "meeting"
    )
    return render(request, "projects/feedback_results.html", {"project": project, "form": form, **summary})
