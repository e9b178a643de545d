"""Reminders about claims: waiting for review, approved but not paid, paid, and what the
reviewer decided (a question, not approved, approved)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from contributors.models import User
from expenses import schedule
from expenses.models import Claim, ClaimEvent
from expenses.selectors import expected_payment_dates

from ..channels import link
from ..dates import working_days_before
from ..registry import ReminderKind, register
from ..selectors import LOOK_BACK_DAYS, finance_people, unique_staff

CLAIM_RELATED = ("project", "project__lead", "contributor", "meeting", "batch")


def claim_context(claim) -> dict:
    return {"claim": claim, "project": claim.project, "url": link(("expenses:claim_detail", [claim.pk]))}


def _waiting_review(scan, lead_days):
    cutoff = working_days_before(scan.now, lead_days)
    return (
        Claim.objects.filter(status=Claim.Status.SUBMITTED, submitted_at__lte=cutoff)
        .select_related("project", "project__lead", "contributor", "meeting")
        .prefetch_related(
            Prefetch("project__team", queryset=User.objects.filter(is_active=True, is_staff=True))
        )
    )


CLAIM_WAITING_REVIEW = register(ReminderKind(
    key="claim_waiting_review",
    label="Claim waiting for review (to the project's reviewers)",
    lead_days=5,
    lead_means="working days (Monday to Friday) after it was sent",
    subject="A claim from {{ claim.contributor.display_name }} is waiting for review",
    intro="A claim has been waiting for review for more than a week. The contributor is waiting "
    "for their money.",
    about=Claim,
    load_related=CLAIM_RELATED,
    candidates=_waiting_review,
    recipients=lambda claim, scan: unique_staff(claim.project.lead, *claim.project.team.all()),
    occasion=lambda claim: claim.submitted_at.isoformat(),
    context=claim_context,
    to_staff=True,
    person="contributor",
))


def _approved_not_paid(scan, lead_days):
    cutoff = working_days_before(scan.now, lead_days)
    return Claim.objects.filter(status=Claim.Status.APPROVED, approved_at__lte=cutoff).select_related(
        "project", "contributor", "meeting"
    )


CLAIM_NOT_PAID = register(ReminderKind(
    key="claim_not_paid",
    label="Approved claim not yet paid (to finance)",
    lead_days=10,
    lead_means="working days (Monday to Friday) after approval",
    subject="Approved claim from {{ claim.contributor.display_name }} not paid yet",
    intro="A claim was approved more than two weeks ago and has not been paid yet.",
    about=Claim,
    load_related=CLAIM_RELATED,
    candidates=_approved_not_paid,
    recipients=lambda claim, scan: scan.once(finance_people),
    occasion=lambda claim: claim.approved_at.isoformat(),
    context=claim_context,
    to_staff=True,
    person="contributor",
))


def _paid(scan, lead_days):
    paid_before = scan.now - timedelta(days=lead_days)
    return Claim.objects.filter(
        status=Claim.Status.PAID,
        paid_at__lte=paid_before,
        paid_at__gte=paid_before - timedelta(days=LOOK_BACK_DAYS),
        organisation_paid=False,  # the organisation paid a supplier: nobody to tell
        contributor__is_active=True,
    ).select_related("project", "project__lead", "contributor", "contributor__profile", "meeting")


def _paid_context(claim) -> dict:
    """The bank date finance entered, and when the money should be in the account."""
    paid_on = claim.batch.paid_on if claim.batch_id and claim.batch.paid_on else timezone.localdate(
        claim.paid_at
    )
    money_by = schedule.add_working_days(paid_on, schedule.days_to_bank())
    return {**claim_context(claim), "paid_on": paid_on, "money_by": money_by}


# A call to say a claim was paid, made more than this long after the payment, is not news.
TASK_WINDOW = timedelta(days=7)


def _paid_out_of_date(claim, person, now) -> str:
    if claim.status != Claim.Status.PAID:
        return "The claim is no longer marked paid."
    if claim.paid_at and claim.paid_at < now - TASK_WINDOW:
        return f"It was paid on {timezone.localtime(claim.paid_at):%d %B}, more than a week ago."
    return ""


def _decision_out_of_date(event, person, now) -> str:
    if event.claim.status != event.to_status:
        return f"The claim has moved on since: it is now {event.claim.get_status_display().lower()}."
    return ""


CLAIM_PAID = register(ReminderKind(
    key="claim_paid",
    label="Your claim has been paid (to the contributor)",
    lead_days=0,
    lead_means="days after it was paid",
    subject="Your claim has been paid",
    intro="Good news: your claim has been paid.",
    about=Claim,
    load_related=CLAIM_RELATED,
    candidates=_paid,
    recipients=lambda claim, scan: [claim.contributor],
    occasion="paid",
    context=_paid_context,
    staff_task=lambda claim, reach, now: (
        claim.project.lead, f"{reach} to tell them their claim of £{claim.total} has been paid."
    ),
    person="contributor",
    out_of_date=_paid_out_of_date,
))


# --- what the reviewer decided: one reminder per decision (a ClaimEvent) -------------------
EVENT_RELATED = ("actor", "claim", "claim__project", "claim__project__lead", "claim__contributor")


def _decisions(to_status: str):
    """Each time a reviewer moved a claim to `to_status`, while the claim is still there (a
    question already answered, or an approved claim already paid, needs no message), and only
    the latest such event of the claim."""

    def candidates(scan, lead_days):
        later = ClaimEvent.objects.filter(claim=OuterRef("claim"), to_status=to_status, pk__gt=OuterRef("pk"))
        return (
            ClaimEvent.objects.filter(
                to_status=to_status,
                created_at__lte=scan.now - timedelta(days=lead_days),
                created_at__gte=scan.now - timedelta(days=LOOK_BACK_DAYS),
                claim__status=to_status,
                claim__organisation_paid=False,
                claim__contributor__is_active=True,
            )
            .exclude(Exists(later))
            .select_related(*EVENT_RELATED, "claim__contributor__profile")
        )

    return candidates


def _decision_context(event) -> dict:
    return {**claim_context(event.claim), "event": event, "comment": event.comment}


def _approved_context(event) -> dict:
    """When the money comes, from finance's payment schedule (the same words as the claim page)."""
    run, by = expected_payment_dates(event.claim) or (None, None)
    return {
        **_decision_context(event), "payment_run": run, "money_by": by, "payment_promise": schedule.promise()
    }


