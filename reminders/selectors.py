"""Reads with rules: which reminders are due, in batches, and who sees which reminders.

What is due is declared by each kind (reminders/kinds/); `find_due` pages through a kind's
candidates by id (keyset pagination) with a fixed number of queries per batch (the kinds
select_related and prefetch_related what they need), whatever the amount of data.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model as DjangoModel
from django.db.models import Q, QuerySet

from contributors.models import ContributorProfile, User

from . import registry
from .models import GroupMessage, ReminderSent, StaffTask

BATCH_SIZE = 500
# Claims paid or meetings held longer ago than this are history, not news: never reminded,
# so switching reminders on for the first time does not email people about last year.
LOOK_BACK_DAYS = 28


@dataclass(frozen=True)
class Due:
    kind: str
    obj: DjangoModel
    recipient: User
    occasion: str

    @property
    def subject_key(self) -> str:
        return subject_key_for(self.obj)

    @property
    def key(self) -> tuple:
        return (self.kind, self.subject_key, self.recipient.pk, self.occasion)


def subject_key_for(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


@dataclass
class Scan:
    """One run of the scan: its moment, every kind's setting, and lists looked up once."""

    now: datetime
    settings: dict
    _looked_up: dict = field(default_factory=dict, repr=False)

    def lead_days(self, kind: registry.ReminderKind | str) -> int:
        return self.settings[getattr(kind, "key", kind)].lead_days

    def once(self, lookup: Callable[[], list]) -> list:
        """The same people for every row (finance, say): one query per scan, when first needed."""
        if lookup not in self._looked_up:
            self._looked_up[lookup] = lookup()
        return self._looked_up[lookup]


def batches(queryset: QuerySet, batch_size: int) -> Iterator[list]:
    last_id = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if rows:
            yield rows
        if len(rows) < batch_size:
            return
        last_id = rows[-1].pk


def find_due(
    kind: registry.ReminderKind | str,
    *,
    settings: dict,
    now: datetime,
    batch_size: int = BATCH_SIZE,
    scan: Scan | None = None,
) -> Iterator[list[Due]]:
    """The kind's due reminders, a batch at a time: one per candidate row and recipient."""
    kind = registry.get(kind) if isinstance(kind, str) else kind
    scan = scan or Scan(now=now, settings=settings)
    candidates = kind.candidates(scan, scan.lead_days(kind))
    for rows in batches(candidates, batch_size):
        yield [
            Due(kind.key, kind.subject_of(row), person, kind.occasion_for(row))
            for row in rows
            for person in kind.recipients(row, scan)
        ]


def wants_staff_task(user: User) -> bool:
    """Contributors who asked for a phone call or a letter get a person, not an email."""
    if user.is_staff:
        return False
    try:
        profile = user.profile
    except ContributorProfile.DoesNotExist:
        return False
    return profile.contact_method in (
        ContributorProfile.ContactMethod.PHONE,
        ContributorProfile.ContactMethod.POST,
    )


def texts_to(user: User) -> str:
    """The mobile number a person wants their messages on by text, else ''. A text replaces the
    email, call or letter (the profile says so when they tick the box): one message, one way."""
    if user.is_staff:
        return ""
    try:
        profile = user.profile
    except ContributorProfile.DoesNotExist:
        return ""
    from core.phones import can_take_texts

    if profile.accepts_texts and profile.phone and can_take_texts(profile.phone):
        return profile.phone
    return ""


def channel_for(user: User) -> str:
    """How a message reaches this person: a text if they accept texts on a mobile, a staff task
    if they asked for a call or a letter, else email."""
    if texts_to(user):
        return ReminderSent.Channel.SMS
    if wants_staff_task(user):
        return ReminderSent.Channel.STAFF_TASK
    return ReminderSent.Channel.EMAIL


def unique_staff(*people) -> list[User]:
    """Active staff among `people`, each once."""
    seen, result = set(), []
    for person in people:
        if person is not None and person.is_active and person.is_staff and person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result


