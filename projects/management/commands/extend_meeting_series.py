from django.core.management.base import BaseCommand

from projects.services.series import series_extend_all


class Command(BaseCommand):
    help = (
        "Make the next meetings of every series that has not ended, up to a year ahead (as "
        "“Make the next meetings” does, in the organiser's name). Celery beat runs this weekly. "
        "A series whose new dates bring a warning is left for its organiser to extend from the "
        "series page with a reason. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        made, skipped = series_extend_all()
        for why in skipped:
            self.stderr.write(why)
        self.stdout.write(self.style.SUCCESS(f"Made {made} meeting(s)."))
