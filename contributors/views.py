from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import staff_required
from .forms import InviteContributorForm, SetPasswordForm
from .selectors import invitation_by_token
from .services import InvitationError, check_invitation_usable, contributor_invite, invitation_accept


@staff_required
@require_http_methods(["GET", "POST"])
def invite_contributor(request):
    form = InviteContributorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = contributor_invite(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except InvitationError as error:
            form.add_error("email", str(error))
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
            request, "contributors/invitation_unusable.html", {"reason": str(error)}, status=410
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        except InvitationError as error:
            return render(
                request, "contributors/invitation_unusable.html", {"reason": str(error)}, status=410
            )
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your password is set and you are logged in. Welcome!")
            return redirect("home")
    return render(
        request, "contributors/invitation_accept.html", {"form": form, "invitation": invitation}
    )