def finance_people() -> list[User]:
    return list(User.objects.filter(Q(is_finance=True) | Q(is_superuser=True), is_active=True, is_staff=True))


# --- pages ------------------------------------------------------------------------------
def reminders_sent_to(user) -> QuerySet[ReminderSent]:
    if not user.is_authenticated:
        return ReminderSent.objects.none()
    # Not the calls planned and then found pointless: those never reached them.
    return (
        ReminderSent.objects.filter(recipient=user)
        .exclude(status=ReminderSent.Status.SKIPPED)
        .order_by("-created_at", "-id")
    )


def staff_tasks_visible_to(user) -> QuerySet[StaffTask]:
    """Staff see the tasks given to them; admins see every task."""
    if not user.is_authenticated or not user.is_staff:
        return StaffTask.objects.none()
    tasks = StaffTask.objects.select_related("contributor", "assigned_to", "reminder")
    return tasks if user.is_superuser else tasks.filter(assigned_to=user)


def open_staff_tasks_for(user) -> QuerySet[StaffTask]:
    """The dashboard list: the user's own open tasks (admins too: theirs, not everyone's)."""
    if not user.is_authenticated or not user.is_staff:
        return StaffTask.objects.none()
    return StaffTask.objects.filter(assigned_to=user, done_at__isnull=True).select_related(
        "contributor", "contributor__profile"
    )


@dataclass(frozen=True)
class TaskItem:
    """One thing to tell the person, and why it no longer needs saying ("" while it does)."""

    reminder: ReminderSent
    out_of_date: str
    line: str  # what to say, without "Call Zoë O'Brien (07700 900123)" in front


