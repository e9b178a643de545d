"""How a reminder reaches a person: an email (HTML and plain text) or, for contributors who
asked for a phone call or a letter, a task for a member of staff."""

from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import kinds
from .calendar import meeting_calendar_file

MEETING_KINDS = {
    kinds.MEETING_WEEK_BEFORE,
    kinds.MEETING_DAY_BEFORE,
    kinds.PAPERS_NOT_SENT,
    kinds.CLAIM_PROMPT,
    kinds.MEETING_INVITED,
}
CLAIM_KINDS = {kinds.CLAIM_WAITING_REVIEW, kinds.CLAIM_NOT_PAID, kinds.CLAIM_PAID}
# About one decision on a claim (a ClaimEvent): the question, the reason, the approval.
CLAIM_DECISION_KINDS = {kinds.CLAIM_QUERIED, kinds.CLAIM_REJECTED, kinds.CLAIM_APPROVED}
OFFER_KINDS = {kinds.OFFER_UNANSWERED_CONTRIBUTOR, kinds.OFFER_UNANSWERED_STAFF, kinds.OFFER_MADE}
# The meeting's online link goes only to people invited to it (and its organiser).
WITH_CALENDAR_FILE = {kinds.MEETING_WEEK_BEFORE, kinds.MEETING_DAY_BEFORE, kinds.MEETING_INVITED}


def site_url() -> str:
    return django_settings.SITE_URL.rstrip("/")


def link(*candidates) -> str:
    """An absolute link to the first page that exists, else the home page (which sends each
    user to their dashboard). Candidates are (url name, args) pairs."""
    for name, args in candidates:
        try:
            return site_url() + reverse(name, args=args)
        except NoReverseMatch:
            continue
    return site_url() + reverse("home")


def context_for(kind: str, obj, recipient) -> dict:
    context = {
        "recipient": recipient,
        "site_name": django_settings.SITE_NAME,
        "site_url": site_url(),
        "my_reminders_url": site_url() + reverse("reminders:mine"),
    }
    if kind in MEETING_KINDS:
        meeting = obj
        context.update(
            meeting=meeting,
            project=meeting.project,
            start=timezone.localtime(meeting.start),
            end=timezone.localtime(meeting.end),
            url=link(("projects:meeting_detail", [meeting.pk])),
        )
        if kind == kinds.CLAIM_PROMPT:
            # The claim form fills itself in for this meeting.
            context["claim_url"] = link(("expenses:claim_create", [])) + f"?meeting={meeting.pk}"
    elif kind in CLAIM_KINDS:
        claim = obj
        context.update(
            claim=claim,
            project=claim.project,
            url=link(("expenses:claim_detail", [claim.pk])),
        )
        if kind == kinds.CLAIM_PAID:
            context.update(_paid_context(claim))
    elif kind in CLAIM_DECISION_KINDS:
        event = obj
        claim = event.claim
        context.update(
            event=event,
            claim=claim,
            project=claim.project,
            comment=event.comment,
            url=link(("expenses:claim_detail", [claim.pk])),
        )
        if kind == kinds.CLAIM_APPROVED:
            context.update(_approved_context(claim))
    elif kind in OFFER_KINDS:
        offer = obj
        context.update(
            offer=offer,
            role=offer.role,
            project=offer.role.project,
            url=link(("projects:offer_detail", [offer.pk])),
        )
    return context


def _approved_context(claim) -> dict:
    """When the money comes, from finance's payment schedule (the same words as the claim page)."""
    from expenses import schedule, selectors

    run, by = selectors.expected_payment_dates(claim) or (None, None)
    return {"payment_run": run, "money_by": by, "payment_promise": schedule.promise()}


def _paid_context(claim) -> dict:
    """The bank date finance entered, and when the money should be in the account."""
    from expenses import schedule

    paid_on = claim.batch.paid_on if claim.batch_id and claim.batch.paid_on else timezone.localdate(
        claim.paid_at
    )
    return {"paid_on": paid_on, "money_by": schedule.add_working_days(paid_on, schedule.days_to_bank())}


def render_setting_text(text: str, context: dict) -> str:
    # Admin-edited text: rendered as a template, never trusted as HTML (escaped in the HTML part).
    return Template(text).render(Context(context, autoescape=False)).strip()


