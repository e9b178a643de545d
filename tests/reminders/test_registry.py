"""The registry of reminder kinds: every kind declares all it needs, and a kind declared in one
block (here, in the test) is scanned, sent once, given to staff for phone contributors and
listed in the admin, with no other file touched and no migration."""

import ast
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.template import Template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.text import capfirst

from expenses.models import Claim, ClaimEvent
from projects.models import Meeting, MeetingChange, MeetingInvitation, Project, RoleOffer
from reminders import channels, registry
from reminders.channels import link
from reminders.models import GroupMessage, ReminderSent, ReminderSetting, StaffTask
from reminders.registry import ReminderKind
from reminders.selectors import LOOK_BACK_DAYS, Scan
from reminders.services import deliver_reminder, reminder_settings, scan_due_reminders

from .conftest import NOW
from .factories import ClaimFactory, InvitationFactory, MeetingFactory, ProjectFactory, RoleOfferFactory

pytestmark = pytest.mark.django_db
KEYS = list(registry.KINDS)


# --- every kind is complete ----------------------------------------------------------------
def test_no_kind_has_gone_missing():
    assert set(KEYS) >= {
        "meeting_week_before", "meeting_day_before", "meeting_invited", "papers_not_sent", "claim_prompt",
        "claim_waiting_review", "claim_not_paid", "claim_paid", "claim_queried", "claim_rejected",
        "claim_approved", "offer_made", "offer_unanswered_contributor", "offer_unanswered_staff",
    }


@pytest.mark.parametrize("key", KEYS)
def test_every_kind_declares_its_text_finder_recipients_and_staff_wording(key):
    kind = registry.get(key)
    assert len(kind.key) <= ReminderSent._meta.get_field("kind").max_length
    assert kind.label and kind.lead_means and kind.lead_days >= 0
    for text in (kind.subject, kind.intro):
        assert text.strip()
        Template(text)  # the admin would refuse a default it cannot render
    for name in kind.templates:
        get_template(name)
    assert callable(kind.candidates) and callable(kind.recipients) and callable(kind.context)
    assert isinstance(kind.occasion, str) or callable(kind.occasion)
    # Contributors who asked for a call or a letter need words for the member of staff.
    assert callable(kind.staff_task) or kind.to_staff


@pytest.mark.parametrize("key", KEYS)
def test_every_kinds_queries_are_valid(key):
    kind = registry.get(key)
    scan = Scan(now=NOW, settings=reminder_settings())
    assert list(kind.candidates(scan, kind.lead_days)[:1]) == []
    assert list(kind.about.objects.select_related(*kind.load_related)[:1]) == []
    if kind.person:
        assert list(kind.about.objects.filter(**{kind.person: None})[:1]) == []


def test_every_kind_has_its_setting_in_the_admin_with_what_the_lead_time_counts(admin_client):
    assert set(ReminderSetting.objects.values_list("kind", flat=True)) == set(KEYS)

    page = admin_client.get("/admin/reminders/remindersetting/").content.decode()

    for kind in registry.kinds():
        assert kind.label.replace("'", "&#x27;") in page
        assert f"{capfirst(kind.lead_means)} (default {kind.lead_days})." in page
    setting = ReminderSetting.objects.get(kind="claim_waiting_review")
    change = admin_client.get(f"/admin/reminders/remindersetting/{setting.pk}/change/").content.decode()
    assert "Working days (Monday to Friday) after it was sent (default 5)." in change


