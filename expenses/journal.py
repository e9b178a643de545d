"""Journal lines for the ledger: what a payment batch (or a tax year's payments) cost, by
nominal code, cost centre and project, from each claim line's budget line.

Amounts are the claim lines' own (rounded once per line when priced), so a batch's journal adds
up to the batch's total to the penny. A line with no budget line keeps an empty nominal code and
cost centre, for finance to see and book.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import F, Q, Sum
from django.utils import timezone

from .models import Claim, ClaimLine, PaymentBatch

JOURNAL_HEADER = ["date", "nominal", "cost centre", "project", "amount", "reference"]


def batch_reference(batch_id: int) -> str:
    return f"CP{batch_id}"


def _rows(lines, *, chunk_size: int):
    return (
        lines.values(
            "claim__batch_id",
            "claim__batch__paid_on",
            nominal=F("budget_line__nominal_code"),
            cost_centre=F("budget_line__cost_centre"),
            project=F("claim__project__title"),
        )
        .annotate(amount=Sum("amount"))
        .order_by("claim__batch_id", "nominal", "cost_centre", "project")
        .iterator(chunk_size=chunk_size)
    )


def batch_journal_rows(batch: PaymentBatch, *, chunk_size: int = 2000) -> Iterator[list]:
    """The batch's journal; dated the bank date once paid, today while it waits."""
    yield JOURNAL_HEADER
    on = batch.paid_on or timezone.localdate()
    for row in _rows(ClaimLine.objects.filter(claim__batch=batch), chunk_size=chunk_size):
        yield [
            on.isoformat(), row["nominal"] or "", row["cost_centre"] or "", row["project"],
            f"{row['amount']:.2f}", batch_reference(batch.pk),
        ]


def yearly_journal_rows(*, start: date, end: date, chunk_size: int = 2000) -> Iterator[list]:
    """Every batch paid in the tax year (by the bank date, as the yearly totals), in journal lines.
    Costs the organisation paid directly are left out, as in the yearly totals."""
    yield JOURNAL_HEADER
    lines = ClaimLine.objects.filter(
        Q(claim__batch__paid_on__gte=start, claim__batch__paid_on__lte=end),
        claim__status=Claim.Status.PAID,
        claim__organisation_paid=False,
    )
    for row in _rows(lines, chunk_size=chunk_size):
        yield [
            row["claim__batch__paid_on"].isoformat(), row["nominal"] or "", row["cost_centre"] or "",
            row["project"], f"{row['amount']:.2f}", batch_reference(row["claim__batch_id"]),
        ]
