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
    # Everything on the day's task, one after the other, in one letter.
    subjects, bodies = [], []
    for reminder in list(task.items.order_by("created_at", "pk")) or [task.reminder]:
        obj = subject_of(reminder) if reminder.kind in registry.KINDS else None
        kind = registry.KINDS.get(reminder.kind)
        if obj is not None and kind is not None and not kind.to_staff:
            message = channels.build_email(
                kind=reminder.kind,
                obj=obj,
                recipient=contributor,
                setting=reminder_settings()[reminder.kind],
                occasion=reminder.occasion,
            )
            subjects.append(message.subject)
            bodies.append(message.body if not bodies else _without_greeting(message.body, contributor))
    subject = "; ".join(subjects) or task.text
    body = "\n\n".join(bodies) or task.text
    return Letter(
        name=contributor.get_full_name(),
        address_lines=address,
        date=timezone.localdate(task.created_at),
        subject=subject,
        body=body,
    )


def _without_greeting(body: str, contributor) -> str:
    """The second and later messages in one letter: no second 'Hello Zoë,'."""
    greeting = f"Hello {contributor.display_name},"
    return body.strip().removeprefix(greeting).strip()
