"""Seed rates: HMRC approved mileage rates, and EXAMPLE involvement rates that an admin must
confirm against current national guidance (organisations set their own)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

HMRC = "HMRC approved mileage allowance payments"
EXAMPLE = "Example figures in the style of NIHR public involvement rates: confirm before use"
EXAMPLE_RAISED = "Example figures, 10% higher from 16 December 2025 (as NIHR did): confirm before use"

RATES = [
    # kind, amount, effective_from, needs_confirmation, source
    ("mileage_car", "0.45", date(2011, 4, 6), False, HMRC),
    ("mileage_car_over_10000", "0.25", date(2011, 4, 6), False, HMRC),
    ("mileage_motorcycle", "0.24", date(2011, 4, 6), False, HMRC),
    ("mileage_bicycle", "0.20", date(2011, 4, 6), False, HMRC),
    ("time_hours", "25.00", date(2020, 4, 6), True, EXAMPLE),
    ("time_half_day", "75.00", date(2020, 4, 6), True, EXAMPLE),
    ("time_day", "150.00", date(2020, 4, 6), True, EXAMPLE),
    ("time_hours", "27.50", date(2025, 12, 16), True, EXAMPLE_RAISED),
    ("time_half_day", "82.50", date(2025, 12, 16), True, EXAMPLE_RAISED),
    ("time_day", "165.00", date(2025, 12, 16), True, EXAMPLE_RAISED),
]


def seed(apps, schema_editor):
    Rate = apps.get_model("expenses", "Rate")
    for kind, amount, effective_from, needs_confirmation, source in RATES:
        Rate.objects.get_or_create(
            kind=kind,
            effective_from=effective_from,
            defaults={"amount": Decimal(amount), "needs_confirmation": needs_confirmation, "source": source},
        )


def unseed(apps, schema_editor):
    Rate = apps.get_model("expenses", "Rate")
    for kind, _amount, effective_from, _n, _s in RATES:
        Rate.objects.filter(kind=kind, effective_from=effective_from).delete()


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