@pytest.fixture
def samples(contributor):
    """One thing of each kind a reminder can be about."""
    project = ProjectFactory(title="Better Breathing")
    meeting = MeetingFactory(project=project, start=NOW + timedelta(days=1))
    paid = ClaimFactory(
        project=project, contributor=contributor, status=Claim.Status.PAID, paid_at=NOW - timedelta(hours=1)
    )
    approved = ClaimFactory(
        project=project, contributor=contributor, status=Claim.Status.APPROVED, approved_at=NOW
    )
    event = ClaimEvent.objects.create(
        claim=approved, actor=project.lead, from_status="submitted", to_status="approved", comment="Fine."
    )
    offer = RoleOfferFactory(role__project=project, contributor=contributor)
    change = MeetingChange.objects.create(
        meeting=meeting, kind="moved", sequence=1, what="Now on Thursday 3 December 2026, 10:00 to 12:00."
    )
    message = GroupMessage.objects.create(
        project=project, meeting=meeting, audience="invited", subject="Papers for Thursday",
        body="The papers are attached.", sent_by=project.lead, form_token=uuid.uuid4(),
    )
    return {
        Meeting: meeting, Claim: paid, ClaimEvent: event, RoleOffer: offer, MeetingChange: change,
        Project: project, GroupMessage: message,
    }


@pytest.mark.parametrize("key", KEYS)
def test_every_kind_renders_its_email_and_its_staff_task(key, samples, by_phone, staff):
    kind = registry.get(key)
    assert kind.about in samples, f"Add a sample {kind.about.__name__} to this test's samples."
    obj = samples[kind.about]
    recipient = by_phone if not kind.to_staff else staff

    message = channels.build_email(
        kind=key, obj=obj, recipient=recipient, setting=ReminderSetting.objects.get(kind=key)
    )

    assert message.subject and "{" not in message.subject and "None" not in message.subject
    assert message.body.startswith(f"Hello {recipient.display_name},")
    assert "None" not in message.body
    assert message.alternatives[0][1] == "text/html"
    if kind.staff_task:
        assignee, text = channels.staff_task_for(kind=key, obj=obj, contributor=by_phone, now=NOW)
        assert assignee.is_staff and assignee.is_active
        assert text.startswith("Call Zoë O'Brien (07700 900123) ")


# --- the registry's rules --------------------------------------------------------------
def _kind(**fields) -> ReminderKind:
    declaration = dict(
        key="test_thank_you",
        label="Thank you for coming (to the contributor)",
        lead_days=1,
        lead_means="days after the meeting",
        subject="Thank you for coming to {{ meeting.title }}",
        intro="Thank you for taking part. What you said shapes what happens next.",
        about=Meeting,
        load_related=("project", "organiser"),
        candidates=lambda scan, lead_days: MeetingInvitation.objects.filter(
            attended=True,
            meeting__end__lte=scan.now - timedelta(days=lead_days),
            meeting__end__gte=scan.now - timedelta(days=LOOK_BACK_DAYS),
            contributor__is_active=True,
        ).select_related("meeting", "meeting__organiser", "contributor", "contributor__profile"),
        subject_of=lambda invitation: invitation.meeting,
        recipients=lambda invitation, scan: [invitation.contributor],
        occasion="attended",
        context=lambda meeting: {"meeting": meeting, "url": link(("projects:meeting_detail", [meeting.pk]))},
        staff_task=lambda meeting, reach, now: (
            meeting.organiser, f"{reach} to thank them for coming to '{meeting.title}'."
        ),
        template="reminders/email/plain",
    )
    return ReminderKind(**{**declaration, **fields})


@pytest.fixture
def own_registry(monkeypatch):
    """Kinds registered in a test are gone after it."""
    monkeypatch.setattr(registry, "KINDS", dict(registry.KINDS))


def test_a_kind_that_can_reach_contributors_must_say_what_staff_do(own_registry):
    with pytest.raises(ImproperlyConfigured, match="needs a staff_task wording"):
        registry.register(_kind(staff_task=None))
    registry.register(_kind(staff_task=None, to_staff=True))  # staff always get email


def test_two_kinds_cannot_share_a_key(own_registry):
    with pytest.raises(ImproperlyConfigured, match="Two reminder kinds"):
        registry.register(_kind(key="meeting_day_before"))


def test_asking_for_a_kind_that_does_not_exist_is_an_error_not_zero(scan):
    counts = scan()
    with pytest.raises(KeyError, match="meeting_tomorrow"):
        counts["meeting_tomorrow"]
    with pytest.raises(KeyError):
        scan_due_reminders(now=NOW, only=["meeting_tomorrow"])


def test_a_reminder_of_a_kind_no_longer_declared_fails_with_a_reason(contributor):
    meeting = MeetingFactory()
    reminder = ReminderSent.objects.create(
        kind="retired_kind", content_type_id=1, object_id=meeting.pk, subject_key="x", recipient=contributor,
        occasion="once",
    )

    assert deliver_reminder(reminder_id=reminder.pk) == "failed"

    reminder.refresh_from_db()
    assert reminder.last_error == "This kind of reminder is no longer sent."
    assert mail.outbox == []


def test_the_reminders_migrations_carry_their_own_defaults():
    """A migration runs with the code of years later: it imports no kinds, services or schedule,
    only the two functions the schema names (the text validator, the kinds' choices)."""
    allowed = {"reminders.models", "reminders.registry"}
    for path in Path(registry.__file__).parent.joinpath("migrations").glob("0*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                project = [n for n in names if n and n.split(".")[0] == "reminders"]
                assert set(project) <= allowed, f"{path.name} imports {project}"


# --- a new kind is one block --------------------------------------------------------------
@pytest.fixture
def thanks(own_registry):
    return registry.register(_kind())


def test_a_kind_declared_in_one_block_is_scanned_sent_once_and_given_to_staff_for_a_phone_call(
    thanks, scan, contributor, other_contributor
):
    meeting = MeetingFactory(start=NOW - timedelta(days=2))
    InvitationFactory(meeting=meeting, contributor=contributor, attended=True)
    other_contributor.profile.contact_method = "phone"
    other_contributor.profile.phone = "07700 900456"
    other_contributor.profile.save()
    InvitationFactory(meeting=meeting, contributor=other_contributor, attended=True)

    first, second = scan(), scan()  # call it twice: one message each

    assert first["test_thank_you"] == 2 and second["test_thank_you"] == 0
    (message,) = [m for m in mail.outbox if m.subject.startswith("Thank you")]
    assert message.to == [contributor.email]
    assert message.subject == "Thank you for coming to Steering group"
    assert "Thank you for taking part. What you said shapes what happens next." in message.body
    page = reverse("projects:meeting_detail", args=[meeting.pk])
    assert f"See it on the site: https://coproduction.example.org{page}\n" in message.body
    task = StaffTask.objects.get(contributor=other_contributor)
    assert task.assigned_to == meeting.organiser
    assert task.text == "Call Priya Patel (07700 900456) to thank them for coming to 'Steering group'."
    setting = ReminderSetting.objects.get(kind="test_thank_you")  # made from the declaration
    assert (setting.lead_days, setting.subject) == (1, "Thank you for coming to {{ meeting.title }}")


def test_a_kind_declared_in_one_block_is_in_the_admin_and_on_messages_sent_to_me(
    thanks, scan, contributor, admin_client, client
):
    meeting = MeetingFactory(start=NOW - timedelta(days=2))
    InvitationFactory(meeting=meeting, contributor=contributor, attended=True)
    scan()

    settings_page = admin_client.get("/admin/reminders/remindersetting/").content.decode()
    assert "Thank you for coming (to the contributor)" in settings_page
    assert "Days after the meeting (default 1)." in settings_page
    setting = ReminderSetting.objects.get(kind="test_thank_you")
    change = admin_client.get(f"/admin/reminders/remindersetting/{setting.pk}/change/")
    assert change.status_code == 200
    assert "Days after the meeting (default 1)." in change.content.decode()
    sent_page = admin_client.get("/admin/reminders/remindersent/?kind__exact=test_thank_you")
    assert sent_page.status_code == 200
    row = '<td class="field-kind">Thank you for coming (to the contributor)</td>'
    assert row in sent_page.content.decode()

    client.force_login(contributor)
    mine = client.get(reverse("reminders:mine")).content.decode()
    assert "Thank you for coming to Steering group" in mine


def test_a_kind_declared_in_one_block_needs_no_migration(thanks):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())  # exits 1 if it would write
