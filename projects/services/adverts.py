"""Public adverts and applications: anyone can apply for an advertised role without an account;
staff shortlist, turn down with a reason, or offer, which makes the applicant a contributor."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contributors.models import ContributorProfile, User
from contributors.services import contributor_add_offline, contributor_invite
from core.errors import DomainError
from core.names import clean_name
from core.phones import InvalidPhone, clean_phone
from projects.models import Application, Role, ScreeningQuestion
from projects.services.roles import RoleError, offer_make, shortlist_response, turn_down_response

MAX_QUESTIONS = 10


def advert_is_open(role: Role, today=None) -> bool:
    today = today or timezone.localdate()
    live = role.advertised and role.status == Role.Status.OPEN
    return bool(live and role.closing_date and role.closing_date >= today)


@transaction.atomic
def screening_questions_set(*, role: Role, texts: list[str], actor: User) -> list[ScreeningQuestion]:
    """Replace the role's questions for applicants. Answers already given keep the wording
    they answered (each application stores its questions)."""
    texts = [" ".join(t.split()) for t in texts if t.strip()]
    if len(texts) > MAX_QUESTIONS:
        raise RoleError(
            f"Ask at most {MAX_QUESTIONS} questions: long forms put people off.", field="questions"
        )
    if any(len(t) > 500 for t in texts):
        raise RoleError("Keep each question under 500 characters.", field="questions")
    current = list(role.screening_questions.values_list("text", flat=True))
    if current == texts:
        return list(role.screening_questions.all())
    role.screening_questions.all().delete()
    return ScreeningQuestion.objects.bulk_create(
        [ScreeningQuestion(role=role, text=text, position=i) for i, text in enumerate(texts)]
    )


@transaction.atomic
def application_submit(
    *, role_id: int, name: str, contact_method: str, email: str = "", phone: str = "", address: str = "",
    statement: str, access_needs: str = "", answers: dict[int, str] | None = None,
) -> Application:
    role = Role.objects.select_for_update().filter(pk=role_id).first()
    if role is None or not advert_is_open(role):
        raise RoleError("Sorry, this advert has closed, so we cannot take applications for it now.")
    try:
        name = clean_name(name)
    except ValidationError as error:
        raise RoleError(error.messages[0], field="name") from error
    if not name:
        raise RoleError("Tell us your name.", field="name")
    if contact_method not in Application.ContactMethod.values:
        raise RoleError("Choose how we should contact you.", field="contact_method")
    email = (email or "").strip().lower()
    try:
        phone = clean_phone(phone)
    except InvalidPhone as error:
        raise RoleError(str(error), field="phone") from error
    address = (address or "").strip()
    if contact_method == Application.ContactMethod.EMAIL and not email:
        raise RoleError("Give your email address, or choose phone or post.", field="email")
    if contact_method == Application.ContactMethod.PHONE and not phone:
        raise RoleError("Give your phone number, or choose email or post.", field="phone")
    if contact_method == Application.ContactMethod.POST and not address:
        raise RoleError("Give your postal address, or choose email or phone.", field="address")
    if not statement.strip():
        raise RoleError("Tell us in a few words why you would like to do this.", field="statement")
    answers = answers or {}
    given = []
    for question in role.screening_questions.all():
        answer = (answers.get(question.pk) or "").strip()
        if not answer:
            raise RoleError(f"Please answer: {question.text}", field=f"question_{question.pk}")
        given.append({"question": question.text, "answer": answer})
    # Back and Send again, or a double click: one application.
    same = Application.objects.filter(role=role, name=name)
    how = {"email": {"email": email}, "phone": {"phone": phone}, "post": {"address": address}}
    earlier = same.filter(**how[contact_method]).first()
    if earlier:
        raise RoleError(
            f"We already have your application, sent on {timezone.localtime(earlier.created_at):%-d %B %Y}. "
            "We will be in touch."
        )
    return Application.objects.create(
        role=role, name=name, contact_method=contact_method, email=email, phone=phone, address=address,
        statement=statement.strip(), access_needs=access_needs.strip(), answers=given,
    )


def _locked(application_id: int) -> Application:
    application = (
        Application.objects.select_for_update().select_related("role").filter(pk=application_id).first()
    )
    if application is None:
        raise RoleError("We could not find that application.")
    return application


@transaction.atomic
def application_shortlist(*, application_id: int, actor: User) -> Application:
    return shortlist_response(_locked(application_id), actor=actor, what="application")


@transaction.atomic
def application_turn_down(*, application_id: int, actor: User, reason: str) -> Application:
    return turn_down_response(_locked(application_id), actor=actor, reason=reason, what="application")


@transaction.atomic
def application_offer(*, application_id: int, actor: User, base_url: str = "") -> Application:
    """Offer the role to an applicant. They become a contributor: by email they are invited to
    set a password and find the offer on their dashboard; by phone or post they are added
    without a login and the offer reaches them as a staff task (a call or a letter), staff
    recording their answer."""
    application = _locked(application_id)
    if application.status in (Application.Status.OFFERED, Application.Status.TURNED_DOWN):
        raise RoleError(f"This application is already {application.get_status_display().lower()}.")
    person = None
    if application.email:
        person = User.objects.filter(email__iexact=application.email).first()
        if person is not None and person.is_staff:
            raise RoleError(f"{application.email} belongs to a member of staff.")
    if person is None and application.contact_method == Application.ContactMethod.EMAIL:
        try:
            person = contributor_invite(
                email=application.email, name=application.name, actor=actor, base_url=base_url
            ).invitation.user
        except DomainError as error:
            raise RoleError(str(error)) from error
    elif person is None:
        person = contributor_add_offline(
            name=application.name, contact_method=application.contact_method, phone=application.phone,
            address=application.address, access_needs=application.access_needs, actor=actor,
        )
    profile, _ = ContributorProfile.objects.get_or_create(user=person)
    for field in ("phone", "address", "access_needs"):
        if not getattr(profile, field) and getattr(application, field):
            setattr(profile, field, getattr(application, field))
    profile.save()
    offer_make(role=application.role, contributor_id=person.pk, actor=actor)
    application.status = Application.Status.OFFERED
    application.contributor = person
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save(update_fields=["status", "contributor", "decided_by", "decided_at"])
    return application
