"""Reads with rules: which reminders are due, in batches, and who sees which reminders.

Every finder pages through its candidates by id (keyset pagination) and uses a fixed number
of queries per batch (select_related and prefetch_related), whatever the amount of data.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models import Model as DjangoModel

from contributors.models import ContributorProfile, User
from expenses.models import Claim, ClaimEvent
from expenses.selectors import without_claimed_meetings
from projects.models import Meeting, MeetingInvitation, RoleOffer

from . import kinds
from .dates import start_of_day_after, working_days_before
from .models import ReminderSent, StaffTask

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


def batches(queryset: QuerySet, batch_size: int) -> Iterator[list]:
    last_id = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if rows:
            yield rows
        if len(rows) < batch_size:
            return
        last_id = rows[-1].pk


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


def _occasion(moment) -> str:
    return moment.isoformat()


def _unique_staff(*people) -> list[User]:
    seen, result = set(), []
    for person in people:
        if person is not None and person.is_active and person.is_staff and person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result


# --- meetings ---------------------------------------------------------------------------
def _meeting_invitations(now, *, before: int, not_within: int | None = None) -> QuerySet:
    qs = (
        MeetingInvitation.objects.filter(
            meeting__start__gt=now,
            meeting__start__lt=start_of_day_after(now, before),
            contributor__is_active=True,
        )
        .exclude(reply=MeetingInvitation.Reply.NOT_ATTENDING)
        .select_related(
            "meeting", "meeting__project", "meeting__organiser", "contributor", "contributor__profile"
        )
    )
    if not_within is not None:
        qs = qs.filter(meeting__start__gte=start_of_day_after(now, not_within))
    return qs


def due_meeting_week_before(*, settings, now, batch_size=BATCH_SIZE):
    # Not in the day-before window: that reminder covers it.
    day_before = settings[kinds.MEETING_DAY_BEFORE].lead_days
    qs = _meeting_invitations(
        now, before=settings[kinds.MEETING_WEEK_BEFORE].lead_days, not_within=day_before
    )
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.MEETING_WEEK_BEFORE, i.meeting, i.contributor, _occasion(i.meeting.start)) for i in rows
        ]


def due_meeting_day_before(*, settings, now, batch_size=BATCH_SIZE):
    qs = _meeting_invitations(now, before=settings[kinds.MEETING_DAY_BEFORE].lead_days)
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.MEETING_DAY_BEFORE, i.meeting, i.contributor, _occasion(i.meeting.start)) for i in rows
        ]


def due_meeting_invited(*, settings, now, batch_size=BATCH_SIZE):
    """A confirmation for every invitation to a meeting still to come, however it was made."""
    qs = (
        MeetingInvitation.objects.filter(
            meeting__start__gt=now,
            invited_at__lte=now - timedelta(days=settings[kinds.MEETING_INVITED].lead_days),
            invited_at__gte=now - timedelta(days=LOOK_BACK_DAYS),
            contributor__is_active=True,
        )
        .exclude(reply=MeetingInvitation.Reply.NOT_ATTENDING)
        .select_related(
            "meeting", "meeting__project", "meeting__organiser", "contributor", "contributor__profile"
        )
    )
    for rows in batches(qs, batch_size):
        yield [Due(kinds.MEETING_INVITED, i.meeting, i.contributor, "invited") for i in rows]


def due_papers_not_sent(*, settings, now, batch_size=BATCH_SIZE):
    qs = Meeting.objects.filter(
        papers_sent_on__isnull=True,
        start__gt=now,
        start__lt=start_of_day_after(now, settings[kinds.PAPERS_NOT_SENT].lead_days),
    ).select_related("project", "organiser")
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.PAPERS_NOT_SENT, m, m.organiser, _occasion(m.start))
            for m in rows
            if m.organiser.is_active
        ]


def due_claim_prompt(*, settings, now, batch_size=BATCH_SIZE):
    lead = settings[kinds.CLAIM_PROMPT].lead_days
    ended_before = start_of_day_after(now, -lead)  # ended `lead` or more calendar days ago
    ended_after = ended_before - timedelta(days=LOOK_BACK_DAYS)
    expenses_only = ContributorProfile.PaymentPreference.EXPENSES_ONLY
    # Claimed already (linked, or a line on the day): the same rule as the dashboard's prompt.
    qs = (
        without_claimed_meetings(
            MeetingInvitation.objects.filter(
                attended=True,
                meeting__end__lt=ended_before,
                meeting__end__gte=ended_after,
                contributor__is_active=True,
            )
        )
        # Declined payment and nothing to claim (an online meeting, or they walk): no prompt.
        .exclude(
            Q(contributor__profile__payment_preference=expenses_only)
            & (
                Q(meeting__venue="")
                | Q(contributor__profile__usual_travel_mode=ContributorProfile.TravelMode.WALK)
            )
        )
        .select_related(
            "meeting", "meeting__project", "meeting__organiser", "contributor", "contributor__profile"
        )
    )
    for rows in batches(qs, batch_size):
        yield [Due(kinds.CLAIM_PROMPT, i.meeting, i.contributor, "attended") for i in rows]


# --- claims -----------------------------------------------------------------------------
def due_claim_waiting_review(*, settings, now, batch_size=BATCH_SIZE):
    cutoff = working_days_before(now, settings[kinds.CLAIM_WAITING_REVIEW].lead_days)
    qs = (
        Claim.objects.filter(status=Claim.Status.SUBMITTED, submitted_at__lte=cutoff)
        .select_related("project", "project__lead", "contributor", "meeting")
        .prefetch_related(
            Prefetch("project__team", queryset=User.objects.filter(is_active=True, is_staff=True))
        )
    )
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.CLAIM_WAITING_REVIEW, claim, reviewer, _occasion(claim.submitted_at))
            for claim in rows
            for reviewer in _unique_staff(claim.project.lead, *claim.project.team.all())
        ]


def finance_people() -> list[User]:
    return list(User.objects.filter(Q(is_finance=True) | Q(is_superuser=True), is_active=True, is_staff=True))


def due_claim_not_paid(*, settings, now, batch_size=BATCH_SIZE):
    cutoff = working_days_before(now, settings[kinds.CLAIM_NOT_PAID].lead_days)
    qs = Claim.objects.filter(status=Claim.Status.APPROVED, approved_at__lte=cutoff).select_related(
        "project", "contributor", "meeting"
    )
    finance = None
    for rows in batches(qs, batch_size):
        if finance is None:
            finance = finance_people()
        yield [
            Due(kinds.CLAIM_NOT_PAID, claim, person, _occasion(claim.approved_at))
            for claim in rows
            for person in finance
        ]


def due_claim_paid(*, settings, now, batch_size=BATCH_SIZE):
    paid_before = now - timedelta(days=settings[kinds.CLAIM_PAID].lead_days)
    qs = Claim.objects.filter(
        status=Claim.Status.PAID,
        paid_at__lte=paid_before,
        paid_at__gte=paid_before - timedelta(days=LOOK_BACK_DAYS),
        organisation_paid=False,  # the organisation paid a supplier: nobody to tell
        contributor__is_active=True,
    ).select_related("project", "project__lead", "contributor", "contributor__profile", "meeting")
    for rows in batches(qs, batch_size):
        yield [Due(kinds.CLAIM_PAID, claim, claim.contributor, "paid") for claim in rows]


# --- role offers ------------------------------------------------------------------------
def _unanswered_offers(now, days) -> QuerySet:
    return RoleOffer.objects.filter(
        status=RoleOffer.Status.OFFERED, offered_at__lte=now - timedelta(days=days)
    ).select_related(
        "role", "role__project", "role__project__lead", "contributor", "contributor__profile", "offered_by"
    )


def due_offer_unanswered_contributor(*, settings, now, batch_size=BATCH_SIZE):
    qs = _unanswered_offers(now, settings[kinds.OFFER_UNANSWERED_CONTRIBUTOR].lead_days)
    for rows in batches(qs.filter(contributor__is_active=True), batch_size):
        yield [
            Due(kinds.OFFER_UNANSWERED_CONTRIBUTOR, offer, offer.contributor, _occasion(offer.offered_at))
            for offer in rows
        ]


def due_offer_unanswered_staff(*, settings, now, batch_size=BATCH_SIZE):
    qs = _unanswered_offers(now, settings[kinds.OFFER_UNANSWERED_STAFF].lead_days)
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.OFFER_UNANSWERED_STAFF, offer, person, _occasion(offer.offered_at))
            for offer in rows
            for person in _unique_staff(offer.offered_by, offer.role.project.lead)
        ]


def due_offer_made(*, settings, now, batch_size=BATCH_SIZE):
    """An offer waiting for an answer, or an accepted role whose terms changed: once per version."""
    lead = timedelta(days=settings[kinds.OFFER_MADE].lead_days)
    qs = (
        RoleOffer.objects.filter(
            Q(status=RoleOffer.Status.OFFERED)
            | Q(status=RoleOffer.Status.ACCEPTED, accepted_version__isnull=False)
            & ~Q(accepted_version=F("offered_version")),
            offered_version__created_at__lte=now - lead,
            offered_version__created_at__gte=now - timedelta(days=LOOK_BACK_DAYS),
            offered_at__lte=now - lead,
            contributor__is_active=True,
        )
        .select_related(
            "role", "role__project", "role__project__lead", "contributor", "contributor__profile",
            "offered_by",
        )
    )
    for rows in batches(qs, batch_size):
        yield [
            Due(kinds.OFFER_MADE, offer, offer.contributor, f"version:{offer.offered_version_id}")
            for offer in rows
        ]


def _claim_decisions(now, *, lead_days: int, to_status: str) -> QuerySet:
    """Each time a reviewer moved a claim to `to_status`, while the claim is still there (a
    question already answered, or an approved claim already paid, needs no message), and only
    the latest such event of the claim."""
    later = ClaimEvent.objects.filter(
        claim=OuterRef("claim"), to_status=to_status, pk__gt=OuterRef("pk")
    )
    return (
        ClaimEvent.objects.filter(
            to_status=to_status,
            created_at__lte=now - timedelta(days=lead_days),
            created_at__gte=now - timedelta(days=LOOK_BACK_DAYS),
            claim__status=to_status,
            claim__organisation_paid=False,
            claim__contributor__is_active=True,
        )
        .exclude(Exists(later))
        .select_related(
            "actor", "claim", "claim__project", "claim__project__lead", "claim__contributor",
            "claim__contributor__profile",
        )
    )


def _due_claim_decision(kind: str, to_status: str):
    def finder(*, settings, now, batch_size=BATCH_SIZE):
        qs = _claim_decisions(now, lead_days=settings[kind].lead_days, to_status=to_status)
        for rows in batches(qs, batch_size):
            yield [Due(kind, event, event.claim.contributor, to_status) for event in rows]

    finder.__name__ = f"due_{kind}"
    return finder


due_claim_queried = _due_claim_decision(kinds.CLAIM_QUERIED, Claim.Status.QUERIED)
due_claim_rejected = _due_claim_decision(kinds.CLAIM_REJECTED, Claim.Status.REJECTED)
due_claim_approved = _due_claim_decision(kinds.CLAIM_APPROVED, Claim.Status.APPROVED)


FINDERS = {
    kinds.MEETING_WEEK_BEFORE: due_meeting_week_before,
    kinds.MEETING_DAY_BEFORE: due_meeting_day_before,
    kinds.PAPERS_NOT_SENT: due_papers_not_sent,
    kinds.CLAIM_PROMPT: due_claim_prompt,
    kinds.CLAIM_WAITING_REVIEW: due_claim_waiting_review,
    kinds.CLAIM_NOT_PAID: due_claim_not_paid,
    kinds.CLAIM_PAID: due_claim_paid,
    kinds.OFFER_UNANSWERED_CONTRIBUTOR: due_offer_unanswered_contributor,
    kinds.OFFER_UNANSWERED_STAFF: due_offer_unanswered_staff,
    kinds.MEETING_INVITED: due_meeting_invited,
    kinds.OFFER_MADE: due_offer_made,
    kinds.CLAIM_QUERIED: due_claim_queried,
    kinds.CLAIM_REJECTED: due_claim_rejected,
    kinds.CLAIM_APPROVED: due_claim_approved,
}


# --- pages ------------------------------------------------------------------------------
def reminders_sent_to(user) -> QuerySet[ReminderSent]:
    if not user.is_authenticated:
        return ReminderSent.objects.none()
    return ReminderSent.objects.filter(recipient=user).order_by("-created_at", "-id")


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
    return StaffTask.objects.filter(assigned_to=user, done_at__isnull=True).select_related("contributor")


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
        "records_that_name_you": records_naming(user, [(StaffTask, "assigned_to"), (StaffTask, "done_by")]),
    }
