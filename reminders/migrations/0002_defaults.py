from django.db import migrations

# The defaults as they were when this ran, kept here: later changes to the kinds (or the
# schedule) in the code must not change what an old migration does. Kinds added since get
# their row from the registry after migrate (reminders/apps.py).
# kind: (lead time in days, subject, opening paragraph)
DEFAULTS = {
    'meeting_week_before': (7, "Reminder: {{ meeting.title }} on {{ start|date:'l j F' }}", 'This is a reminder that you are invited to a meeting next week.'),
    'meeting_day_before': (1, "Tomorrow: {{ meeting.title }} at {{ start|time:'H:i' }}", 'This is a reminder that you are invited to a meeting tomorrow.'),
    'papers_not_sent': (7, "Papers not sent yet for {{ meeting.title }} on {{ start|date:'j F' }}", 'The papers for your meeting have not been sent to contributors yet. Sending them a week ahead gives everyone time to read them and take part.'),
    'claim_prompt': (3, 'You can claim for {{ meeting.title }}', 'Thank you for coming to the meeting. You have not made a claim for it yet. You can claim your expenses and, if you are paid for your time, payment for it.'),
    'claim_waiting_review': (5, 'A claim from {{ claim.contributor.display_name }} is waiting for review', 'A claim has been waiting for review for more than a week. The contributor is waiting for their money.'),
    'claim_not_paid': (10, 'Approved claim from {{ claim.contributor.display_name }} not paid yet', 'A claim was approved more than two weeks ago and has not been paid yet.'),
    'claim_paid': (0, 'Your claim has been paid', 'Good news: your claim has been paid.'),
    'offer_unanswered_contributor': (7, 'Please reply to the offer: {{ offer.role.title }}', 'You have been offered a role and we have not heard from you yet. Please tell us whether you would like to take it. It is fine to say no.'),
    'offer_unanswered_staff': (14, 'No answer yet from {{ offer.contributor.display_name }}: {{ offer.role.title }}', 'A contributor has not answered a role offer for two weeks. You may want to get in touch with them or offer the role to someone else.'),
}
SCAN_TASK_NAME = "Send due reminders"


def create_defaults(apps, schema_editor):
    ReminderSetting = apps.get_model("reminders", "ReminderSetting")
    for kind, (lead_days, subject, intro) in DEFAULTS.items():
        ReminderSetting.objects.get_or_create(
            kind=kind, defaults={"lead_days": lead_days, "subject": subject, "intro": intro}
        )
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SCAN_TASK_NAME,
        defaults={
            "task": "reminders.scan_due_reminders",
            "interval": every,
            "enabled": True,
            "description": "Finds reminders that are due and queues each one to be sent once. "
            "Change how often here; switch single kinds of reminder off under Reminder settings.",
        },
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCAN_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
