"""This app's copies of a person, erased when they are (registered in apps.py; see
contributors/erasure.py): the subjects of messages to them and to staff about their claims and
offers, errors that quote their address, their name in messages to a group they were in, and
the tasks to phone or write to them, which are
written again without their details and closed. The rows stay: they are what makes each
reminder go out once."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from contributors.erasure import Erasure, scrub_admin_log, scrub_rows

from . import channels, registry
from .models import GroupMessage, ReminderSent, StaffTask
from .services import subject_of

NOT_SENT = "Not sent: this person's data was erased."


def erase_person(erasure: Erasure) -> None:
    person = erasure.person
    ReminderSent.objects.filter(recipient=person, status=ReminderSent.Status.SENDING).update(
        status=ReminderSent.Status.FAILED, last_error=NOT_SENT
    )
    about_them = Q(recipient=person) | Q(staff_task__contributor=person) | Q(task__contributor=person)
    # Messages to staff about their claims and offers: each kind says whom its subject is about.
    for model, path in dict.fromkeys((kind.about, kind.person) for kind in registry.kinds() if kind.person):
        ids = model.objects.filter(**{path: person}).values_list("pk", flat=True)
        about_them |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
    reminders = ReminderSent.objects.filter(about_them)

    tasks = StaffTask.objects.filter(contributor=person).select_related("reminder")
    for task in tasks:
        # Each thing on the task written again from what it was about, now that the person has
        # no name or phone; then the task from its things.
        items = list(task.items.order_by("created_at", "pk")) or [task.reminder]
        texts = []
        for item in items:
            obj = subject_of(item)
            text = item.message_subject or task.text
            if obj is not None and item.kind in registry.KINDS:
                _assignee, text = channels.staff_task_for(
                    kind=item.kind, obj=obj, contributor=person, now=item.created_at
                )
            text = erasure.scrub(text)
            texts.append(text)
            ReminderSent.objects.filter(pk=item.pk, channel=ReminderSent.Channel.STAFF_TASK).update(
                message_subject=text
            )
        text = erasure.scrub(channels.bundle_text(channels.reach(person), texts))
        StaffTask.objects.filter(pk=task.pk).update(text=text)
    # Nobody should phone or write to them any more.
    tasks.filter(done_at__isnull=True).update(done_at=erasure.at, done_by=erasure.by)
    scrub_rows(erasure, reminders, ["message_subject", "last_error"])
    # Messages to a group they were in, or about a project they took part in: the words are
    # shared with the others, so only what identifies them goes ("Zoë is chairing").
    received = ReminderSent.objects.filter(recipient=person, kind="group_message").values("object_id")
    their_projects = set(person.role_offers.values_list("role__project_id", flat=True)) | set(
        person.meeting_invitations.values_list("meeting__project_id", flat=True)
    )
    messages = GroupMessage.objects.filter(Q(pk__in=received) | Q(project_id__in=their_projects))
    scrub_rows(erasure, messages, ["subject", "body"], shared=True)
    copies = ReminderSent.objects.filter(kind="group_message", object_id__in=messages.values("pk"))
    scrub_rows(erasure, copies, ["message_subject"], shared=True)
    scrub_admin_log(erasure, ReminderSent, reminders.values_list("pk", flat=True))
    scrub_admin_log(erasure, StaffTask, tasks.values_list("pk", flat=True))
