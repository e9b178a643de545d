"""This app's copies of a person, erased when they are (registered in apps.py; see
contributors/erasure.py). Claims, lines, amounts and batches stay, so the accounts still add
up: only the words that identify the person go (in the claim, its lines, the conversation,
the receipts' file names, and every earlier version kept by the audit trail). Receipt files
are kept for the retention period, like the rest of the financial record."""

import os

from contributors.erasure import Erasure, scrub_admin_log, scrub_rows
from expenses.models import Claim, ClaimEvent, ClaimLine, PaymentBatch, Receipt


def erase_person(erasure: Erasure) -> None:
    claims = Claim.objects.filter(contributor=erasure.person)
    lines = ClaimLine.objects.filter(claim__in=claims)
    receipts = Receipt.objects.filter(claim__in=claims)
    events = ClaimEvent.objects.filter(claim__in=claims)
    scrub_rows(erasure, claims, ["rejection_reason"])
    scrub_rows(erasure, lines, ["description", "pricing_note"])
    scrub_rows(erasure, events, ["comment"])
    # A file name is often the person's name ("Zoe OBrien taxi.jpg") in a spelling no rule
    # would catch: each becomes "receipt-12.jpg", in every version too.
    for pk, name in receipts.values_list("pk", "original_name"):
        renamed = f"receipt-{pk}{os.path.splitext(name)[1].lower()}"
        Receipt.objects.filter(pk=pk).update(original_name=renamed)
        Receipt.history.filter(id=pk).update(original_name=renamed)
    batches = PaymentBatch.objects.filter(claims__in=claims).distinct()
    scrub_rows(erasure, batches, ["reference"], shared=True)
    for model, rows in ((Claim, claims), (ClaimLine, lines), (Receipt, receipts)):
        scrub_admin_log(erasure, model, rows.values_list("pk", flat=True))
    scrub_admin_log(erasure, PaymentBatch, batches.values_list("pk", flat=True), shared=True)
