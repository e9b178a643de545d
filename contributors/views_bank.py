"""Bank details pages: the person's own, and finance's for someone who does not use the web."""

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import contributor_required, finance_required
from core.errors import show_error

from .bank_details import BankDetailsError, bank_details_confirm, bank_details_of, bank_details_save
from .forms_bank import BankDetailsForm, ConfirmChangeForm
from .selectors import contributor_for_staff

PASSWORD_AGAIN = (
    "For your safety, enter your password again before changing bank details. Then enter the "
    "details again: we do not keep what was typed."
)


def _needs_password(request) -> bool:
    try:
        reauthentication_required(lambda r: None)(request)
    except ReauthenticationRequired:
        return True
    return False


def password_again(view):
    """allauth's re-authentication before the page opens. A form sent after that has lapsed is
    dropped rather than parked in the session (as allauth would), so bank details are never
    stored anywhere but sealed: the person re-enters them after their password."""

    @reauthentication_required
    def guarded(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and _needs_password(request):
            messages.warning(request, PASSWORD_AGAIN)
            return redirect(request.path)
        return guarded(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _save(request, *, person, form, done_url):
    try:
        bank_details_save(
            person=person,
            actor=request.user,
            method=form.cleaned_data["method"],
            account_name=form.cleaned_data["account_name"],
            sort_code=form.cleaned_data["sort_code"],
            account_number=form.cleaned_data["account_number"],
        )
    except BankDetailsError as error:
        show_error(form, error)
        return None
    messages.success(request, "The bank details are saved. We have emailed the account's address to say so.")
    return redirect(done_url)


@contributor_required
@password_again
@require_http_methods(["GET", "POST"])
def my_bank_details(request):
    details = bank_details_of(request.user)
    initial = {"method": details.method} if details else None
    form = BankDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = "contributors:my_bank_details"
        if response := _save(request, person=request.user, form=form, done_url=done):
            return response
    return render(
        request, "contributors/bank_details.html", {"form": form, "details": details, "person": None}
    )


@finance_required
@password_again
@require_http_methods(["GET", "POST"])
def person_bank_details(request, pk):
    person = contributor_for_staff(pk=pk)
    details = bank_details_of(person)
    initial = {"method": details.method} if details else None
    form = BankDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = redirect("contributors:person_bank_details", pk=person.pk).url
        if response := _save(request, person=person, form=form, done_url=done):
            return response
    return render(
        request,
        "contributors/bank_details.html",
        {"form": form, "details": details, "person": person, "confirm_form": ConfirmChangeForm()},
    )


@require_POST
@finance_required
def confirm_bank_change(request, pk):
    person = contributor_for_staff(pk=pk)
    form = ConfirmChangeForm(request.POST)
    if form.is_valid():
        try:
            bank_details_confirm(person=person, actor=request.user, note=form.cleaned_data["note"])
        except BankDetailsError as error:
            show_error(request, error)
        else:
            messages.success(request, f"The change is confirmed: {person}'s payments are no longer held.")
    else:
        messages.error(request, "Say who you spoke to and on which number.")
    return redirect("contributors:person_bank_details", pk=person.pk)
