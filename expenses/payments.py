"""Paying a batch for real: taking out who cannot be paid by bank, and remittance emails.

Kept apart from services.py (the claim workflow) so the two change independently; every
change of a claim still goes through services (batch_remove_claim here).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from contributors.models import ContributorProfile

from . import services
from .bank_file import Reason, batch_payees
from .models import Claim, PaymentBatch, RemittanceSent, VoucherIssue

log = logging.getLogger(__name__)

# Vouchers are paid outside the bank file, so their claims stay in the batch.
TAKE_OUT = (Reason.MISSING, Reason.HELD, Reason.NO_PAYMENT)


def batch_take_out_unpayable(*, batch_id: int, actor) -> int:
    """Take out of an open batch the claims of people the bank file leaves out (no details,
    held after a change, no payment wanted): they wait for the next batch. Returns how many."""
    batch = PaymentBatch.objects.get(pk=batch_id)
    people = [p.person_id for p in batch_payees(batch) if p.reason in TAKE_OUT]
    ids = list(batch.claims.filter(contributor_id__in=people).values_list("pk", flat=True))
    for claim_id in ids:
        services.batch_remove_claim(batch_id=batch_id, claim_id=claim_id, actor=actor)
    return len(ids)


def remittances_send(*, batch_id: int) -> int:
    """One email per payee of a paid batch, listing the claims it paid; exactly once each.
    People who asked to be contacted by phone or post are told by the reminders' staff task."""
    batch = PaymentBatch.objects.get(pk=batch_id)
    if batch.status != PaymentBatch.Status.PAID:
        return 0
    sent = 0
    for payee in batch_payees(batch):
        claims = list(
            Claim.objects.filter(batch=batch, contributor_id=payee.person_id)
            .select_related("project", "contributor__profile")
            .order_by("pk")
        )
        person = claims[0].contributor
        profile = getattr(person, "profile", None)
        if person.anonymised_at or not person.email or (
            profile and profile.contact_method != ContributorProfile.ContactMethod.EMAIL
        ):
            continue
        try:
            with transaction.atomic():
                # Another worker may have got there first: only the one whose insert succeeds sends.
                RemittanceSent.objects.create(batch=batch, person=person, amount=payee.total)
        except IntegrityError:
            continue
        context = {
            "person": person, "batch": batch, "claims": claims, "payee": payee,
            "site_name": settings.SITE_NAME,
        }
        send_mail(
            f"Payment of £{payee.total:.2f}: what it was for",
            render_to_string("expenses/email/remittance.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        sent += 1
    log.info("Sent %s remittance emails for payment batch %s.", sent, batch.pk)
    return sent


def paid_to(person, *, start, end):
    """What we paid a person between two dates (by the bank date), claim by claim: for the
    "what we paid you" letter. Costs we paid to suppliers directly are not payments to them."""
    from django.db.models import Q

    return (
        Claim.objects.filter(contributor=person, status=Claim.Status.PAID, organisation_paid=False)
        .filter(Q(batch__paid_on__gte=start, batch__paid_on__lte=end))
        .select_related("project", "batch")
        .order_by("batch__paid_on", "pk")
    )


@transaction.atomic
def voucher_record(
    *, actor, person, reference: str, value, issued_on, how_sent: str, claim_ids: list[int]
) -> VoucherIssue:
    """Finance record vouchers given to someone, against the approved or paid claims they pay."""
    from django.utils import timezone

    from .pricing import to_pennies

    services._require_finance(actor)
    reference = " ".join((reference or "").split())
    if not reference:
        raise services.ClaimError("Enter the voucher code or reference.", field="reference")
    if VoucherIssue.objects.filter(reference__iexact=reference).exists():
        raise services.ClaimError(f"Vouchers {reference} are already recorded.", field="reference")
    if value is None or value <= 0:
        raise services.ClaimError("Enter the value of the vouchers, more than £0.", field="value")
    if issued_on > timezone.localdate():
        raise services.ClaimError("The date the vouchers were issued is in the future.", field="issued_on")
    if how_sent not in VoucherIssue.HowSent.values:
        raise services.ClaimError("Say how the vouchers were sent.", field="how_sent")
    claims = list(
        Claim.objects.filter(
            pk__in=claim_ids, contributor=person, organisation_paid=False,
            status__in=(Claim.Status.APPROVED, Claim.Status.PAID),
        )
    )
    if not claims or len(claims) != len(set(claim_ids)):
        raise services.ClaimError(
            "Choose the claims the vouchers pay: approved or paid claims of this person.", field="claims"
        )
    issue = VoucherIssue.objects.create(
        person=person, reference=reference, value=to_pennies(value), issued_on=issued_on,
        how_sent=how_sent, issued_by=actor,
    )
    issue.claims.set(claims)
    return issue
