from django.core.management.base import BaseCommand

from expenses import retention


class Command(BaseCommand):
    help = (
        "Delete receipt files kept longer than RECEIPT_RETENTION_YEARS after the end of the UK tax "
        "year their claim was paid (or closed) in, keeping each receipt record marked as removed. "
        "Celery beat runs the same every night; --dry-run only says what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Remove nothing; say what would go.")

    def handle(self, *args, dry_run=False, **options):
        report = retention.receipts_remove_expired(dry_run=dry_run)
        self.stdout.write(self.style.SUCCESS(str(report)))