def build_email(*, kind: str, obj, recipient, setting) -> EmailMultiAlternatives:
    context = context_for(kind, obj, recipient)
    subject = " ".join(render_setting_text(setting.subject, context).split())[:250]
    context.update(subject=subject, intro=render_setting_text(setting.intro, context))
    text = render_to_string(f"reminders/email/{kind}.txt", context)
    html = render_to_string(f"reminders/email/{kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    if kind in WITH_CALENDAR_FILE:
        message.attach(*meeting_calendar_file(obj))
    return message


# --- staff tasks ------------------------------------------------------------------------
def _when(moment, now) -> str:
    """'Thursday's meeting' within the coming week, else 'the meeting on 3 December'. Never
    'tomorrow': the task text stays on the dashboard and must still be true the next day."""
    local = timezone.localtime(moment)
    days = (local.date() - timezone.localdate(now)).days
    if 0 <= days < 7:
        return f"{local:%A}'s meeting"
    return f"the meeting on {local.day} {local:%B}"


def _reach(contributor) -> str:
    profile = getattr(contributor, "profile", None)
    if profile and profile.contact_method == "post":
        address = ", ".join(line.strip() for line in profile.address.splitlines() if line.strip())
        return f"Write to {contributor.get_full_name()} ({address or 'no address recorded'})"
    phone = profile.phone if profile and profile.phone else "no phone number recorded"
    return f"Call {contributor.get_full_name()} ({phone})"


def staff_task_for(*, kind: str, obj, contributor, now=None) -> tuple:
    """(who does it, what to do) for a reminder delivered by a person."""
    now = now or timezone.now()
    reach = _reach(contributor)
    if kind in (kinds.MEETING_WEEK_BEFORE, kinds.MEETING_DAY_BEFORE):
        start = timezone.localtime(obj.start)
        text = f"{reach} about {_when(obj.start, now)}, '{obj.title}', {start:%H:%M}"
        if obj.venue:
            text += f", at {' '.join(obj.venue.split())}"
        return obj.organiser, text + "."
    if kind == kinds.MEETING_INVITED:
        start = timezone.localtime(obj.start)
        return obj.organiser, (
            f"{reach} to tell them they are invited to '{obj.title}' on {start.day} {start:%B} at "
            f"{start:%H:%M}, and ask whether they can come."
        )
    if kind == kinds.OFFER_MADE:
        assignee = obj.offered_by if obj.offered_by and obj.offered_by.is_active else obj.role.project.lead
        return assignee, f"{reach} to go through the role offered to them, '{obj.role.title}', and its terms."
    if kind == kinds.CLAIM_PROMPT:
        start = timezone.localtime(obj.start)
        return obj.organiser, (
            f"{reach} to help them claim for the meeting '{obj.title}' on {start.day} {start:%B}."
        )
    if kind == kinds.CLAIM_PAID:
        return obj.project.lead, f"{reach} to tell them their claim of £{obj.total} has been paid."
    if kind in CLAIM_DECISION_KINDS:
        claim = obj.claim
        reviewer = obj.actor if obj.actor and obj.actor.is_active and obj.actor.is_staff else None
        assignee = reviewer or claim.project.lead
        about = f"their claim {claim.pk} (£{claim.total}) for '{claim.project.title}'"
        if kind == kinds.CLAIM_QUERIED:
            return assignee, f"{reach} to ask the reviewer's question about {about}: “{obj.comment}”"
        if kind == kinds.CLAIM_REJECTED:
            return assignee, f"{reach} to tell them {about} was not approved, and why: “{obj.comment}”"
        when = _approved_context(claim)
        run, by = when["payment_run"], when["money_by"]
        text = f"{reach} to tell them {about} is approved"
        if run:
            text += (
                f"; it will be paid in the payment run on {run:%A} {run.day} {run:%B}, "
                f"in their account by {by.day} {by:%B}"
            )
        return assignee, text + "."
    if kind == kinds.OFFER_UNANSWERED_CONTRIBUTOR:
        assignee = obj.offered_by if obj.offered_by and obj.offered_by.is_active else obj.role.project.lead
        return (
            assignee,
            f"{reach} about the role offered to them, '{obj.role.title}': they have not answered yet.",
        )
    raise ValueError(f"{kind} goes to staff, who always get email.")
