from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import contributors.demo
import expenses.demo
import projects.demo
from contributors.involvement import first_involvement_refresh

LOGINS = [
    ("admin", "admin@example.org"),
    ("staff", "staff@example.org"),
    ("contributor", "contributor@example.org"),
]


class Command(BaseCommand):
    help = "Create demo users and data once; running it again changes nothing."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG=true: it creates known passwords.")
        with transaction.atomic():
            people = contributors.demo.seed()
            people.update(projects.demo.seed(people))
            expenses.demo.seed(people)
            # The demo's claims and meetings are made directly: each person's first
            # involvement (contributors/involvement.py) is worked out once, as the backfill does.
            first_involvement_refresh(None)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000 as:"))
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<12} {email:<28} password: {contributors.demo.DEMO_PASSWORD}")
