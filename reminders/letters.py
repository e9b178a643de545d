"""A message to someone who asked for post, as a letter staff print and send: their address,
today's date, the greeting and the same words the email would carry."""

from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.utils import timezone

from . import channels, registry
from .models import StaffTask


@dataclass
class Letter:
    name: str
    address_lines: list[str]
    date: object
    subject: str
    body: str
    sender: str = field(default_factory=lambda: django_settings.SITE_NAME)


def letter_for_task(task: StaffTask) -> Letter:
    from .services import reminder_settings, subject_of

    contributor = task.contributor
    profile = getattr(contributor, "profile", None)
    address = [line.strip() for line in (profile.address if profile else "").splitlines() if line.strip()]
    subject, body = task.text, task.text
    reminder = task.reminder
    obj = subject_of(reminder) if reminder.kind in registry.KINDS else None
    kind = registry.KINDS.get(reminder.kind)
    if obj is not None and kind is not None and not kind.to_staff:
        message = channels.build_email(
            kind=reminder.kind, obj=obj, recipient=contributor, setting=reminder_settings()[reminder.kind]
        )
        subject, body = message.subject, message.body
    return Letter(
        name=contributor.get_full_name(), address_lines=address,
        date=timezone.localdate(task.created_at), subject=subject, body=body,
    )
