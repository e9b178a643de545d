"""How long receipt files are kept, and removing them when that time is up.

A receipt is evidence for a payment, so it is kept for RECEIPT_RETENTION_YEARS (6 by default:
HMRC can look back 6 years, and NHS and charity audit keep financial records as long) after the
end of the UK tax year (5 April) in which its claim was paid. A claim that was never paid (not
approved, withdrawn, an abandoned draft) counts from when it last changed. Claims still open
(sent, queried, approved) keep their receipts whatever their age. When the time is up the file
is deleted, and the receipt row stays, saying when and why, so the claim still shows that a
receipt was given.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import tax_year_start
from core.schedule import ensure_crontab_task

logger = logging.getLogger(__name__)

# Models are read inside the functions: the migration that makes the nightly job imports this.
TASK_NAME = "Remove expired receipt files"
TASK = "expenses.remove_expired_receipts"


def years() -> int:
    return settings.RECEIPT_RETENTION_YEARS


def kept_until(closed_on: date) -> date:
    """The last day a receipt's file is kept, for a claim paid (or closed) on `closed_on`."""
    return date(tax_year_start(closed_on).year + 1 + years(), 4, 5)


def closed_before(today: date) -> date:
    """Receipts of claims paid (or closed) before this day have been kept long enough."""
    return date(tax_year_start(today).year - years(), 4, 6)


def expired_receipts(today: date):
    from .models import Claim, Receipt

    still_open = (Claim.Status.SUBMITTED, Claim.Status.QUERIED, Claim.Status.APPROVED)
    cutoff = datetime.combine(closed_before(today), time.min, tzinfo=timezone.get_current_timezone())
    return (
        Receipt.objects.exclude(file="")
        .exclude(claim__status__in=still_open)
        .annotate(closed_at=Coalesce("claim__paid_at", "claim__updated_at", output_field=DateTimeField()))
        .filter(closed_at__lt=cutoff)
        .order_by("pk")
    )


@dataclass
class RetentionReport:
    closed_before: date
    dry_run: bool
    receipts: int = 0
    claims: set[int] = field(default_factory=set)
    bytes: int = 0

    def __str__(self) -> str:
        did = "Would remove" if self.dry_run else "Removed"
        megabytes = self.bytes / (1024 * 1024)
        return (
            f"{did} {self.receipts} receipt file(s) ({megabytes:.1f} MB) from {len(self.claims)} claim(s) "
            f"paid or closed before {self.closed_before:%-d %B %Y} ({years()}-year retention); "
            "the receipt records stay, marked as removed."
        )


def receipts_remove_expired(*, today: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete every receipt file whose retention period is over and say so on its row. Safe to
    run again and in parallel: each row is locked and checked again before its file goes."""
    today = today or timezone.localdate()
    report = RetentionReport(closed_before=closed_before(today), dry_run=dry_run)
    for candidate in expired_receipts(today).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            receipt = (
                expired_receipts(today).select_for_update(of=("self",)).filter(pk=candidate).first()
            )
            if receipt is None:
                continue  # removed by another run, or the claim was reopened
            report.receipts += 1
            report.claims.add(receipt.claim_id)
            report.bytes += receipt.size
            if dry_run:
                continue
            closed = timezone.localdate(receipt.closed_at)
            name, storage = receipt.file.name, receipt.file.storage
            receipt.file = ""
            receipt.file_removed_at = timezone.now()
            receipt.file_removed_note = (
                f"Removed on {today:%-d %B %Y}: receipts are kept until {kept_until(closed):%-d %B %Y}, "
                f"{years()} years after the end of the tax year the claim was paid or closed in."
            )
            receipt._change_reason = "File removed under the receipt retention rule"
            receipt.save(update_fields=["file", "file_removed_at", "file_removed_note"])
            # After the row says so: a crash in between leaves a file kept too long, never a
            # claim pointing at a file that is gone.
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    logger.info("Receipt retention: %s", report)
    return report


def ensure_retention_schedule(PeriodicTask=None, CrontabSchedule=None):
    """The nightly job, created by a migration; admins can change its time in the admin."""
    return ensure_crontab_task(
        name=TASK_NAME, task=TASK, minute="30", hour="3",
        description="Deletes receipt files kept longer than RECEIPT_RETENTION_YEARS after the end "
        "of the tax year their claim was paid in; the receipt records stay, marked as removed.",
        PeriodicTask=PeriodicTask, CrontabSchedule=CrontabSchedule,
    )
