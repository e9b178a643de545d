"""Reminders about role offers: the offer itself (and new terms), and offers left unanswered."""

from datetime import timedelta

from django.db.models import F, Q

from projects.models import RoleOffer

from ..channels import link
from ..registry import ReminderKind, register
from ..selectors import LOOK_BACK_DAYS, unique_staff

OFFER_RELATED = ("role", "role__project", "role__project__lead", "contributor", "offered_by")


def offer_context(offer) -> dict:
    return {
        "offer": offer,
        "role": offer.role,
        "project": offer.role.project,
        "url": link(("projects:offer_detail", [offer.pk])),
    }


def _offer_task(say):
    """Whoever made the offer phones or writes (else the project lead)."""

    def staff_task(offer, reach, now) -> tuple:
        maker = offer.offered_by
        return maker if maker and maker.is_active else offer.role.project.lead, f"{reach} {say(offer)}"

    return staff_task


def _offers_made(scan, lead_days):
    """An offer waiting for an answer, or an accepted role whose terms changed: once per version."""
    lead = timedelta(days=lead_days)
    return RoleOffer.objects.filter(
        Q(status=RoleOffer.Status.OFFERED)
        | Q(status=RoleOffer.Status.ACCEPTED, accepted_version__isnull=False)
        & ~Q(accepted_version=F("offered_version")),
        offered_version__created_at__lte=scan.now - lead,
        offered_version__created_at__gte=scan.now - timedelta(days=LOOK_BACK_DAYS),
        offered_at__lte=scan.now - lead,
        contributor__is_active=True,
    ).select_related(*OFFER_RELATED, "contributor__profile")


def _offer_out_of_date(offer, person, now) -> str:
    waiting = offer.status == RoleOffer.Status.OFFERED or offer.needs_reacceptance
    return "" if waiting else f"They have already answered: {offer.get_status_display().lower()}."


OFFER_MADE = register(ReminderKind(
    key="offer_made",
    label="Role offered, or its terms changed (to the contributor)",
    lead_days=0,
    lead_means="days after the offer (0: at the next scan)",
    subject="{% if offer.accepted_version_id %}New terms for your role{% else %}"
    "You have been offered a role{% endif %}: {{ offer.role.title }}",
    intro="{% if offer.accepted_version_id %}The terms of your role have changed. Your current terms stand "
    "until you accept the new ones.{% else %}You have been offered a role. Please read it and tell us "
    "whether you would like to take it. It is fine to say no.{% endif %}",
    about=RoleOffer,
    load_related=OFFER_RELATED,
    candidates=_offers_made,
    recipients=lambda offer, scan: [offer.contributor],
    occasion=lambda offer: f"version:{offer.offered_version_id}",
    context=offer_context,
    staff_task=_offer_task(
        lambda offer: f"to go through the role offered to them, '{offer.role.title}', and its terms."
    ),
    person="contributor",
    out_of_date=_offer_out_of_date,
))


def _unanswered(scan, lead_days):
    return RoleOffer.objects.filter(
        status=RoleOffer.Status.OFFERED, offered_at__lte=scan.now - timedelta(days=lead_days)
    ).select_related(*OFFER_RELATED, "contributor__profile")


OFFER_UNANSWERED_CONTRIBUTOR = register(ReminderKind(
    key="offer_unanswered_contributor",
    label="Role offer unanswered (to the contributor)",
    lead_days=7,
    lead_means="days after the offer",
    subject="Please reply to the offer: {{ offer.role.title }}",
    intro="You have been offered a role and we have not heard from you yet. Please tell us "
    "whether you would like to take it. It is fine to say no.",
    about=RoleOffer,
    load_related=OFFER_RELATED,
    candidates=lambda scan, lead_days: _unanswered(scan, lead_days).filter(contributor__is_active=True),
    recipients=lambda offer, scan: [offer.contributor],
    occasion=lambda offer: offer.offered_at.isoformat(),
    context=offer_context,
    staff_task=_offer_task(
        lambda offer: f"about the role offered to them, '{offer.role.title}': they have not answered yet."
    ),
    person="contributor",
    out_of_date=_offer_out_of_date,
))

OFFER_UNANSWERED_STAFF = register(ReminderKind(
    key="offer_unanswered_staff",
    label="Role offer unanswered (to staff)",
    lead_days=14,
    lead_means="days after the offer",
    subject="No answer yet from {{ offer.contributor.display_name }}: {{ offer.role.title }}",
    intro="A contributor has not answered a role offer for two weeks. You may want to get in "
    "touch with them or offer the role to someone else.",
    about=RoleOffer,
    load_related=OFFER_RELATED,
    candidates=_unanswered,
    recipients=lambda offer, scan: unique_staff(offer.offered_by, offer.role.project.lead),
    occasion=lambda offer: offer.offered_at.isoformat(),
    context=offer_context,
    to_staff=True,
    person="contributor",
))
