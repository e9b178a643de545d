"""Reminders: per-kind settings, a record of every reminder sent (exactly once) and the
tasks staff do by hand for contributors who asked for a phone call or a letter."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils import timezone

from . import registry


def validate_template_text(text: str) -> None:
    """Admins edit subjects and openings with {{ ... }} parts: a typo must not stop sending."""
    try:
        Template(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(f"There is a mistake in a {{{{ }}}} or {{% %}} part: {exc}") from exc


class ReminderSetting(models.Model):
    kind = models.CharField(max_length=40, choices=registry.kind_choices, unique=True)
    enabled = models.BooleanField("send this reminder", default=True)
    lead_days = models.PositiveSmallIntegerField(
        "lead time (days)",
        help_text="What the days count (before or after, working days or all days) is said beside "
        "each reminder.",
    )
    subject = models.CharField(
        "email subject",
        max_length=200,
        validators=[validate_template_text],
        help_text="You can use {{ meeting.title }}, {{ start }}, {{ claim.contributor.display_name }}, "
        "{{ offer.role.title }} where they apply.",
    )
    intro = models.TextField("opening paragraph", validators=[validate_template_text])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "reminder setting"

    def __str__(self):
        return self.get_kind_display()


class ReminderSent(models.Model):
    """One reminder to one person about one thing on one occasion. The unique constraint is
    what makes 'exactly once' hold across scans, beat processes and retried tasks."""

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed to send"
        # A call or letter no longer worth making when it came to be given to staff (the
        # meeting already answered, the claim already made): the reason is in last_error.
        SKIPPED = "skipped", "Not needed any more"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        STAFF_TASK = "staff_task", "Task for staff (phone or post)"
        SMS = "sms", "Text message"

    kind = models.CharField(max_length=40, choices=registry.kind_choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    # "<app>.<model>:<id>", so the key is one indexed string whatever the object.
    subject_key = models.CharField(max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_received"
    )
    # Which occasion: e.g. the meeting's start, so a moved meeting gets a new reminder.
    occasion = models.CharField(max_length=100)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_subject = models.CharField("subject", max_length=300, blank=True)
    # The scan that inserted the row: lets a scan find exactly the rows it claimed.
    claim_token = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    # For a call or a letter: the day's task for this person that lists it with the rest.
    task = models.ForeignKey(
        "StaffTask", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient", "occasion"], name="reminder_sent_once"
            )
        ]
        indexes = [models.Index(fields=["status", "last_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"

    @property
    def key(self) -> tuple:
        return (self.kind, self.subject_key, self.recipient_id, self.occasion)


class StaffTask(models.Model):
    """'Call Zoë about Thursday's meeting and her claim': everything to tell one person on one
    day, delivered by a member of staff. Each thing is a ReminderSent row (its `items`), sent
    once; the task bundles them so staff make one call, not eight."""

    # The reminder that opened the task (the first of its items).
    reminder = models.OneToOneField(ReminderSent, on_delete=models.CASCADE, related_name="staff_task")
    # The day it is for (local date). Tasks made before bundling have none.
    day = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_tasks"
    )
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_tasks_about"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "created_at", "id"]
        indexes = [models.Index(fields=["assigned_to", "done_at"])]
        constraints = [
            # Two reminders for the same person delivered at once by two workers: one task.
            models.UniqueConstraint(
                fields=["contributor", "day"],
                condition=models.Q(done_at__isnull=True),
                name="one_open_staff_task_per_person_and_day",
            )
        ]

    def __str__(self):
        return self.text


class GroupMessage(models.Model):
    """A message staff send to a group: everyone holding a role on a project, everyone invited
    to a meeting, or people they choose. Each person's copy is a ReminderSent row (kind
    "group_message"), sent in their own way, once: the same constraint as every reminder."""

    class Audience(models.TextChoices):
        ROLE_HOLDERS = "role_holders", "Everyone holding a role on the project"
        INVITED = "invited", "Everyone invited to the meeting"
        CHOSEN = "chosen", "The people I choose"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="group_messages")
    meeting = models.ForeignKey(
        "projects.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="group_messages"
    )
    audience = models.CharField(max_length=15, choices=Audience.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField("message")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The form's own id: the same form sent twice (a double click, Back and send again) finds
    # this message instead of making a second one.
    form_token = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject
