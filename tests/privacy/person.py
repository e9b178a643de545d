"""A contributor, Zoë O'Brien, whose name and phone number end up everywhere the system puts
them (tasks, reminders, events, history, claims, the admin's log), and Sam, the staff member who
does everything to her records. Built through the services, as the site builds them."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from contributors import services as people
from contributors.bank_details import bank_details_confirm, bank_details_save
from contributors.models import User
from core.history import acting_as
from expenses import services as claims
from expenses.models import Claim, PaymentBatch, Receipt, RemittanceSent
from expenses.payments import voucher_record
from projects.models import BudgetLine, Meeting, MeetingInvitation, PowerImbalance, RoleTemplate
from projects.services import adverts, feedback, meetings, outcomes, projects, roles
from projects.services import series as series_services
from reminders.models import ReminderSent
from reminders.services import deliver_reminder, group_message_send, scan_due_reminders, staff_task_done
from tests.expenses.factories import line, upload
from tests.factories import ContributorFactory, StaffFactory

NAME = "Zoë O'Brien"
PREFERRED = "Zoë"
PHONE = "07700 900123"
EMAIL = "zoe.obrien@example.org"
ADDRESS = "12 Acacia Avenue\nLeeds\nLS1 4AP"
TOTP_SECRET = "JBSWY3DPEHPK3PXPTOTPSECRET"


@dataclass
class World:
    zoe: User
    sam: User
    objects: dict = field(default_factory=dict)


def _next_weekday(weekday: int, hour: int):
    day = timezone.localdate() + timedelta(days=8)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))


def build(django_capture_on_commit_callbacks) -> World:
    sam = StaffFactory(name="Sam Staff", email="sam.staff@example.org", is_finance=True)
    group = Group.objects.create(name="Reviewers")
    sam.groups.add(group)
    sam.user_permissions.add(Permission.objects.get(codename="view_claim"))
    Authenticator.objects.create(user=sam, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})

    sent = people.contributor_invite(email=EMAIL, name=NAME, actor=sam)
    zoe = sent.invitation.user
    with acting_as(zoe):
        people.invitation_accept(token=sent.token, password="a-Long-test-passw0rd")
        people.profile_update(
            actor=zoe,
            name=NAME,
            preferred_name=PREFERRED,
            profile_data={
                "phone": PHONE,
                "address": ADDRESS,
                "contact_method": "phone",
                "access_needs": "A hearing loop, please",
                "interests": "kidney care",
                "lived_experience": "dialysis",
            },
            availability={(0, "morning")},
        )
        people.monitoring_save(actor=zoe, consent=True, answers={"gender": "woman", "carer": "yes"})
    for person in (zoe, sam):  # allauth's record of each login address, as accounts keep it
        EmailAddress.objects.update_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True}
        )

    with acting_as(sam):
        project = projects.project_create(actor=sam, title="Kidney letters", lead=sam, team=[sam])
        old = projects.project_create(actor=sam, title="Old leaflets", lead=sam)
        projects.project_archive(project_id=old.pk, actor=sam)
        BudgetLine.objects.create(project=project, kind="travel", amount="900.00", managed_by=sam)
        BudgetLine.objects.create(project=project, kind="time", amount="900.00", managed_by=sam)
        PowerImbalance.objects.create(
            project=project, owner=sam, where=f"{NAME} finds the papers too long", step_taken="Summaries"
        )
        template = RoleTemplate.objects.filter(is_default=True).first() or RoleTemplate.objects.create(
            name="Panel member", purpose="p", activities="a", time_commitment="t",
            length_of_involvement="l", payment_details="£25 an hour", how_to_claim="h", support_offered="s",
        )
        role = roles.role_create_from_template(
            project=project, template=template, actor=sam, title="Panel member"
        )
        role.status = "open"
        role.save()
    with acting_as(zoe):
        interest = roles.interest_express(
            role=role, actor=zoe, statement=f"I am {NAME}; call me on {PHONE}."
        )
    with acting_as(sam):
        roles.interest_shortlist(interest_id=interest.pk, actor=sam)
        offer = roles.offer_make(role=role, contributor_id=zoe.pk, actor=sam)
    with acting_as(zoe):
        roles.offer_accept(offer_id=offer.pk, actor=zoe)
    with acting_as(sam):
        # Zoë asked to be phoned: Sam records her "no, thank you" to a second role, given by phone.
        second = roles.role_create_from_template(
            project=project, template=template, actor=sam, title="Reader"
        )
        second.status = "open"
        second.save()
        declined = roles.offer_make(role=second, contributor_id=zoe.pk, actor=sam)
        roles.offer_answer_record(offer_id=declined.pk, accept=False, actor=sam)
        # Zoë also answered a public advert before she was asked; Sam offered her that role too.
        advertised = roles.role_create_from_template(
            project=project, template=template, actor=sam, title="Tester"
        )
        roles.role_update(
            role=advertised, actor=sam, status="open", advertised=True,
            closing_date=timezone.localdate() + timedelta(days=7),
        )
        application = adverts.application_submit(
            role_id=advertised.pk, name=NAME, contact_method="email", email=EMAIL, phone=PHONE,
            address=ADDRESS, statement=f"I am {NAME}; call me on {PHONE}.", access_needs="A hearing loop",
        )
        adverts.application_offer(application_id=application.pk, actor=sam)

    priya = ContributorFactory(name="Priya Patel")
    people.profile_update(
        actor=priya, name="Priya Patel", preferred_name="", profile_data={}, availability={(4, "evening")}
    )
    with acting_as(sam):
        # A Tuesday afternoon: neither can come then, and Sam goes ahead anyway.
        start = _next_weekday(1, 14)
        meeting = meetings.meeting_save(
            actor=sam, project=project, invitee_ids=[zoe.pk, priya.pk], title="Steering group",
            start=start, end=start + timedelta(hours=2), venue="Town hall",
            override_reason=f"{PREFERRED} can join by phone on {PHONE}",
        )
    with acting_as(zoe):
        meetings.meeting_reply(meeting_id=meeting.pk, actor=zoe, reply="attending")
        meetings.calendar_feed_renew(actor=zoe)
    with acting_as(sam):
        # A repeating meeting Zoë is invited to; Sam takes Priya's reply by phone.
        first = _next_weekday(0, 10) + timedelta(days=14)
        series = series_services.series_create(
            actor=sam, project=project, title="Monthly panel", frequency="monthly_weekday", start=first,
            end=first + timedelta(hours=1), count=2, venue="Library", invitee_ids=[zoe.pk, priya.pk],
            override_reason="Checked with them",
        )
        meetings.meeting_reply(
            meeting_id=series.meetings.first().pk, actor=sam, contributor=priya, reply="not_attending",
        )
    past = Meeting.objects.create(
        project=project, title="Kick-off", organiser=sam, venue="Library",
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3, hours=-2),
    )
    MeetingInvitation.objects.create(meeting=past, contributor=zoe)
    with acting_as(sam):
        meetings.attendance_record(meeting_id=past.pk, actor=sam, attended_ids=[zoe.pk])
        # What came of it: an outcome naming her, an action Sam owns and marks done.
        outcome = outcomes.outcome_record(
            actor=sam, meeting_id=past.pk, said=f"{NAME} said the letters are hard to read.",
            action_what="Larger print", action_owner=sam, action_due_on=timezone.localdate(),
        )
        outcomes.action_mark_done(
            actor=sam, action_id=outcome.actions.get().pk,
            what_changed=f"Letters in 16 point, as {NAME} asked.",
        )
    with acting_as(zoe):
        feedback.feedback_submit(
            actor=zoe, meeting_id=past.pk, accessible="partly", listened_to="yes",
            to_change=f"A quieter room please. {NAME}",
        )
    with acting_as(sam):
        # A meeting Sam cancels, saying why in words that name Zoë.
        later = _next_weekday(0, 10)  # a Monday morning: Zoë can come, so no warning
        cancelled = meetings.meeting_save(
            actor=sam, project=project, invitee_ids=[zoe.pk], title="Extra session", start=later,
            end=later + timedelta(hours=1), venue="Library", papers_sent_on=timezone.localdate(),
        )
        meetings.meeting_cancel(actor=sam, meeting_id=cancelled.pk, reason=f"{NAME} is unwell.")

    with acting_as(zoe):
        paid = claims.claim_create(
            contributor=zoe, project=project, actor=zoe, submit=True,
            lines=[line("taxi", description=f"Taxi for {NAME} from 12 Acacia Avenue")],
        )
    with acting_as(sam):
        claims.claim_query(
            claim_id=paid.pk, actor=sam, comment=f"{PREFERRED}, is {PHONE} still your number?"
        )
    with acting_as(zoe):
        claims.claim_answer_query(claim_id=paid.pk, actor=zoe, comment=f"Yes, {PHONE}. {NAME}")
    with acting_as(sam):
        claims.claim_approve(claim_id=paid.pk, actor=sam)
        batch = claims.batch_create(actor=sam)
        claims.batch_mark_paid(
            batch_id=batch.pk, actor=sam, reference="BACS-0001", paid_on=timezone.localdate()
        )
        rejected = claims.claim_create(
            contributor=zoe, project=project, actor=sam, submit=True,
            lines=[line("parking", description="Hospital car park",
                        receipts=[(upload(f"{NAME} parking.jpg"), "image/jpeg")])],
        )
        claims.claim_reject(
            claim_id=rejected.pk, actor=sam, reason=f"{NAME} was refunded by the hospital."
        )

    # Her bank details, changed by Sam (finance) and confirmed by phone; a remittance record.
    account = {"account_name": NAME, "sort_code": "204577", "account_number": "87654321"}
    bank_details_save(person=zoe, actor=zoe, method="bank", **account)
    bank_details_save(person=zoe, actor=sam, method="bank", **{**account, "account_number": "11112222"})
    bank_details_confirm(person=zoe, actor=sam, note=f"Spoke to {NAME} on {PHONE}")
    RemittanceSent.objects.create(batch=batch, person=zoe, amount=paid.total)
    voucher_record(
        actor=sam, person=zoe, reference="EV-0001", value=paid.total, issued_on=timezone.localdate(),
        how_sent="email", claim_ids=[paid.pk],
    )

    # Zoë asked to be phoned: "your claim has been paid" becomes a task for Sam, the lead.
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders(only=["claim_paid"], enqueue=lambda pk: deliver_reminder(reminder_id=pk))
    reminder = ReminderSent.objects.get(recipient=zoe, kind="claim_paid")
    with acting_as(sam):
        staff_task_done(task=reminder.staff_task, actor=sam)
    # Sam wrote to Priya about Zoë through "Send a message" (the words are Priya's too).
    with django_capture_on_commit_callbacks(execute=True):
        group_message_send(
            actor=sam, project=project, audience="chosen", chosen=[priya], form_token=uuid.uuid4(),
            subject=f"{PREFERRED} is chairing", body=f"{NAME} chairs the panel; call her on {PHONE}.",
            enqueue=lambda pk: deliver_reminder(reminder_id=pk),
        )
    ReminderSent.objects.create(
        kind="claim_waiting_review", content_type=ContentType.objects.get_for_model(Claim), object_id=paid.pk,
        subject_key=f"expenses.claim:{paid.pk}", recipient=sam, occasion="o1", status="sent",
        message_subject=f"Claim from {NAME} is waiting for your review", sent_at=timezone.now(),
    )
    ReminderSent.objects.create(
        kind="meeting_week_before", content_type=ContentType.objects.get_for_model(Meeting),
        object_id=meeting.pk,
        subject_key=f"projects.meeting:{meeting.pk}", recipient=zoe, occasion="o2", status="failed",
        message_subject="Steering group next week", last_error=f"550 <{EMAIL}> mailbox full",
    )

    LogEntry.objects.create(
        user=sam, content_type=ContentType.objects.get_for_model(User), object_id=str(zoe.pk),
        object_repr=str(zoe), action_flag=CHANGE, change_message=f"Changed phone to {PHONE}",
    )
    people.erasure_request_create(actor=zoe, reason=f"Please remove {NAME}, {PHONE}.")
    # Sam has erased someone else's data before: that record names Sam too.
    gone = ContributorFactory(name="Xavier Gone")
    people.erasure_request_create(actor=gone)
    people.person_anonymise(user=gone, actor=sam)

    zoe.refresh_from_db()
    assert Claim.objects.get(pk=paid.pk).status == "paid" and PaymentBatch.objects.count() == 1
    assert Receipt.objects.filter(claim__contributor=zoe).count() == 2
    return World(
        zoe=zoe,
        sam=sam,
        objects=dict(
            priya=priya, project=project, role=role, offer=offer, interest=interest, meeting=meeting,
            past=past, paid=paid, rejected=rejected, batch=batch, reminder=reminder, group=group,
        ),
    )


def references_to_people():
    """Every way a row of any model points at a person: (model, lookup). Foreign keys and
    many-to-many fields to the user model on every model, history included; and the user's own
    many-to-many fields (groups, permissions), read from the other side."""
    found = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if not f.is_relation or f.auto_created and not f.concrete:
                continue
            if f.related_model is User and (f.many_to_one or f.one_to_one or f.many_to_many):
                found.append((model, f.name))
            elif model is User and f.many_to_many:
                found.append((f.related_model, f.related_query_name()))
    return found
