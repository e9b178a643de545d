"""Writes about people: invitations and accounts."""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import ContributorProfile, Invitation, User


class InvitationError(Exception):
    """An invitation cannot be used; the message says why in plain words."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class SentInvitation:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return reverse("contributors:invitation_accept", kwargs={"token": self.token})


@transaction.atomic
def contributor_invite(
    *, email: str, name: str = "", invited_by: User, base_url: str = ""
) -> SentInvitation:
    """Create (or find) the contributor's account and email them a one-time link."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name)
    elif user.is_staff:
        raise InvitationError(f"{email} already has a staff account.")
    elif user.has_usable_password():
        raise InvitationError(f"{email} already has an account. They can log in or reset their password.")
    ContributorProfile.objects.get_or_create(user=user)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        user=user,
        token_hash=hash_token(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + settings.INVITATION_VALID_FOR,
    )
    sent = SentInvitation(invitation=invitation, token=token)
    context = {
        "user": user,
        "invited_by": invited_by,
        "link": f"{base_url}{sent.path}",
        "expires_at": invitation.expires_at,
        "site_name": settings.SITE_NAME,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to join {settings.SITE_NAME}",
            message=render_to_string("contributors/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return sent


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the password once. Raises InvitationError for a used, expired or unknown link."""
    invitation = (
        Invitation.objects.select_for_update().select_related("user").filter(
            token_hash=hash_token(token)
        ).first()
    )
    check_invitation_usable(invitation)
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    # Any other open invitations for the same person are now spent too.
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=invitation.accepted_at
    )
    return user


def check_invitation_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationError(
            "This invitation link is not valid. Check you copied the whole link from the email, "
            "or ask the person who invited you to send a new one."
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            "This invitation has already been used. Log in with your email address and password, "
            "or reset your password if you have forgotten it."
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation has expired: links last 14 days. Ask the person who invited you "
            "to send a new one."
        )
