"""Writes: the scan that claims due reminders, and delivering one reminder exactly once."""

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError

from . import channels, registry, selectors, sms
from .models import ReminderSent, ReminderSetting, StaffTask
from .selectors import BATCH_SIZE, Due, Scan, channel_for, find_due, texts_to

logger = logging.getLogger(__name__)

# A reminder still "sending" after this long lost its worker (killed, or cron interrupted):
# the next scan queues it again. Sending re-checks the row under a lock, so never twice.
STUCK_AFTER = timedelta(hours=1)


class ReminderError(DomainError):
    pass


class ScanResult(Counter):
    """How many reminders were claimed per kind; `ids` are the rows to send (new and stuck)."""

    def __init__(self):
        super().__init__()
        self.ids: list[int] = []

    def __missing__(self, kind: str) -> int:
        registry.get(kind)  # a kind that does not exist is a mistake, not zero reminders
        return 0


def create_missing_settings(setting_model=ReminderSetting, using: str = "default") -> None:
    """A settings row for every kind that has none yet, from the kind's defaults: admins then
    change it. Made after every migrate and whenever one is missing, so a new kind needs no
    data migration. Rows that exist are never changed."""
    have = set(setting_model.objects.using(using).values_list("kind", flat=True))
    missing = [kind for kind in registry.kinds() if kind.key not in have]
    if missing:
        setting_model.objects.using(using).bulk_create(
            [
                setting_model(kind=kind.key, lead_days=kind.lead_days, subject=kind.subject, intro=kind.intro)
                for kind in missing
            ],
            ignore_conflicts=True,  # another process may be making them at this moment
        )


def reminder_settings() -> dict[str, ReminderSetting]:
    """Every kind's setting; any missing row is created from the defaults first."""
    found = {s.kind: s for s in ReminderSetting.objects.all()}
    if any(kind.key not in found for kind in registry.kinds()):
        create_missing_settings()
        found = {s.kind: s for s in ReminderSetting.objects.all()}
    return found


def _enqueue_with_celery(reminder_id: int) -> None:
    from .tasks import send_reminder

    try:
        send_reminder.delay(reminder_id)
    except Exception:  # the broker (Redis) is down: kombu's OperationalError, or the client's own
        # Nothing was queued, so give the claim back: the next scan after Redis returns claims
        # it again and sends it once. A row some worker already touched is left alone.
        logger.warning("Could not queue reminder %s; the next scan retries it.", reminder_id, exc_info=True)
        ReminderSent.objects.filter(
            pk=reminder_id, status=ReminderSent.Status.SENDING, attempts=0, sent_at__isnull=True
        ).delete()


def scan_due_reminders(
    *,
    now=None,
    batch_size: int = BATCH_SIZE,
    enqueue: Callable[[int], None] | None = None,
    only: list[str] | None = None,
) -> ScanResult:
    """Find every reminder that is due, claim it, and queue one send for each. Returns how many
    were claimed per kind. Safe to run any number of times, in parallel too."""
    now = now or timezone.now()
    enqueue = enqueue or _enqueue_with_celery
    kinds = [registry.get(key) for key in only] if only else registry.kinds()
    settings = reminder_settings()
    scan = Scan(now=now, settings=settings)
    counts = ScanResult()
    counts.ids.extend(requeue_stuck(enqueue=enqueue))
    for kind in kinds:
        if not settings[kind.key].enabled:
            continue
        for dues in find_due(kind, settings=settings, now=now, batch_size=batch_size, scan=scan):
            claimed = claim_batch(dues, enqueue=enqueue, now=now)
            counts[kind.key] += len(claimed)
            counts.ids.extend(claimed)
    return counts