def _decision_task(say):
    """The reviewer phones or writes (else the project lead); `say(event, about)` is the rest."""

    def staff_task(event, reach, now) -> tuple:
        claim = event.claim
        reviewer = event.actor if event.actor and event.actor.is_active and event.actor.is_staff else None
        about = f"their claim {claim.pk} (£{claim.total}) for '{claim.project.title}'"
        return reviewer or claim.project.lead, f"{reach} {say(event, about)}"

    return staff_task


def _approved_words(event, about) -> str:
    run, by = expected_payment_dates(event.claim) or (None, None)
    text = f"to tell them {about} is approved"
    if run:
        text += (
            f"; it will be paid in the payment run on {run:%A} {run.day} {run:%B}, "
            f"in their account by {by.day} {by:%B}"
        )
    return text + "."


def _decision_kind(to_status: str, *, say, context=_decision_context, **declaration) -> ReminderKind:
    """What the three decisions share: a message to the contributor each time a reviewer moves
    their claim to `to_status` (one ClaimEvent, so once per decision); for contributors who
    asked for a call or a letter, the reviewer tells them, saying `say(event, about)`."""
    return ReminderKind(
        about=ClaimEvent,
        load_related=EVENT_RELATED,
        candidates=_decisions(to_status),
        recipients=lambda event, scan: [event.claim.contributor],
        occasion=to_status,
        context=context,
        staff_task=_decision_task(say),
        out_of_date=_decision_out_of_date,
        person="claim__contributor",
        **declaration,
    )


CLAIM_QUERIED = register(_decision_kind(
    Claim.Status.QUERIED.value,
    key="claim_queried",
    label="A question about your claim (to the contributor)",
    lead_days=0,
    lead_means="days after the question (0: at the next scan)",
    subject="A question about your claim for {{ project.title }}",
    intro="The person reviewing your claim has a question. Please answer it on the claim's page so "
    "your claim can move on. If you would like help, reply to the project's staff.",
    say=lambda event, about: f"to ask the reviewer's question about {about}: “{event.comment}”",
))

CLAIM_REJECTED = register(_decision_kind(
    Claim.Status.REJECTED.value,
    key="claim_rejected",
    label="Your claim was not approved (to the contributor)",
    lead_days=0,
    lead_means="days after the decision (0: at the next scan)",
    subject="Your claim for {{ project.title }} was not approved",
    intro="We are sorry: your claim has not been approved. The reason is below. If you think this is "
    "wrong, or you would like help with a new claim, please get in touch.",
    say=lambda event, about: f"to tell them {about} was not approved, and why: “{event.comment}”",
))

CLAIM_APPROVED = register(_decision_kind(
    Claim.Status.APPROVED.value,
    key="claim_approved",
    label="Your claim was approved (to the contributor)",
    lead_days=0,
    lead_means="days after approval (0: at the next scan)",
    subject="Your claim for {{ project.title }} is approved",
    intro="Good news: your claim has been approved. Below is when it will be paid.",
    context=_approved_context,
    say=_approved_words,
))
