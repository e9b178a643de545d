"""A message to a group in a real browser at 320px: staff write it from the project page, see
who gets it and how, send it (a double click sends once), and a contributor reads it. (Sending
the same form again after Back is tested in tests/reminders/test_group_messages.py: the preview
is a POST's answer, which Chromium will not show again from Back without asking.)"""

import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

from projects.models import RoleOffer
from reminders.models import GroupMessage, ReminderSent, StaffTask
from tests.reminders.notifyserver import API_KEY, FakeNotify

from .conftest import assert_accessible, assert_fits_320, assert_tables_readable, heading, log_in

pytestmark = pytest.mark.browser
BODY = "From January we meet at the Riverside Centre, which has step-free access."


@pytest.fixture
def notify(settings):
    with FakeNotify() as server:
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_SMS_TEMPLATE_ID = str(uuid.uuid4())
        settings.NOTIFY_BASE_URL = server.url
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        yield server


@pytest.fixture
def panel(staff):
    """A project whose role is held by three people: one by email, one by text, one by phone."""
    from tests.contributors.factories import ContributorFactory
    from tests.reminders.factories import RoleFactory, RoleOfferFactory
    from tests.roles.factories import ProjectFactory

    project = ProjectFactory(title="Better discharge", lead=staff)
    role = RoleFactory(project=project)
    people = [
        ContributorFactory(name="Zoë O'Brien", email="zoe@example.org"),
        ContributorFactory(name="Tom Text"),
        ContributorFactory(name="Pat Phone"),
    ]
    people[1].profile.phone, people[1].profile.accepts_texts = "07700 900456", True
    people[2].profile.phone, people[2].profile.contact_method = "07700 900789", "phone"
    for person in people:
        person.profile.save()
        RoleOfferFactory(role=role, contributor=person, status=RoleOffer.Status.ACCEPTED)
    return project, people


def see(page, what):
    assert_fits_320(page)
    assert_tables_readable(page)
    assert_accessible(page, what)


def test_staff_send_a_message_to_everyone_on_a_project_and_a_contributor_reads_it(
    page, live_server, staff, panel, notify
):
    project, (zoe, tom, pat) = panel
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Send a message to people on the project").click()
    expect(heading(page)).to_have_text("Send a message to people on Better discharge")
    see(page, "message form")

    page.get_by_label("Everyone holding a role on the project").check()
    page.get_by_label("Subject").fill("Venue change in January")
    page.get_by_label("Message").fill(BODY)
    page.get_by_role("button", name="See who will get it").click()

    expect(page.get_by_role("heading", name="Who will get it, and how")).to_be_visible()
    expect(page.get_by_text("Email to zoe@example.org")).to_be_visible()
    expect(page.get_by_text("Text message to 07700 900456")).to_be_visible()
    expect(page.get_by_text("A phone call: a staff task to phone them")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("Venue change in January")
    see(page, "message preview")
    assert ReminderSent.objects.count() == 0

    page.get_by_role("button", name="Send the message to 3 people").dblclick()
    expect(page.get_by_text("Message sent to 3 people")).to_be_visible()
    expect(heading(page)).to_have_text("Venue change in January")
    see(page, "message sent, with who got it")
    page.reload()  # the message's page: reloading it sends nothing

    assert GroupMessage.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["zoe@example.org"]]
    assert [t["phone_number"] for t in notify.received] == ["+447700900456"]
    assert StaffTask.objects.get().text.startswith("Call Pat Phone (07700 900789) to pass on the message")
    page.context.clear_cookies()  # another person on another phone

    # Zoë finds it among the messages sent to her and reads it.
    log_in(page, live_server, zoe.email)
    page.goto(f"{live_server.url}/reminders/")
    page.get_by_role("link", name="Venue change in January").click()
    expect(heading(page)).to_have_text("Venue change in January")
    expect(page.get_by_text(BODY)).to_be_visible()
    expect(page.get_by_text("Who it was sent to")).to_have_count(0)
    see(page, "a message read by a contributor")
