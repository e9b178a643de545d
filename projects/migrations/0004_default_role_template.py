"""Seed one good default role description template (issue 4). Admins can edit it."""

from django.db import migrations

DEFAULT = {
    "name": "Public contributor (default)",
    "purpose": (
        "To bring your own experience, as a patient, carer or member of the public, into this "
        "project so that what we plan and deliver works for the people who use it."
    ),
    "activities": (
        "Reading short papers before meetings (sent at least a week ahead).\n"
        "Taking part in meetings, in person or online, and saying what you think.\n"
        "Commenting on plans, leaflets or questions, by email, post or phone if you prefer.\n"
        "Helping us decide what to change, and telling us when we have got it wrong."
    ),
    "time_commitment": (
        "About 2 hours a month: one meeting of up to 2 hours, plus up to 1 hour of reading. "
        "You can say no to any meeting."
    ),
    "length_of_involvement": (
        "From the start date to the end date shown on this role. You can stop at any time; "
        "just tell us."
    ),
    "payment_details": (
        "We pay for your time at the national public involvement rate (NIHR): the hourly rate for "
        "meetings and preparation, or the half-day or day rate for longer sessions. We also pay "
        "travel (mileage at the HMRC rate, or public transport fares), parking, and the cost of a "
        "carer or support worker if you need one. You can choose to be paid, to take vouchers, or "
        "to claim expenses only."
    ),
    "how_to_claim": (
        "After each meeting, log in and choose \"Claim expenses\", or ask us to fill in a claim "
        "with you by phone. Keep receipts (a photo is fine). We aim to pay within 30 days and you "
        "can see in the app when your claim will be paid."
    ),
    "support_offered": (
        "A named contact in the project team you can call or email. A welcome chat before you "
        "start. Papers in large print, easy read or by post on request. Step-free venues, a "
        "hearing loop, breaks, and help with getting online. Travel booked and paid for by us if "
        "you would rather not pay upfront."
    ),
    "is_default": True,
}


def add_default(apps, schema_editor):
    RoleTemplate = apps.get_model("projects", "RoleTemplate")
    if not RoleTemplate.objects.filter(is_default=True).exists():
        RoleTemplate.objects.create(**DEFAULT)


def remove_default(apps, schema_editor):
    RoleTemplate = apps.get_model("projects", "RoleTemplate")
    RoleTemplate.objects.filter(name=DEFAULT["name"], is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_role_terms"),
    ]

    operations = [migrations.RunPython(add_default, remove_default)]
