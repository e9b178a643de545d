"""Messages from staff to a group: everyone holding a role, everyone invited to a meeting, or
people staff choose; each person in their own way (email, text, a call or a letter), once."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from contributors.models import User
from projects.models import RoleOffer
from reminders import views_messages
from reminders.models import GroupMessage, ReminderSent, StaffTask
from reminders.services import ReminderError, group_message_send
from reminders.tasks import send_reminder
from tests.contributors.factories import ContributorFactory
from tests.projects.factories import ProjectFactory

from .factories import InvitationFactory, MeetingFactory, RoleFactory, RoleOfferFactory
from .notifyserver import API_KEY, FakeNotify

pytestmark = pytest.mark.django_db
WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]


@pytest.fixture
def notify(settings):
    with FakeNotify() as server:
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_SMS_TEMPLATE_ID = str(uuid.uuid4())
        settings.NOTIFY_BASE_URL = server.url
        yield server


@pytest.fixture
def project(staff):
    return ProjectFactory(lead=staff, title="Better discharge")


def _person(name, **profile):
    person = ContributorFactory(name=name)
    for field, value in profile.items():
        setattr(person.profile, field, value)
    person.profile.save()
    return person


@pytest.fixture
def group(project, contributor):
    """Four people holding a role, each reached a different way, and one who declined."""
    role = RoleFactory(project=project)
    people = {
        "email": contributor,
        "text": _person("Tom Text", phone="07700 900456", accepts_texts=True),
        "phone": _person("Pat Phone", phone="07700 900789", contact_method="phone"),
        "post": _person("Lou Letter", address="3 Canal Street\nLeeds", contact_method="post"),
    }
    for person in people.values():
        RoleOfferFactory(role=role, contributor=person, status=RoleOffer.Status.ACCEPTED)
    RoleOfferFactory(role=role, contributor=_person("Dee Declined"), status=RoleOffer.Status.DECLINED)
    return people


def _send(project, staff, capture, **kwargs):
    fields = dict(
        actor=staff,
        project=project,
        audience="role_holders",
        subject="Venue change in January",
        body="From January we meet at the Riverside Centre.",
        form_token=uuid.uuid4(),
    )
    fields.update(kwargs)
    with capture(execute=True):
        return group_message_send(**fields)


def test_it_reaches_everyone_holding_a_role_each_in_their_own_way(
    project, staff, group, notify, django_capture_on_commit_callbacks
):
    message, created = _send(project, staff, django_capture_on_commit_callbacks)

    assert created
    [email] = mail.outbox
    assert email.to == [group["email"].email]
    assert email.subject == "Venue change in January"
    assert "From January we meet at the Riverside Centre." in email.body
    [text] = notify.received
    assert text["phone_number"] == "+447700900456"
    assert text["personalisation"]["body"] == (
        "Co-production: Venue change in January. From January we meet at the Riverside Centre. "
        f"Details: https://coproduction.example.org/reminders/messages/{message.pk}/"
    )
    tasks = {task.contributor.name: task.text for task in StaffTask.objects.all()}
    assert tasks == {
        "Pat Phone": "Call Pat Phone (07700 900789) to pass on the message 'Venue change in January': "
        "From January we meet at the Riverside Centre.",
        "Lou Letter": "Write to Lou Letter (3 Canal Street, Leeds) to pass on the message 'Venue change "
        "in January': From January we meet at the Riverside Centre.",
    }
    assert all(task.assigned_to == staff for task in StaffTask.objects.all())
    copies = ReminderSent.objects.filter(kind="group_message")
    assert sorted(copies.values_list("channel", "status")) == [
        ("email", "sent"),
        ("sms", "sent"),
        ("staff_task", "sent"),
        ("staff_task", "sent"),
    ]
    assert not copies.filter(recipient__name="Dee Declined").exists()


def test_the_same_form_sent_twice_or_a_task_run_again_sends_once(
    project, staff, group, notify, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    first, created = _send(project, staff, django_capture_on_commit_callbacks, form_token=token)
    again, created_again = _send(project, staff, django_capture_on_commit_callbacks, form_token=token)
    for copy in ReminderSent.objects.all():  # a task delivered twice by the broker
        send_reminder.apply(args=[copy.pk])

    assert (created, created_again, again) == (True, False, first)
    assert GroupMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert len(notify.received) == 1
    assert StaffTask.objects.count() == 2


def test_the_database_refuses_a_second_copy_to_the_same_person(
    project, staff, group, notify, django_capture_on_commit_callbacks
):
    from django.db import IntegrityError, transaction

    _send(project, staff, django_capture_on_commit_callbacks)
    copy = ReminderSent.objects.filter(kind="group_message").first()
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_message_to_a_meeting_reaches_everyone_invited_and_nobody_else(
    project, staff, contributor, other_contributor, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(project=project)
    InvitationFactory(meeting=meeting, contributor=contributor)
    MeetingFactory(project=project, title="Another").invitations.create(contributor=other_contributor)

    _send(project, staff, django_capture_on_commit_callbacks, meeting=meeting, audience="invited")

    assert [m.to for m in mail.outbox] == [[contributor.email]]


def test_only_the_people_chosen_get_it(project, staff, group, django_capture_on_commit_callbacks):
    _send(project, staff, django_capture_on_commit_callbacks, audience="chosen", chosen=[group["email"]])

    assert list(ReminderSent.objects.values_list("recipient__name", flat=True)) == ["Zoë O'Brien"]


def test_someone_outside_the_project_cannot_be_chosen(project, staff, other_contributor):
    with pytest.raises(ReminderError, match="Nobody would get this message"):
        group_message_send(
            actor=staff,
            project=project,
            audience="chosen",
            chosen=[other_contributor],
            subject="Hi",
            body="Hello",
            form_token=uuid.uuid4(),
        )
    assert GroupMessage.objects.count() == 0


def test_staff_outside_the_project_cannot_send(project, other_staff, group):
    with pytest.raises(ReminderError, match="Only the project's lead and team"):
        group_message_send(
            actor=other_staff,
            project=project,
            audience="role_holders",
            subject="Hi",
            body="Hello",
            form_token=uuid.uuid4(),
        )


# --- the page ---------------------------------------------------------------------------
def _form(token, **extra):
    return {
        "audience": "role_holders",
        "subject": "Venue change in January",
        "body": "From January we meet at the Riverside Centre.",
        "form_token": str(token),
        **extra,
    }


def test_the_preview_says_who_gets_it_and_how_and_sends_nothing(client, staff, project, group):
    client.force_login(staff)
    url = reverse("reminders:message_project", args=[project.pk])

    page = client.post(url, _form(uuid.uuid4(), preview="1")).content.decode()

    assert "Who will get it, and how" in page
    assert f"Email to {group['email'].email}" in page
    assert "Text message to 07700 900456" in page
    assert "A phone call: a staff task to phone them" in page
    assert "A letter: a staff task to print and post it" in page
    assert "Dee Declined" not in page
    assert "Send the message to 4 people" in page
    assert 'value="Venue change in January"' in page  # what they typed is kept
    assert ReminderSent.objects.count() == 0 and mail.outbox == []


def test_sending_twice_from_the_page_sends_once(
    client, staff, project, group, notify, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("reminders:message_project", args=[project.pk])
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, _form(token, send="1"), follow=True)
        second = client.post(url, _form(token, send="1"), follow=True)

    assert "Message sent to 4 people: 1 by email, 1 by text, 2 as a task for staff (a call or a letter)." in (
        first.content.decode()
    )
    assert "This message was already sent; it was not sent again." in second.content.decode()
    assert len(mail.outbox) == 1 and len(notify.received) == 1
    message = GroupMessage.objects.get()
    assert first.redirect_chain[-1][0] == reverse("reminders:message", args=[message.pk])


def test_choosing_nobody_is_explained_and_keeps_the_words(client, staff, project, group):
    client.force_login(staff)
    url = reverse("reminders:message_project", args=[project.pk])

    page = client.post(url, _form(uuid.uuid4(), audience="chosen", send="1")).content.decode()

    assert "Choose at least one person, or send it to the whole group." in page
    assert "From January we meet at the Riverside Centre." in page
    assert GroupMessage.objects.count() == 0


def test_each_opening_of_the_form_has_its_own_one_use_token(client, staff, project, group):
    # The empty form comes from the cache: its token must still be new each time, or two
    # messages written in two tabs would count as one sent twice.
    client.force_login(staff)
    url = reverse("reminders:message_project", args=[project.pk])
    tokens = [
        re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode()).group(1)
        for _ in range(3)
    ]
    assert len(set(tokens)) == 3
    assert all(uuid.UUID(token) and token != views_messages.FORM_TOKEN_PLACEHOLDER for token in tokens)
    page = client.get(url).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="(?!csrf-token-placeholder)[^"]+"', page)


def test_the_people_ticked_stay_ticked_when_the_form_comes_back(client, staff, project, group):
    client.force_login(staff)
    url = reverse("reminders:message_project", args=[project.pk])
    person = group["email"]

    page = client.post(url, _form(uuid.uuid4(), audience="chosen", subject="", people=[person.pk])).content
    page = page.decode()

    ticked = re.findall(r'<input[^>]*name="people" value="(\d+)"[^>]*checked', page)
    assert ticked == [str(person.pk)]
    assert re.search(rf'<label class="form-check-label" for="[^"]+">{person.display_name}</label>', page)
    assert "This field is required." in page  # the subject left empty


def test_the_meeting_page_offers_its_invited_people(client, staff, project, contributor):
    meeting = MeetingFactory(project=project)
    InvitationFactory(meeting=meeting, contributor=contributor)
    client.force_login(staff)

    assert (
        reverse("reminders:message_meeting", args=[meeting.pk])
        in client.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    )
    page = client.post(
        reverse("reminders:message_meeting", args=[meeting.pk]),
        _form(uuid.uuid4(), audience="invited", preview="1"),
    ).content.decode()
    assert f"Email to {contributor.email}" in page


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_only_staff_on_the_project_may_write_to_its_people(client, cast, project, who_index):
    meeting = MeetingFactory(project=project)
    if cast[WHO[who_index]]:
        client.force_login(cast[WHO[who_index]])
    expected = [302, 403, 403, 403, 200, 200][who_index]
    for url in (
        reverse("reminders:message_project", args=[project.pk]),
        reverse("reminders:message_meeting", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == expected, url
        assert client.post(url, _form(uuid.uuid4(), send="1")).status_code in (expected, 302)
    assert (
        GroupMessage.objects.filter(
            sent_by__in=[cast["other_contributor"], cast["contributor"], cast["outside_staff"]]
        ).count()
        == 0
    )


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_the_message_page_is_for_its_recipients_and_the_project_staff(
    client, cast, project, staff, group, who_index, django_capture_on_commit_callbacks
):
    message, _ = _send(
        project, staff, django_capture_on_commit_callbacks, audience="chosen", chosen=[group["email"]]
    )
    if cast[WHO[who_index]]:
        client.force_login(cast[WHO[who_index]])
    response = client.get(reverse("reminders:message", args=[message.pk]))
    assert response.status_code == [302, 404, 200, 404, 200, 200][who_index]
    if response.status_code == 200:
        page = response.content.decode()
        assert "From January we meet at the Riverside Centre." in page
        # Only staff see who else got it.
        assert ("Who it was sent to" in page) == (WHO[who_index] in {"project_staff", "admin"})


def test_a_recipient_finds_it_in_messages_sent_to_me_and_in_their_data(
    client, project, staff, contributor, group, django_capture_on_commit_callbacks
):
    message, _ = _send(project, staff, django_capture_on_commit_callbacks)
    client.force_login(contributor)

    page = client.get(reverse("reminders:mine")).content.decode()
    assert reverse("reminders:message", args=[message.pk]) in page
    assert "Venue change in January" in page

    from coproduction.personal_data import personal_data

    data = personal_data(contributor)
    text = str(data)
    assert "From January we meet at the Riverside Centre." in text
    assert f"reminders.groupmessage:{message.pk}" in text


def test_a_failed_text_is_shown_to_staff_on_the_message(
    client, project, staff, group, notify, django_capture_on_commit_callbacks
):
    notify.refuse_numbers.add("+447700900456")
    message, _ = _send(project, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)

    page = client.get(reverse("reminders:message", args=[message.pk])).content.decode()

    assert "Failed to send" in page
    assert "phone_number Not a UK mobile number" in page


def test_erasing_a_recipient_removes_their_name_from_a_message_they_got(
    project, staff, admin_user, group, django_capture_on_commit_callbacks
):
    from contributors.services import person_anonymise

    person = group["email"]
    message, _ = _send(
        project,
        staff,
        django_capture_on_commit_callbacks,
        audience="chosen",
        chosen=[person],
        body="Zoë, thank you for chairing.",
    )
    person_anonymise(user=person, actor=admin_user)

    message.refresh_from_db()
    assert "Zoë" not in message.body
    assert User.objects.get(pk=person.pk).name in message.body
