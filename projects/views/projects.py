"""Staff pages for projects: list, create, edit, suitability, resources, timeline, power log.

The project dashboard itself (projects:detail) is composed one floor up, in
coproduction/project_dashboard.py, because it shows spend from the expenses app.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import show_error
from core.fragments import render_cached
from core.pagination import page_of
from projects.filters import ProjectFilter
from projects.forms.projects import (
    BudgetLineForm,
    MilestoneForm,
    PieceOfWorkForm,
    PowerImbalanceForm,
    ProjectForm,
    SuitabilityForm,
)
from projects.selectors.access import get_project_to_manage
from projects.selectors.projects import project_list_queryset, suitability_gaps
from projects.services import projects as services

PROJECTS_PER_PAGE = 25


def _run(form, action):
    """Call a service; show its error beside the field. Returns the result, or None."""
    try:
        return action()
    except services.ProjectError as error:
        show_error(form, error)
        return None


@staff_required
def project_list(request):
    def context():
        filterset = ProjectFilter(request.GET or None, queryset=project_list_queryset(request.user))
        # Paged: an organisation with hundreds of projects made this the slowest page (bench/).
        page = page_of(request, filterset.qs, PROJECTS_PER_PAGE)
        query = request.GET.copy()
        query.pop("page", None)
        return {"filter": filterset, "projects": page.object_list, "page": page, "query": query.urlencode()}

    # From the cache while nothing it shows has changed (core/fragments.py).
    return render_cached(request, "projects/project_list.html", context, title="Projects",
                         parts=[request.user.pk, request.GET.urlencode()])


@staff_required
def project_create(request):
    form = ProjectForm(request.POST or None, initial={"lead": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        project = _run(form, lambda: services.project_create(actor=request.user, team=team, **data))
        if project:
            messages.success(
                request, f"Project “{project.title}” created. Next, complete the suitability assessment."
            )
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@staff_required
def project_edit(request, pk):
    project = get_project_to_manage(request.user, pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        saved = _run(form, lambda: services.project_update(
            project_id=project.pk, actor=request.user, team=team, **data
        ))
        if saved:
            messages.success(request, "Project saved.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@staff_required
def project_suitability(request, pk):
    project = get_project_to_manage(request.user, pk)
    form = SuitabilityForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.project_update(
            project_id=project.pk, actor=request.user, **form.cleaned_data
        )):
            messages.success(request, "Suitability assessment saved.")
            return redirect("projects:suitability", pk=project.pk)
    pieces = list(project.pieces_of_work.all())
    return render(request, "projects/suitability.html", {
        "form": form, "project": project, "pieces": pieces, "gaps": suitability_gaps(project, pieces),
    })


@staff_required
@require_POST
def project_archive(request, pk):
    project = get_project_to_manage(request.user, pk)
    try:
        services.project_archive(project_id=project.pk, actor=request.user)
        messages.success(
            request, f"“{project.title}” is archived. It is kept, with its claims, for the record."
        )
    except services.ProjectError as error:
        show_error(request, error)
    return redirect("projects:detail", pk=project.pk)


@staff_required
@require_POST
def project_unarchive(request, pk):
    project = get_project_to_manage(request.user, pk)
    try:
        services.project_unarchive(project_id=project.pk, actor=request.user)
        messages.success(request, f"“{project.title}” is back in the current projects.")
    except services.ProjectError as error:
        show_error(request, error)
    return redirect("projects:detail", pk=project.pk)


# Pieces of work, milestones, budget lines and power imbalances share one shape: a form on a
# page of its own, saved by a service, then back to where the user came from.
CHILDREN = {
    "piece": (PieceOfWorkForm, "pieces_of_work", services.piece_of_work_save, "piece",
              "piece of work", "projects:suitability"),
    "milestone": (MilestoneForm, "milestones", services.milestone_save, "milestone",
                  "milestone", "projects:detail"),
    "budget_line": (BudgetLineForm, "budget_lines", services.budget_line_save, "line",
                    "budget line", "projects:detail"),
    "power_imbalance": (PowerImbalanceForm, "power_imbalances", services.power_imbalance_save, "entry",
                        "power imbalance", "projects:detail"),
}


def _child_form(request, pk, kind, child_pk=None):
    form_class, related, save, kwarg, noun, back = CHILDREN[kind]
    project = get_project_to_manage(request.user, pk)
    instance = get_object_or_404(getattr(project, related).all(), pk=child_pk) if child_pk else None
    initial = {"owner": request.user.pk} if kind == "power_imbalance" and not instance else None
    form = form_class(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _run(form, lambda: save(project=project, actor=request.user, **{kwarg: instance},
                                         **form.cleaned_data))
        if saved:
            messages.success(request, f"The {noun} is saved.")
            return redirect(back, pk=project.pk)
    return render(request, "projects/child_form.html", {
        "form": form, "project": project, "noun": noun, "instance": instance, "back": back,
    })


@staff_required
def piece_create(request, pk):
    return _child_form(request, pk, "piece")


@staff_required
def piece_edit(request, pk, child_pk):
    return _child_form(request, pk, "piece", child_pk)


@staff_required
def milestone_create(request, pk):
    return _child_form(request, pk, "milestone")


@staff_required
def milestone_edit(request, pk, child_pk):
    return _child_form(request, pk, "milestone", child_pk)


@staff_required
def budget_line_create(request, pk):
    return _child_form(request, pk, "budget_line")


@staff_required
def budget_line_edit(request, pk, child_pk):
    return _child_form(request, pk, "budget_line", child_pk)


@staff_required
def power_imbalance_create(request, pk):
    return _child_form(request, pk, "power_imbalance")


@staff_required
def power_imbalance_edit(request, pk, child_pk):
    return _child_form(request, pk, "power_imbalance", child_pk)
