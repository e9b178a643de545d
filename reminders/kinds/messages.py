"""Messages staff send to a group (reminders/models.GroupMessage). Not found by the scan: the
send service claims one row per person at once, and each goes out in the person's way."""

from ..channels import link
from ..models import GroupMessage
from ..registry import ReminderKind, register

TASK_BODY_LIMIT = 600


def message_context(message) -> dict:
    return {
        "message": message,
        "project": message.project,
        "meeting": message.meeting,
        "sender": message.sent_by,
        "url": link(("reminders:message", [message.pk])),
    }


def _message_task(message, reach, now) -> tuple:
    body = " ".join(message.body.split())
    if len(body) > TASK_BODY_LIMIT:
        body = body[: TASK_BODY_LIMIT - 1] + "…"
    return message.sent_by, f"{reach} to pass on the message '{message.subject}': {body}"


GROUP_MESSAGE = register(ReminderKind(
    key="group_message",
    label="A message from staff",
    lead_days=0,
    lead_means="days (not used: sent when staff send it)",
    subject="{{ message.subject }}",
    intro="{{ sender.display_name }} has sent you a message about {{ project.title }}.",
    about=GroupMessage,
    load_related=("project", "meeting", "sent_by"),
    candidates=lambda scan, lead_days: GroupMessage.objects.none(),
    recipients=lambda message, scan: [],
    occasion="message",
    context=message_context,
    staff_task=_message_task,
    text=lambda message, context: f"{message.subject}. {' '.join(message.body.split())}",
))