def with_items(tasks, *, now=None) -> list[StaffTask]:
    """Tasks with `bundle` (their TaskItems, oldest first) and `all_out_of_date`: checked as
    staff open the page, since a call planned this morning may be pointless by the afternoon.
    Two queries for the items, then one per kind to load what they are about."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from . import channels
    from .services import out_of_date

    now = now or timezone.now()
    tasks = list(
        tasks.prefetch_related(
            Prefetch("items", queryset=ReminderSent.objects.order_by("created_at", "pk"), to_attr="item_list")
        )
    )
    wanted: dict[str, set[int]] = {}
    for task in tasks:
        for item in task.item_list:
            wanted.setdefault(item.kind, set()).add(item.object_id)
    loaded = {}
    for key, ids in wanted.items():
        kind = registry.KINDS.get(key)
        if kind is not None:
            about = kind.about.objects.select_related(*kind.load_related).filter(pk__in=ids)
            if kind.about._meta.label_lower == "projects.meeting":
                about = about.prefetch_related("invitations")  # whether each person answered
            for obj in about:
                loaded[key, obj.pk] = obj
    for task in tasks:
        reach = channels.reach(task.contributor)
        task.bundle = [
            TaskItem(
                item,
                out_of_date(item.kind, loaded.get((item.kind, item.object_id)), task.contributor, now),
                item.message_subject.removeprefix(reach).strip(),
            )
            for item in task.item_list
        ]
        task.all_out_of_date = bool(task.bundle) and all(item.out_of_date for item in task.bundle)
    return tasks


# --- "Download my data" (put together in coproduction/personal_data.py) ---
def personal_data_reminders(user) -> dict:
    """Every reminder and message sent to the person (we keep the subject, not the email), and
    the tasks staff were given to phone or write to them."""
    from core.personal_data import record, records_naming, when

    return {
        "messages_sent_to_you": [
            {
                "record": record(reminder),
                "kind": reminder.get_kind_display(),
                "how": reminder.get_channel_display(),
                "subject": reminder.message_subject,
                "status": reminder.get_status_display(),
                "created": when(reminder.created_at),
                "sent": when(reminder.sent_at),
                "last_error": reminder.last_error,
            }
            for reminder in ReminderSent.objects.filter(recipient=user).order_by("pk")
        ],
        "staff_tasks_about_you": [
            {
                "record": record(task),
                "task": task.text,
                "created": when(task.created_at),
                "done": when(task.done_at),
            }
            for task in StaffTask.objects.filter(contributor=user).order_by("pk")
        ],
        "messages_from_staff_to_you": [
            {
                "record": record(message),
                "from": message.sent_by.display_name,
                "subject": message.subject,
                "message": message.body,
                "sent": when(message.created_at),
            }
            for message in GroupMessage.objects.filter(
                pk__in=ReminderSent.objects.filter(recipient=user, kind="group_message").values("object_id")
            )
            .select_related("sent_by")
            .order_by("pk")
        ],
        "records_that_name_you": records_naming(
            user, [(StaffTask, "assigned_to"), (StaffTask, "done_by"), (GroupMessage, "sent_by")]
        ),
    }


# --- messages to a group ------------------------------------------------------------------
def _people(qs) -> QuerySet[User]:
    return qs.filter(is_active=True, is_staff=False, anonymised_at__isnull=True).select_related("profile")


def role_holders(project) -> QuerySet[User]:
    from projects.models import RoleOffer

    holders = RoleOffer.objects.filter(role__project=project, status=RoleOffer.Status.ACCEPTED)
    return _people(User.objects.filter(pk__in=holders.values("contributor_id"))).order_by("name", "pk")


def invited_to(meeting) -> QuerySet[User]:
    return _people(User.objects.filter(pk__in=meeting.invitations.values("contributor_id"))).order_by(
        "name", "pk"
    )


def people_of_project(project) -> QuerySet[User]:
    """Whom staff can choose from: people holding or offered a role on the project, or
    invited to one of its meetings."""
    from projects.models import MeetingInvitation, RoleOffer

    offered = RoleOffer.objects.filter(
        role__project=project, status__in=[RoleOffer.Status.ACCEPTED, RoleOffer.Status.OFFERED]
    )
    invited = MeetingInvitation.objects.filter(meeting__project=project)
    # Two indexed lookups, then the people by id: an OR of two subqueries read every user
    # (56 ms at 50,000 contributors).
    ids = set(offered.values_list("contributor_id", flat=True))
    ids.update(invited.values_list("contributor_id", flat=True).distinct())
    return _people(User.objects.filter(pk__in=ids)).order_by("name", "pk")


@dataclass(frozen=True)
class Delivery:
    """One person in a message's preview: who, and how it will reach them."""

    person: User
    channel: str

    @property
    def how(self) -> str:
        profile = getattr(self.person, "profile", None)
        if self.channel == ReminderSent.Channel.SMS:
            return f"Text message to {profile.phone}"
        if self.channel == ReminderSent.Channel.STAFF_TASK:
            if profile.contact_method == ContributorProfile.ContactMethod.POST:
                return "A letter: a staff task to print and post it"
            return "A phone call: a staff task to phone them"
        if not self.person.email:
            return "Email, but no email address is recorded: it will fail"
        return f"Email to {self.person.email}"


def deliveries(people) -> list[Delivery]:
    return [Delivery(person, channel_for(person)) for person in people]


def group_message_copies(message) -> QuerySet[ReminderSent]:
    return (
        ReminderSent.objects.filter(kind="group_message", subject_key=subject_key_for(message))
        .select_related("recipient")
        .order_by("recipient__name", "pk")
    )


def group_messages_for_project(project):
    from .models import GroupMessage

    return GroupMessage.objects.filter(project=project).select_related("meeting", "sent_by")


def get_group_message_for_user(user, pk):
    """Staff who manage the message's project (admins: all) and the people it was sent to."""
    from django.http import Http404

    from projects.selectors.access import projects_managed_by

    from .models import GroupMessage

    if not user.is_authenticated:
        raise Http404
    message = GroupMessage.objects.select_related("project", "meeting", "sent_by").filter(pk=pk).first()
    if message is None:
        raise Http404
    if projects_managed_by(user).filter(pk=message.project_id).exists():
        return message
    if group_message_copies(message).filter(recipient=user).exists():
        return message
    raise Http404
