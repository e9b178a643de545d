from itertools import chain

from allauth.account.utils import perform_login
from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import contributor_required, staff_required
from core.csv import csv_response
from core.errors import show_error
from core.fragments import render_cached
from core.pagination import page_of
from core.search import search_terms

from .forms import (
    PAYMENT_NOTE,
    AddOfflineContributorForm,
    BreakForm,
    ErasureRequestForm,
    GiveLoginForm,
    InviteContributorForm,
    MonitoringForm,
    PoolSearchForm,
    ProfileForm,
    SetPasswordForm,
)
from .models import AccessFeature, BankDetails, ContributorProfile, EqualityMonitoring, ErasureRequest
from .selectors import (
    contributor_for_staff,
    contributor_pool,
    invitation_by_token,
    involvement_rows,
    reach_report,
)
from .services import (
    InvitationError,
    PersonError,
    break_set,
    check_invitation_usable,
    contributor_add_offline,
    contributor_give_login,
    contributor_invite,
    email_address_sync,
    erasure_request_create,
    invitation_accept,
    monitoring_save,
    monitoring_withdraw,
    profile_update,
)


@staff_required
@require_http_methods(["GET", "POST"])
def invite_contributor(request):
    form = InviteContributorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = contributor_invite(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                actor=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except InvitationError as error:
            show_error(form, error, field="email")
        else:
            messages.success(
                request,
                f"Invitation sent to {sent.invitation.email}. The link works once, for 14 days.",
            )
            return redirect("contributors:invite")
    return render(request, "contributors/invite.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = invitation_by_token(token)
    try:
        check_invitation_usable(invitation)
    except InvitationError as error:
        return render(
            request, "contributors/invitation_unusable.html", {"reason": error.message}, status=410
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        except InvitationError as error:
            return render(
                request, "contributors/invitation_unusable.html", {"reason": error.message}, status=410
            )
        else:
            # Through allauth's login flow like every other sign-in (its records and, should the
            # account have one, the two-factor step).
            response = perform_login(request, user, redirect_url=reverse("home"))
            if request.user.is_authenticated:
                messages.success(request, "Your password is set and you are logged in. Welcome!")
            return response
    return render(
        request, "contributors/invitation_accept.html", {"form": form, "invitation": invitation}
    )


class AccountEmailView(EmailView):
    """allauth's page for changing one's email address, after bringing allauth's record in line
    with the login (accounts made in the admin, or before this rule, may lack it). An address
    becomes the login only from the link sent to it, never by "make primary"."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            email_address_sync(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "action_primary" in request.POST:
            messages.error(
                request,
                "A new address becomes the one you log in with when you follow the link we "
                "emailed to it.",
            )
            return redirect("account_email")
        return super().post(request, *args, **kwargs)


account_email = login_required(AccountEmailView.as_view())


# --- profile, pool, reach report, monitoring, data protection (contributors issue) ---
@contributor_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    instance, _ = ContributorProfile.objects.get_or_create(user=user)
    form = ProfileForm(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            profile_update(
                actor=user,
                name=form.cleaned_data["name"],
                preferred_name=form.cleaned_data["preferred_name"],
                profile_data=data,
                availability=form.clean_availability(request.POST.getlist("availability")),
            )
        except PersonError as error:
            show_error(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("contributors:profile")
    grid = form.availability_grid(request.POST if request.method == "POST" else None)
    return render(
        request,
        "contributors/profile.html",
        {"form": form, "availability_grid": grid, "payment_note": PAYMENT_NOTE},
    )


@staff_required
@require_GET
def pool(request):
    def context():
        search = PoolSearchForm(request.GET or None)
        terms = search_terms(search.cleaned_data["q"] if search.is_valid() else "")
        query = terms.text
        page = page_of(request, contributor_pool(search=query), 25)
        erasure_waiting = ErasureRequest.objects.filter(status=ErasureRequest.Status.OPEN).count()
        return {
            "search": search, "query": query, "search_note": terms.note, "page": page,
            "erasure_waiting": erasure_waiting,
        }

    # From the cache while nothing it shows has changed (core/fragments.py).
    return render_cached(request, "contributors/pool.html", context, title="Contributors",
                         parts=[request.user.pk, request.GET.urlencode()])


@staff_required
@require_GET
def person_detail(request, pk):
    person = contributor_for_staff(pk=pk)
    finance = request.user.is_finance or request.user.is_superuser
    bank_details = BankDetails.objects.filter(user=person).first() if finance else None
    profile = getattr(person, "profile", None)
    needs = [AccessFeature(c).label for c in (profile.access_features_needed if profile else ()) or ()
             if c in AccessFeature.values]
    return render(
        request, "contributors/person_detail.html",
        {"person": person, "bank_details": bank_details, "access_features_needed": needs},
    )


@staff_required
@require_GET
def reach_report_view(request):
    def context():
        report = reach_report()
        chart_rows = [
            {"label": label, "count": count, "percent": percent, "y": 10 + index * 36, "width": percent * 3}
            for index, (label, count, percent) in enumerate(report.buckets)
        ]
        return {"report": report, "chart_rows": chart_rows, "chart_height": 20 + 36 * len(chart_rows)}

    # The same for every member of staff: one pass over everyone's involvement a minute at most,
    # and again after any change (core/fragments.py).
    return render_cached(request, "contributors/reach_report.html", context, title="Reach report")


@staff_required
@require_GET
def reach_report_csv(request):
    """Everyone's involvement, most involved first: the whole list the page shows the top of."""
    rows = (
        (person.name, person.email, person.recent_roles, person.recent_meetings, person.recent_total)
        for person in involvement_rows()
    )
    header = [("Contributor", "Email", "Roles", "Meetings attended", "Total")]
    return csv_response(chain(header, rows), "involvement.csv")


@contributor_required
@require_http_methods(["GET", "POST"])
def monitoring(request):
    instance = EqualityMonitoring.objects.filter(user=request.user).first()
    form = MonitoringForm(request.POST or None, instance=instance)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        monitoring_withdraw(actor=request.user)
        messages.success(request, "Your equality monitoring answers have been deleted.")
        return redirect("contributors:monitoring")
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_save(
                actor=request.user, consent=form.cleaned_data["consent"], answers=form.cleaned_data
            )
        except PersonError as error:
            show_error(form, error, field="consent")
        else:
            messages.success(request, "Thank you. Your answers are saved, and kept apart from your profile.")
            return redirect("contributors:monitoring")
    return render(
        request, "contributors/monitoring.html", {"form": form, "has_answers": instance is not None}
    )


@contributor_required
@require_http_methods(["GET", "POST"])
def erasure_request(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request_create(actor=request.user, reason=form.cleaned_data["reason"])
        except PersonError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                "We have your request to erase your data. An administrator will do it and contact you. "
                "Records of payments we must keep by law stay, without your name.",
            )
        return redirect("contributors:erasure_request")
    open_request = ErasureRequest.objects.filter(user=request.user, status=ErasureRequest.Status.OPEN).first()
    return render(request, "contributors/erasure_request.html", {"form": form, "open_request": open_request})


# --- people without email (issue 15) ---
@staff_required
@require_http_methods(["GET", "POST"])
def add_offline(request):
    form = AddOfflineContributorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = contributor_add_offline(actor=request.user, **form.cleaned_data)
        except PersonError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                f"{person.name} is in the pool. Staff record their answers and enter their claims; "
                "messages to them become tasks on the staff dashboard.",
            )
            return redirect("contributors:person_detail", pk=person.pk)
    return render(request, "contributors/add_offline.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def give_login(request, pk):
    person = contributor_for_staff(pk=pk)
    form = GiveLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = contributor_give_login(
                user=person, email=form.cleaned_data["email"], actor=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except PersonError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {sent.invitation.email}. Everything already recorded for "
                f"{person.name} stays with their account.",
            )
            return redirect("contributors:person_detail", pk=person.pk)
    return render(request, "contributors/give_login.html", {"form": form, "person": person})


@contributor_required
@require_http_methods(["GET", "POST"])
def taking_a_break(request):
    profile, _ = ContributorProfile.objects.get_or_create(user=request.user)
    form = BreakForm(request.POST or None, initial={"until": profile.break_until, "note": profile.break_note})
    if request.method == "POST" and request.POST.get("action") == "end":
        break_set(user=request.user, until=None, actor=request.user)
        messages.success(request, "Welcome back. You can be suggested for roles again.")
        return redirect("contributors:profile")
    if request.method == "POST" and form.is_valid():
        try:
            break_set(
                user=request.user, until=form.cleaned_data["until"], note=form.cleaned_data["note"],
                actor=request.user,
            )
        except PersonError as error:
            show_error(form, error)
        else:
            until = form.cleaned_data["until"]
            messages.success(
                request, f"Enjoy your break. We will not offer you roles before {until:%-d %B %Y}."
            )
            return redirect("contributors:profile")
    return render(request, "contributors/taking_a_break.html", {"form": form, "profile": profile})
