"""Before people could say how they come, "attending" was the only yes. For a meeting with no
venue (online only) that yes can only have meant online, so it says so now; elsewhere it stays
"Coming in person", the organiser's best guess until the person replies again."""

from django.db import migrations


def forwards(apps, schema_editor):
    MeetingInvitation = apps.get_model("projects", "MeetingInvitation")
    MeetingInvitation.objects.filter(reply="attending", meeting__venue="").update(reply="online")


def backwards(apps, schema_editor):
    MeetingInvitation = apps.get_model("projects", "MeetingInvitation")
    MeetingInvitation.objects.filter(reply="online").update(reply="attending")


class Migration(migrations.Migration):
    dependencies = [("projects", "0012_meeting_series_venues_feeds_replies")]

    operations = [migrations.RunPython(forwards, backwards)]
