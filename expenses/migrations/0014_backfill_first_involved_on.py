"""Fill in each person's first involvement (contributors/involvement.py) from the claims and
meetings already recorded: the earliest of an attended meeting that was not cancelled (its local
day) and a line of an approved or paid claim. Here, not in contributors/, because it reads
claims and meetings; the services keep it from now on."""

from django.db import migrations
from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least, TruncDate


def backfill(apps, schema_editor):
    User = apps.get_model("contributors", "User")
    ClaimLine = apps.get_model("expenses", "ClaimLine")
    MeetingInvitation = apps.get_model("projects", "MeetingInvitation")
    claimed = Subquery(
        ClaimLine.objects.filter(claim__contributor_id=OuterRef("pk"), claim__status__in=("approved", "paid"))
        .order_by("date")
        .values("date")[:1],
        output_field=DateField(),
    )
    attended = Subquery(
        MeetingInvitation.objects.filter(
            contributor_id=OuterRef("pk"), attended=True, meeting__cancelled_at__isnull=True
        )
        .order_by("meeting__start")
        .annotate(day=TruncDate("meeting__start"))
        .values("day")[:1],
        output_field=DateField(),
    )
    User.objects.update(first_involved_on=Least(Coalesce(claimed, attended), Coalesce(attended, claimed)))


class Migration(migrations.Migration):
    dependencies = [
        ("contributors", "0009_first_involved_on"),
        ("expenses", "0013_fixed_fees"),
        ("projects", "0012_outcomes_actions_feedback"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
