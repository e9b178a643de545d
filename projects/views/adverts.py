"""Public adverts (no login) and staff handling of applications: thin views over
services.adverts and selectors.roles."""

from allauth.core import ratelimit
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import staff_required
from core.errors import show_error
from core.fragments import render_cached
from core.pagination import page_of
from projects.forms.roles import ApplicationForm, TurnDownForm
from projects.models import Application, Role
from projects.selectors.access import projects_managed_by
from projects.selectors.roles import public_adverts
from projects.services import adverts as services
from projects.services.roles import RoleError

TOO_MANY = (
    "We have had several applications from your connection in the last hour, so we cannot take "
    "another just now. Please try again in an hour, or apply by phone or post (see below)."
)


@require_GET
def advert_list(request):
    # The same for every visitor: one copy per page of the list (core/fragments.py).
    return render_cached(
        request, "projects/adverts/list.html", lambda: {"page": page_of(request, public_adverts(), 20)},
        title="Get involved: roles open to everyone", parts=[request.GET.urlencode()],
    )


def _advert(pk) -> tuple[Role, bool]:
    role = get_object_or_404(Role.objects.select_related("project"), pk=pk, advertised=True)
    return role, services.advert_is_open(role)


@require_GET
def advert_detail(request, pk):
    role, is_open = _advert(pk)
    return render(
        request, "projects/adverts/detail.html", {"role": role, "is_open": is_open},
        status=200 if is_open else 410,
    )


@require_http_methods(["GET", "POST"])
def advert_apply(request, pk):
    role, is_open = _advert(pk)
    if not is_open:
        return render(request, "projects/adverts/detail.html", {"role": role, "is_open": False}, status=410)
    questions = list(role.screening_questions.all())
    form = ApplicationForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A robot filled the hidden field: it is thanked and nothing is kept.
            return redirect("projects:advert_thanks", pk=role.pk)
        if not ratelimit.consume(request, action="apply_for_role"):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            data = {k: form.cleaned_data[k] for k in (
                "name", "contact_method", "email", "phone", "address", "statement", "access_needs"
            )}
            try:
                services.application_submit(role_id=role.pk, answers=form.answers(), **data)
            except RoleError as error:
                show_error(form, error)
            else:
                return redirect("projects:advert_thanks", pk=role.pk)
    return render(
        request, "projects/adverts/apply.html", {"role": role, "form": form}, status=status
    )


@require_GET
def advert_thanks(request, pk):
    role = get_object_or_404(Role, pk=pk, advertised=True)
    return render(request, "projects/adverts/thanks.html", {"role": role})


def _application_to_manage(user, pk) -> Application:
    return get_object_or_404(
        Application.objects.filter(role__project__in=projects_managed_by(user)).select_related("role"), pk=pk
    )


@staff_required
@require_POST
def application_shortlist(request, pk):
    application = _application_to_manage(request.user, pk)
    try:
        services.application_shortlist(application_id=application.pk, actor=request.user)
    except RoleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{application.name} is on the shortlist.")
    return redirect("projects:role_interests", pk=application.role_id)


@staff_required
@require_POST
def application_offer(request, pk):
    application = _application_to_manage(request.user, pk)
    try:
        application = services.application_offer(
            application_id=application.pk, actor=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except RoleError as error:
        messages.error(request, str(error))
    else:
        how = (
            "We have emailed them a link to set a password; the offer waits on their dashboard."
            if application.contact_method == "email"
            else "They have no login: a task to call or write to them appears at the next reminder scan, "
            "and you record their answer on the role page."
        )
        messages.success(request, f"Offer made to {application.name}. {how}")
    return redirect("projects:role_interests", pk=application.role_id)


@staff_required
@require_http_methods(["GET", "POST"])
def application_turn_down(request, pk):
    application = _application_to_manage(request.user, pk)
    form = TurnDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_turn_down(
                application_id=application.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RoleError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{application.name} was not selected. The reason is recorded.")
            return redirect("projects:role_interests", pk=application.role_id)
    return render(
        request, "projects/adverts/turn_down.html", {"form": form, "application": application}
    )
