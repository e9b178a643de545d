"""Re-seal every person's bank details under the newest key in BANK_DETAILS_KEYS.

Rotating the key: put the new key first in BANK_DETAILS_KEYS (keep the old one after it),
restart, run this command, then remove the old key and restart again.
"""

from django.core.management.base import BaseCommand

from contributors.bank_details import bank_details_reseal_all


class Command(BaseCommand):
    help = "Re-encrypt all bank details under the newest key in BANK_DETAILS_KEYS."

    def handle(self, *args, **options):
        count = bank_details_reseal_all()
        self.stdout.write(f"Re-sealed the bank details of {count} people under the newest key.")
