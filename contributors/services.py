"""Writes about people: invitations and accounts."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.names import clean_name

from .models import BankDetails, ContributorProfile, Invitation, User

# A second invitation to the same person within this time is the same form sent again.
RESEND_AFTER = timedelta(minutes=10)


class InvitationError(DomainError):
    """An invitation cannot be used; the message says why in plain words."""


EMAIL_TAKEN = (
    "This email address is already used by another account. Use a different address, or ask "
    "the staff who work with you if you think this is wrong."
)


@transaction.atomic
def email_address_sync(*, user: User):
    """Make allauth's record of the person's address the same as their login (User.email):
    allauth reads both, so they must never disagree. The login address is the account's one
    main, confirmed address (staff set it, or the person confirmed it from the emailed link).
    Besides it a person may have one unconfirmed address they asked to change to: it counts for
    nothing until they follow the link sent to it."""
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.select_for_update().filter(user=user))
    if not user.email:  # reached by phone or post: no address, no login
        EmailAddress.objects.filter(user=user).delete()
        return None
    email = user.email.strip().lower()
    current = next((a for a in addresses if a.email.lower() == email), None)
    # Old main addresses go first: one main address per account is a database constraint.
    stale = [a.pk for a in addresses if a is not current and (a.primary or a.verified)]
    EmailAddress.objects.filter(pk__in=stale).delete()
    if current is None:
        current = EmailAddress(user=user, email=email)
    if current.pk is None or not (current.primary and current.verified) or current.email != email:
        current.email, current.primary, current.verified = email, True, True
        current.save()
    return current


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
    *, email: str, name: str = "", actor: User, base_url: str = ""
) -> SentInvitation:
    """Create (or find) the contributor's account and email them a one-time link."""
    from .selectors import email_held_by_another

    name = clean_name(name)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None and email_held_by_another(email):
        raise InvitationError(f"{email} is already used by another account.")
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, name=name)
        except IntegrityError:  # the same form sent twice at once: the other one invited them
            raise InvitationError(f"An invitation to {email} is already on its way.") from None
    elif user.is_staff:
        raise InvitationError(f"{email} already has a staff account.")
    elif user.has_usable_password():
        raise InvitationError(f"{email} already has an account. They can log in or reset their password.")
    now = timezone.now()
    recent = Invitation.objects.filter(
        user=user, accepted_at__isnull=True, created_at__gte=now - RESEND_AFTER
    ).first()
    if recent is not None:
        # Back and Send again, or a double click: one email, one link.
        raise InvitationError(
            f"An invitation was sent to {email} at {timezone.localtime(recent.created_at):%H:%M}; "
            f"its link works until {timezone.localtime(recent.expires_at):%-d %B}. To send a new "
            "link, wait a few minutes and try again."
        )
    ContributorProfile.objects.get_or_create(user=user)
    email_address_sync(user=user)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        user=user,
        token_hash=hash_token(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + settings.INVITATION_VALID_FOR,
    )
    sent = SentInvitation(invitation=invitation, token=token)
    context = {
        "user": user,
        "invited_by": actor,
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


# --- profiles, monitoring, data protection (contributors issue) ---
class PersonError(DomainError):
    """A change to a person cannot be made."""


PROFILE_FIELDS = (
    "phone", "address", "contact_method", "access_needs", "access_features_needed", "interests",
    "lived_experience", "payment_preference", "usual_travel_mode", "usual_journey_miles",
    "payment_limit", "payment_limit_period", "over_limit", "accepts_texts",
)


def _check_contact(user: User, profile: ContributorProfile, *, you: bool = True) -> None:
    """The one rule for how a person is reached, for their own profile and for staff."""
    from core.phones import InvalidPhone, can_take_texts, clean_phone

    try:
        profile.phone = clean_phone(profile.phone)
    except InvalidPhone as error:
        raise PersonError(str(error), field="phone") from error
    method = profile.contact_method
    if method == ContributorProfile.ContactMethod.PHONE and not profile.phone:
        raise PersonError(
            "You asked us to phone you: please give a phone number." if you
            else "To be contacted by phone they need a phone number.", field="phone",
        )
    if method == ContributorProfile.ContactMethod.POST and not profile.address.strip():
        raise PersonError(
            "You asked us to write to you: please give a postal address." if you
            else "To be contacted by post they need a postal address.", field="address",
        )
    if method == ContributorProfile.ContactMethod.EMAIL and not user.email:
        raise PersonError(
            "There is no email address to write to: choose phone or post.", field="contact_method"
        )
    if profile.accepts_texts and not can_take_texts(profile.phone):
        raise PersonError(
            "Texts need a mobile phone number. Give one, or untick text messages.", field="phone"
        )


@transaction.atomic
def contributor_add_offline(
    *, name: str, contact_method: str, phone: str = "", address: str = "", access_needs: str = "",
    interests: str = "", lived_experience: str = "", actor: User,
) -> User:
    """A contributor with no email address and no login, whom staff reach by phone or post and
    act for (record their answers, enter their claims). They can be given a login later."""
    if not actor.is_staff:
        raise PersonError("Only staff add contributors.")
    try:
        name = clean_name(name)
    except ValidationError as error:
        raise PersonError(error.messages[0], field="name") from error
    if not name:
        raise PersonError("Give the person's full name.", field="name")
    if contact_method not in (ContributorProfile.ContactMethod.PHONE, ContributorProfile.ContactMethod.POST):
        raise PersonError("Choose phone or post.", field="contact_method")
    user = User(email=None, name=name)
    profile = ContributorProfile(
        contact_method=contact_method, phone=phone, address=address.strip(),
        access_needs=access_needs.strip(), interests=interests.strip(),
        lived_experience=lived_experience.strip(),
    )
    _check_contact(user, profile, you=False)
    # Back and Save again, or a double click: the same person is not added twice.
    same = ContributorProfile.objects.select_for_update().filter(
        user__name=name, user__email__isnull=True, user__anonymised_at__isnull=True,
        phone=profile.phone, address=profile.address,
    ).first()
    if same is not None:
        raise PersonError(
            f"{name} is already in the pool with these contact details (added "
            f"{timezone.localtime(same.user.date_joined):%-d %B %Y}).", field="name",
        )
    user.set_unusable_password()
    user.save()
    profile.user = user
    profile.save()
    return user


@transaction.atomic
def contributor_give_login(*, user: User, email: str, actor: User, base_url: str = "") -> SentInvitation:
    """Give someone who had no email address a login: the address is added and an invitation
    sent. Their roles, claims and messages stay theirs: it is the same person."""
    from .selectors import email_held_by_another

    if not actor.is_staff:
        raise PersonError("Only staff give a contributor a login.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_staff or user.anonymised_at or not user.is_active:
        raise PersonError("This person cannot be given a login here.")
    if user.email:
        raise PersonError(f"{user.get_full_name()} already has the address {user.email}.", field="email")
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise PersonError("Give their email address.", field="email")
    if email_held_by_another(email, user=user):
        raise PersonError(EMAIL_TAKEN, field="email")
    user.email = email
    user.save(update_fields=["email"])
    try:
        return contributor_invite(email=email, name=user.name, actor=actor, base_url=base_url)
    except InvitationError as error:
        raise PersonError(str(error), field="email") from error



@transaction.atomic
def profile_update(
    *, actor: User, name: str, preferred_name: str, profile_data: dict, availability: set[tuple[int, str]]
) -> ContributorProfile:
    """Save a contributor's own profile and replace their availability with the ticked slots."""
    from .models import Availability

    if actor.is_staff:
        raise PersonError("Staff do not have a contributor profile.")
    if actor.anonymised_at:
        raise PersonError("This person's data has been removed.")
    try:
        actor.name = clean_name(name)
    except ValidationError as error:
        raise PersonError(error.messages[0], field="name") from error
    try:
        actor.preferred_name = clean_name(preferred_name)
    except ValidationError as error:
        raise PersonError(error.messages[0], field="preferred_name") from error
    actor.save(update_fields=["name", "preferred_name"])
    profile, _ = ContributorProfile.objects.select_for_update().get_or_create(user=actor)
    for field in PROFILE_FIELDS:
        if field in profile_data:
            setattr(profile, field, profile_data[field])
    if profile.payment_preference == ContributorProfile.PaymentPreference.LIMITED and not (
        profile.payment_limit and profile.payment_limit > 0
    ):
        raise PersonError(
            "You chose to be paid up to a limit: enter the most we should pay you, more than £0.",
            field="payment_limit",
        )
    _check_contact(actor, profile)
    profile.save()
    current = set(profile.availability.values_list("weekday", "part_of_day"))
    wanted = {(int(w), str(p)) for w, p in availability}
    for weekday, part in current - wanted:
        profile.availability.filter(weekday=weekday, part_of_day=part).delete()
    Availability.objects.bulk_create(
        [Availability(profile=profile, weekday=w, part_of_day=p) for w, p in sorted(wanted - current)]
    )
    return profile


@transaction.atomic
def monitoring_save(*, actor: User, consent: bool, answers: dict):
    """Keep someone's equality monitoring answers, only with their consent."""
    from .models import EqualityMonitoring

    if not consent:
        raise PersonError(
            "Please tick the box to say you agree to us keeping these answers, or leave this page: "
            "answering is optional."
        )
    if actor.is_staff:
        raise PersonError("Equality monitoring is for public contributors.")
    allowed = {name: answers.get(name, "") for name in EqualityMonitoring.REPORTED_FIELDS}
    monitoring, created = EqualityMonitoring.objects.select_for_update().get_or_create(
        user=actor, defaults={"consent_given_at": timezone.now(), **allowed}
    )
    if not created:
        for name, value in allowed.items():
            setattr(monitoring, name, value)
        monitoring.consent_given_at = timezone.now()
        monitoring.save()
    return monitoring


@transaction.atomic
def monitoring_withdraw(*, actor: User) -> None:
    """Delete someone's monitoring answers: withdrawing consent removes them, not just hides them."""
    from .models import EqualityMonitoring

    EqualityMonitoring.objects.filter(user=actor).delete()


@transaction.atomic
def erasure_request_create(*, actor: User, reason: str = ""):
    from .models import ErasureRequest

    User.objects.select_for_update().get(pk=actor.pk)  # two clicks at once make one request
    open_request = ErasureRequest.objects.filter(user=actor, status=ErasureRequest.Status.OPEN).first()
    if open_request:
        raise PersonError(
            f"You already asked us to erase your data on {open_request.requested_at:%d %B %Y}. "
            "We will contact you when it is done."
        )
    return ErasureRequest.objects.create(user=actor, reason=reason.strip())


@transaction.atomic
def person_anonymise(*, user: User, actor: User) -> User:
    """Remove a person's personal data everywhere but keep the row, because claims and
    payments that must be kept (on_delete=PROTECT) point at it and must still add up. This
    app's copies are removed here; every other app's by the erasers registered in
    contributors/erasure.py. Records who did it and when."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .erasure import Erasure, delete_rows, erase_everywhere, identity_of, scrub_admin_log, set_rows
    from .models import Availability, EqualityMonitoring, ErasureRequest

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at:
        raise PersonError(f"This person's data was already removed on {user.anonymised_at:%d %B %Y}.")
    if user.is_superuser:
        raise PersonError("Admin accounts cannot be anonymised here. Remove their admin rights first.")
    now = timezone.now()
    emails = [
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        *Invitation.objects.filter(user=user).values_list("email", flat=True),
    ]
    identity = identity_of(user, extra_emails=emails)

    # set_rows and delete_rows reach the audit trail's earlier versions too, for any of these
    # models that keeps one.
    set_rows(
        User.objects.filter(pk=user.pk),
        name=f"Former contributor #{user.pk}",
        preferred_name="",
        email=f"former-contributor-{user.pk}@anonymised.invalid",
        last_login=None,
    )
    user.refresh_from_db()
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_finance = False
    user.anonymised_at = now
    user.anonymised_by = actor
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    profile = ContributorProfile.objects.filter(user=user).first()
    if profile:
        delete_rows(Availability.objects.filter(profile=profile))
        set_rows(
            ContributorProfile.objects.filter(pk=profile.pk),
            phone="", address="", access_needs="", access_features_needed=[], interests="",
            lived_experience="", usual_travel_mode="",
            usual_journey_miles=None, contact_method=ContributorProfile.ContactMethod.EMAIL,
            accepts_texts=False, break_until=None, break_note="",
        )
    delete_rows(EqualityMonitoring.objects.filter(user=user))
    delete_rows(BankDetails.objects.filter(user=user))  # nobody pays a closed account
    set_rows(Invitation.objects.filter(user=user), email=user.email)
    EmailAddress.objects.filter(user=user).delete()  # allauth's copies (and their confirmations)
    Authenticator.objects.filter(user=user).delete()  # two-factor secrets and recovery codes
    _sessions_end(user, emails=identity["emails"])
    requests = ErasureRequest.objects.filter(user=user)
    set_rows(requests.exclude(reason=""), reason="(removed when the data was erased)")
    requests.filter(status=ErasureRequest.Status.OPEN).update(
        status=ErasureRequest.Status.DONE, handled_at=now, handled_by=actor
    )
    erasure = Erasure(person=user, by=actor, at=now, **identity)
    scrub_admin_log(erasure, User, [user.pk])
    if profile:
        scrub_admin_log(erasure, ContributorProfile, [profile.pk])
    scrub_admin_log(erasure, Invitation, Invitation.objects.filter(user=user).values_list("pk", flat=True))
    scrub_admin_log(erasure, ErasureRequest, requests.values_list("pk", flat=True))
    erase_everywhere(erasure)
    return user


def _sessions_end(user: User, *, emails) -> None:
    """Log the person out everywhere and drop what sessions held about them (a login code
    waiting to be typed, the address it was sent to). Sessions are kept in the database as
    signed data, so each is read to find theirs."""
    import json
    from importlib import import_module

    from django.contrib.sessions.models import Session

    if not settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        return  # kept elsewhere: the unusable password already ends them at the next request

    def theirs(data: dict) -> bool:
        if str(data.get("_auth_user_id")) == str(user.pk):
            return True
        text = json.dumps(data, default=str).lower()
        return any(email in text for email in emails)

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = [s.session_key for s in Session.objects.iterator() if theirs(s.get_decoded())]
    for key in ended:
        store(session_key=key).delete()  # the cached copy too


@transaction.atomic
def break_set(*, user: User, until, note: str = "", actor: User) -> ContributorProfile:
    """Taking a break until a date (None ends it): until then the person is not suggested for
    roles nor offered them. Staff may set it for someone they act for."""
    if actor.pk != user.pk and not actor.is_staff:
        raise PersonError("Only the person themselves, or staff, can change this.")
    if user.is_staff:
        raise PersonError("Staff do not have a contributor profile.")
    if until is not None and until <= timezone.localdate():
        raise PersonError("Choose a date after today, or end the break.", field="until")
    profile, _ = ContributorProfile.objects.select_for_update().get_or_create(user=user)
    profile.break_until = until
    profile.break_note = note.strip() if until else ""
    profile.save(update_fields=["break_until", "break_note", "updated_at"])
    return profile