def claim_batch(dues: list[Due], *, enqueue: Callable[[int], None], now=None) -> list[int]:
    """Insert one ReminderSent row per due reminder. The unique constraint decides who sends:
    a row that already exists (an earlier scan, or another scan right now) is skipped by the
    database (ON CONFLICT DO NOTHING), and only the rows carrying this scan's token are ours.
    Four queries whatever the size of the batch."""
    if not dues:
        return []
    now = now or timezone.now()
    keys = {due.key for due in dues}
    existing = set(
        ReminderSent.objects.filter(
            kind__in={k[0] for k in keys}, subject_key__in={k[1] for k in keys}
        ).values_list("kind", "subject_key", "recipient_id", "occasion")
    )
    token = uuid.uuid4()
    rows, seen = [], set(existing)
    for due in dues:
        if due.key in seen:
            continue
        seen.add(due.key)
        rows.append(
            ReminderSent(
                kind=due.kind,
                content_type=ContentType.objects.get_for_model(due.obj),
                object_id=due.obj.pk,
                subject_key=due.subject_key,
                recipient=due.recipient,
                occasion=due.occasion,
                channel=channel_for(due.recipient),
                claim_token=token,
                created_at=now,
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        ReminderSent.objects.bulk_create(rows, ignore_conflicts=True)
        claimed = list(ReminderSent.objects.filter(claim_token=token).values_list("pk", flat=True))
        for pk in claimed:
            transaction.on_commit(partial(enqueue, pk))
    return claimed


def requeue_stuck(*, enqueue: Callable[[int], None]) -> list[int]:
    cutoff = timezone.now() - STUCK_AFTER
    stuck = list(
        ReminderSent.objects.filter(status=ReminderSent.Status.SENDING, created_at__lt=cutoff)
        .exclude(last_attempt_at__gte=cutoff)
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    for pk in stuck:
        transaction.on_commit(partial(enqueue, pk))
    return stuck


def subject_of(reminder: ReminderSent):
    """What the reminder is about, with what sending needs; None once deleted (or when its
    kind is no longer declared)."""
    kind = registry.KINDS.get(reminder.kind)
    if kind is None:
        return None
    return kind.about.objects.select_related(*kind.load_related).filter(pk=reminder.object_id).first()


def deliver_reminder(*, reminder_id: int) -> str:
    """Send one claimed reminder. Under a row lock: a reminder already sent (a re-delivered
    task, a second copy queued by the stuck-row check) is not sent again. A mail-server error
    is raised after being recorded, so the task retries it."""
    with transaction.atomic():
        reminder = ReminderSent.objects.select_for_update().get(pk=reminder_id)
        if reminder.status != ReminderSent.Status.SENDING:
            return reminder.status
        known = reminder.kind in registry.KINDS
        obj = subject_of(reminder)
        recipient = reminder.recipient
        now = timezone.now()
        reminder.attempts += 1
        reminder.last_attempt_at = now
        if not known:
            reminder.status = ReminderSent.Status.FAILED
            reminder.last_error = "This kind of reminder is no longer sent."
        elif obj is None:
            reminder.status = ReminderSent.Status.FAILED
            reminder.last_error = "What this reminder was about has been deleted, so it was not sent."
        elif reminder.channel == ReminderSent.Channel.STAFF_TASK:
            reason = out_of_date(reminder.kind, obj, recipient, now)
            if reason:
                # Nothing to tell them any more: no call for it (kept, with why, for the admins).
                reminder.status, reminder.last_error = ReminderSent.Status.SKIPPED, reason
            else:
                assignee, text = channels.staff_task_for(
                    kind=reminder.kind, obj=obj, contributor=recipient, now=reminder.created_at
                )
                reminder.message_subject = text
                reminder.task = _todays_task(reminder, assignee=assignee, text=text, now=now)
                reminder.status, reminder.sent_at = ReminderSent.Status.SENT, now
        elif reminder.channel == ReminderSent.Channel.SMS:
            phone = texts_to(recipient)
            if not phone:
                # They stopped accepting texts (or removed the number) since it was claimed.
                reminder.status = ReminderSent.Status.FAILED
                reminder.last_error = "Not sent: this person no longer accepts text messages."
            else:
                body = channels.build_text(
                    kind=reminder.kind,
                    obj=obj,
                    recipient=recipient,
                    setting=reminder_settings()[reminder.kind],
                    occasion=reminder.occasion,
                )
                # Provider errors propagate: TextNotSentYet is retried, TextRefused is final.
                sms.send_text(phone=phone, body=body, reference=f"reminder-{reminder.pk}")
                reminder.message_subject = body[:300]
                reminder.status, reminder.sent_at = ReminderSent.Status.SENT, now
        else:
            setting = reminder_settings()[reminder.kind]
            message = channels.build_email(
                kind=reminder.kind, obj=obj, recipient=recipient, setting=setting, occasion=reminder.occasion
            )
            message.send()  # SMTP errors propagate: the transaction rolls back, the task retries
            reminder.message_subject = message.subject
            reminder.status, reminder.sent_at = ReminderSent.Status.SENT, now
        keep_reason = reminder.status in (ReminderSent.Status.FAILED, ReminderSent.Status.SKIPPED)
        reminder.last_error = reminder.last_error if keep_reason else ""
        reminder.save()
        if reminder.task_id:
            _rewrite_task(reminder.task)
        return reminder.status


def out_of_date(kind: str, obj, recipient, now) -> str:
    reminder_kind = registry.KINDS.get(kind)
    if reminder_kind is None or reminder_kind.out_of_date is None or obj is None:
        return ""
    return reminder_kind.out_of_date(obj, recipient, now)


def _todays_task(reminder: ReminderSent, *, assignee, text: str, now) -> StaffTask:
    """The person's open task for today, made if there is none: everything to tell them on
    one day is one call. Another worker may be making it at this moment: the constraint lets
    one insert win, and the other joins it."""
    day = timezone.localdate(now)
    mine = StaffTask.objects.select_for_update().filter(
        contributor=reminder.recipient, day=day, done_at__isnull=True
    )
    task = mine.first()
    if task is not None:
        return task
    try:
        with transaction.atomic():
            return StaffTask.objects.create(
                reminder=reminder, assigned_to=assignee, contributor=reminder.recipient, day=day, text=text
            )
    except IntegrityError:
        return mine.get()


def _rewrite_task(task: StaffTask) -> None:
    texts = list(task.items.order_by("created_at", "pk").values_list("message_subject", flat=True))
    text = channels.bundle_text(channels.reach(task.contributor), texts) if texts else task.text
    if text != task.text:
        StaffTask.objects.filter(pk=task.pk).update(text=text)
        task.text = text


def record_failed_attempt(*, reminder_id: int, error: Exception, final: bool) -> None:
    """Kept outside the rolled-back send, so admins see every attempt and the last error."""
    ReminderSent.objects.filter(pk=reminder_id, status=ReminderSent.Status.SENDING).update(
        attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(),
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status=ReminderSent.Status.FAILED if final else ReminderSent.Status.SENDING,
    )
    if final:
        logger.error("Reminder %s failed to send after its last attempt: %s", reminder_id, error)


def retry_failed(*, reminder_ids: list[int], enqueue: Callable[[int], None] | None = None) -> int:
    """Admin action: try failed reminders again (the same row, so still at most one sent)."""
    enqueue = enqueue or _enqueue_with_celery
    with transaction.atomic():
        ids = list(
            ReminderSent.objects.select_for_update()
            .filter(pk__in=reminder_ids, status=ReminderSent.Status.FAILED)
            .values_list("pk", flat=True)
        )
        ReminderSent.objects.filter(pk__in=ids).update(
            status=ReminderSent.Status.SENDING, last_attempt_at=None
        )
        for pk in ids:
            transaction.on_commit(partial(enqueue, pk))
    return len(ids)


@transaction.atomic
def staff_task_done(*, task: StaffTask, actor) -> StaffTask:
    task = StaffTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise ReminderError(
            f"This task was already marked done on {timezone.localtime(task.done_at):%d %B at %H:%M}."
        )
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by"])
    return task


# --- messages to a group ------------------------------------------------------------------
def group_message_recipients(*, project, meeting=None, audience: str, chosen=()) -> list:
    """Who a message to this audience reaches now: active contributors, each once."""
    from .models import GroupMessage

    if audience == GroupMessage.Audience.ROLE_HOLDERS:
        return list(selectors.role_holders(project))
    if audience == GroupMessage.Audience.INVITED:
        if meeting is None:
            raise ReminderError("Choose the meeting whose invited people should get the message.")
        return list(selectors.invited_to(meeting))
    allowed = selectors.people_of_project(project)
    return list(allowed.filter(pk__in=[getattr(p, "pk", p) for p in chosen]))


def group_message_send(
    *,
    actor,
    project,
    meeting=None,
    audience: str,
    subject: str,
    body: str,
    form_token,
    chosen=(),
    enqueue: Callable[[int], None] | None = None,
):
    """Send a message to a group, each person in their own way (email, text, or a task for
    staff to phone or write). Returns (message, created): the same form sent twice finds the
    message it already sent, and each person's copy is a ReminderSent row, so once each."""
    from projects.selectors.access import can_manage_project

    from .models import GroupMessage

    if not can_manage_project(actor, project):
        raise ReminderError("Only the project's lead and team can send messages to its people.")
    if meeting is not None and meeting.project_id != project.pk:
        raise ReminderError("That meeting belongs to another project.")
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise ReminderError("Write a subject and a message.")
    with transaction.atomic():
        # Another request with the same form may be committing now: the unique token makes it
        # wait, then this one finds the message it sent.
        message, created = GroupMessage.objects.get_or_create(
            form_token=form_token,
            defaults=dict(
                project=project, meeting=meeting, audience=audience, subject=subject, body=body, sent_by=actor
            ),
        )
        if not created:
            return message, False
        people = group_message_recipients(project=project, meeting=meeting, audience=audience, chosen=chosen)
        if not people:
            raise ReminderError("Nobody would get this message: there is no one in the group you chose.")
        dues = [Due("group_message", message, person, "message") for person in people]
        claim_batch(dues, enqueue=enqueue or _enqueue_with_celery)
    return message, True
