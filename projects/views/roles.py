"""Roles, opportunities, interest and offers: thin views over services.roles and selectors.roles."""

from urllib.parse import quote_plus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import contributor_required, staff_required
from core.errors import show_error
from core.fragments import render_cached
from core.search import search_terms
from projects.forms.roles import (
    FindPersonForm,
    InterestForm,
    OfferMakeForm,
    RoleCreateForm,
    RoleForm,
    StepDownForm,
    TurnDownForm,
)
from projects.models import ExpressionOfInterest
from projects.selectors.access import projects_managed_by
from projects.selectors.roles import (
    applications_for_role,
    can_manage_role,
    get_offer_for_contributor,
    get_offer_to_manage,
    get_role_for_user,
    get_role_to_manage,
    interests_for_role,
    my_interest,
    my_offer,
    offers_for_role,
    open_roles,
    people_to_offer,
    suggested_contributors,
)
from projects.services import roles as services
from projects.services.adverts import screening_questions_set
from projects.services.roles import RoleError
from projects.workflow import allowed_actions

OPPORTUNITIES_PER_PAGE = 25


@login_required
@require_GET
def opportunities(request):
    # Paged, with only what a card shows: at 2,000 open roles the whole list was 530 KB (bench/).
    def context():
        terms = search_terms(request.GET.get("q", ""))
        roles = open_roles().order_by("end_date", "title", "pk").only(
            "title", "time_commitment", "end_date", "project__title"
        )
        for word in terms.words:
            roles = roles.filter(Q(title__icontains=word) | Q(project__title__icontains=word))
        page = Paginator(roles, OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
        query = f"q={quote_plus(terms.text)}" if terms.words else ""
        return {"roles": page.object_list, "page": page, "q": terms.text, "query": query,
                "search_note": terms.note}

    # The same for everyone who may open it, so one copy per search and page (core/fragments.py).
    return render_cached(request, "projects/roles/opportunities.html", context, title="Opportunities",
                         parts=[request.GET.urlencode()])


@login_required
@require_GET
def role_detail(request, pk):
    role = get_role_for_user(request.user, pk)
    offer = my_offer(request.user, role)
    version = offer.offered_version if offer else services.current_version(role)
    manage = request.user.is_staff and can_manage_role(request.user, role)
    context = {
        "role": role,
        "description": version.description if version else services.role_description(role),
        "version": version,
        "manage": manage,
        "my_interest": my_interest(request.user, role),
        "my_offer": offer,
        "interest_form": InterestForm(),
    }
    if manage:
        offers = list(offers_for_role(role))
        for offer in offers:
            offer.answered_by_staff = services.answers_recorded_by_staff(offer.contributor)
            offer.can = allowed_actions(offer, request.user)  # which buttons its row shows
        context["offers"] = offers
        find = FindPersonForm(request.GET or None)
        query = find.cleaned_data["find"] if find.is_valid() else ""
        context.update(find_form=find, find_query=query, found=people_to_offer(role=role, search=query))
        context["suggestions"] = suggested_contributors(role=role)
        context["versions"] = role.versions.order_by("-number")
    return render(request, "projects/roles/role_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def role_create(request, project_pk):
    project = get_object_or_404(projects_managed_by(request.user), pk=project_pk)
    form = RoleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create_from_template(
                project=project, actor=request.user, **form.cleaned_data
            )
        except RoleError as error:
            show_error(form, error)
        else:
            messages.success(
                request, "Role created as a draft from the template. Check every part, then open it."
            )
            return redirect("projects:role_edit", pk=role.pk)
    return render(request, "projects/roles/role_create.html", {"form": form, "project": project})


@staff_required
@require_http_methods(["GET", "POST"])
def role_edit(request, pk):
    role = get_role_to_manage(request.user, pk)
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with transaction.atomic():
                _, version = services.role_update(role=role, actor=request.user, **changes)
                screening_questions_set(
                    role=role, texts=form.cleaned_data["questions"].splitlines(), actor=request.user
                )
        except RoleError as error:
            show_error(form, error)
        else:
            if version and version.number > 1:
                messages.success(
                    request,
                    f"Saved as version {version.number}. Anyone who accepted earlier terms keeps them "
                    "until they accept the new ones.",
                )
            else:
                messages.success(request, "The role is saved.")
            return redirect("projects:role_detail", pk=role.pk)
    return render(request, "projects/roles/role_edit.html", {"form": form, "role": role})


@staff_required
@require_GET
def role_interests(request, pk):
    role = get_role_to_manage(request.user, pk)
    return render(
        request,
        "projects/roles/role_interests.html",
        {
            "role": role, "interests": interests_for_role(role), "turn_down_form": TurnDownForm(),
            "applications": applications_for_role(role),
        },
    )


@contributor_required
@require_http_methods(["GET", "POST"])
def express_interest(request, pk):
    role = get_role_for_user(request.user, pk)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_express(
                role=role, actor=request.user, statement=form.cleaned_data["statement"]
            )
        except RoleError as error:
            show_error(form, error, field="statement")
        else:
            messages.success(request, "Thank you. We have your expression of interest and will let you know.")
            return redirect("projects:role_detail", pk=role.pk)
    return render(request, "projects/roles/express_interest.html", {"form": form, "role": role})


def _interest_to_manage(user, pk) -> ExpressionOfInterest:
    return get_object_or_404(
        ExpressionOfInterest.objects.filter(role__project__in=projects_managed_by(user)), pk=pk
    )


@staff_required
@require_POST
def interest_shortlist(request, pk):
    interest = _interest_to_manage(request.user, pk)
    try:
        services.interest_shortlist(interest_id=interest.pk, actor=request.user)
    except RoleError as error:
        show_error(request, error)
    else:
        messages.success(request, f"{interest.contributor} is on the shortlist.")
    return redirect("projects:role_interests", pk=interest.role_id)


@staff_required
@require_http_methods(["GET", "POST"])
def interest_turn_down(request, pk):
    interest = _interest_to_manage(request.user, pk)
    form = TurnDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_turn_down(
                interest_id=interest.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RoleError as error:
            show_error(form, error, field="reason")
        else:
            messages.success(request, f"{interest.contributor} was not selected. The reason is recorded.")
            return redirect("projects:role_interests", pk=interest.role_id)
    return render(request, "projects/roles/interest_turn_down.html", {"form": form, "interest": interest})


@staff_required
@require_POST
def offer_make(request, pk):
    role = get_role_to_manage(request.user, pk)
    form = OfferMakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "We could not find that contributor. Choose someone from the list.")
    else:
        try:
            offer = services.offer_make(
                role=role, contributor_id=form.cleaned_data["contributor"], actor=request.user
            )
        except RoleError as error:
            show_error(request, error)
        else:
            messages.success(
                request, f"Offer made to {offer.contributor}. They will see it on their dashboard."
            )
    target = "projects:role_interests" if request.POST.get("next") == "interests" else "projects:role_detail"
    return redirect(target, pk=role.pk)


@login_required
@require_GET
def offer_detail(request, pk):
    if request.user.is_staff:
        raise PermissionDenied("Offers are answered by the contributor.")
    offer = get_offer_for_contributor(request.user, pk)
    acceptances = offer.acceptances.select_related("version").order_by("accepted_at")
    context = {"offer": offer, "acceptances": acceptances, "can": allowed_actions(offer, request.user)}
    return render(request, "projects/roles/offer_detail.html", context)


@contributor_required
@require_POST
def offer_respond(request, pk):
    offer = get_offer_for_contributor(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            version = request.POST.get("version")
            services.offer_accept(
                offer_id=offer.pk,
                actor=request.user,
                version_number=int(version) if (version or "").isdigit() else None,
            )
            messages.success(
                request, "You have accepted this role. Thank you! The terms you accepted are kept here."
            )
        elif action == "decline":
            leaving = offer.needs_reacceptance
            services.offer_decline(offer_id=offer.pk, actor=request.user)
            messages.success(
                request,
                "You said no to the new terms, so you have left this role."
                if leaving
                else "You have declined this offer. Thank you for letting us know.",
            )
        else:
            messages.error(request, "Choose accept or decline.")
    except RoleError as error:
        show_error(request, error)
    return redirect("projects:offer_detail", pk=offer.pk)


@staff_required
@require_POST
def offer_withdraw(request, pk):
    offer = get_offer_to_manage(request.user, pk)
    try:
        services.offer_withdraw(offer_id=offer.pk, actor=request.user)
    except RoleError as error:
        show_error(request, error)
    else:
        messages.success(request, "The offer is withdrawn.")
    return redirect("projects:role_detail", pk=offer.role_id)



@staff_required
@require_POST
def offer_answer_record(request, pk):
    """Staff record the answer someone gave by phone or post."""
    offer = get_offer_to_manage(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    if request.POST.get("answer") not in ("accept", "decline"):
        messages.error(request, "Choose accepted or declined.")
        return redirect("projects:role_detail", pk=offer.role_id)
    try:
        services.offer_answer_record(offer_id=offer.pk, accept=accept, actor=request.user)
    except RoleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Recorded: {offer.contributor} {'accepted' if accept else 'declined'} the role "
            f"(version {offer.offered_version.number} of the terms).",
        )
    return redirect("projects:role_detail", pk=offer.role_id)


@login_required
@require_http_methods(["GET", "POST"])
def step_down(request, pk):
    """The contributor leaves a role they hold; staff record it for someone without a login."""
    if request.user.is_staff:
        offer = get_offer_to_manage(request.user, pk)
        if not services.answers_recorded_by_staff(offer.contributor):
            raise PermissionDenied("This person uses the site: they step down themselves.")
    else:
        offer = get_offer_for_contributor(request.user, pk)
    form = StepDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_step_down(offer_id=offer.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except RoleError as error:
            show_error(form, error)
        else:
            if request.user.is_staff:
                messages.success(request, f"Recorded: {offer.contributor} stepped down from this role.")
                return redirect("projects:role_detail", pk=offer.role_id)
            messages.success(
                request, "You have stepped down from this role. Thank you for everything you did."
            )
            return redirect("projects:offer_detail", pk=offer.pk)
    return render(request, "projects/roles/step_down.html", {"form": form, "offer": offer})
