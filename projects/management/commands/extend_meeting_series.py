from django.core.management.base import BaseCommand

from projects.models import MeetingSeries
from projects.services.meetings import MeetingError, MeetingWarnings
from projects.services.series import series_extend


class Command(BaseCommand):
    help = (
        "Make the next meetings of every series that has not ended, up to a year ahead (as "
        "“Make the next meetings” does, in the organiser's name). A series whose new dates bring "
        "a warning is left for its organiser to extend from the series page with a reason. Safe "
        "to run as often as you like (monthly from cron is plenty)."
    )

    def handle(self, *args, **options):
        made = 0
        for series in MeetingSeries.objects.filter(ended_at__isnull=True).select_related("organiser"):
            try:
                made += len(series_extend(actor=series.organiser, series_id=series.pk))
            except MeetingWarnings as problem:
                self.stderr.write(
                    f"“{series.title}” (series {series.pk}) not extended: {' '.join(problem.warnings)}"
                )
            except MeetingError as error:
                self.stderr.write(f"“{series.title}” (series {series.pk}) not extended: {error.message}")
        self.stdout.write(self.style.SUCCESS(f"Made {made} meeting(s)."))
