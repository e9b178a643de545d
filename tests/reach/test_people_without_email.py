"""People who do not use email: added by staff, reached by phone or post, answers and claims
recorded for them, and given a login later without losing anything."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from contributors.models import User
from contributors.services import PersonError, contributor_add_offline, contributor_give_login, profile_update
from core.phones import clean_phone
from expenses.models import Claim
from expenses.services import LineInput, claim_create
from projects.models import RoleOffer
from projects.services.roles import RoleError, offer_answer_record, offer_make
from reminders.models import ReminderSent, ReminderSetting, StaffTask
from reminders.services import scan_due_reminders
from tests.factories import PASSWORD, ContributorFactory

pytestmark = pytest.mark.django_db


def test_phone_numbers_are_checked_and_written_one_way():
    assert clean_phone("07700900123") == "07700 900123"
    assert clean_phone("+44 113 496 0000") == "0113 496 0000"
    assert clean_phone("+33 1 23 45 67 89") == "+33 1 23 45 67 89"
    for wrong in ("12345", "call me", "0770090012399"):
        with pytest.raises(ValueError, match="Enter a phone number we can call"):
            clean_phone(wrong)


def test_two_people_without_email_can_exist_and_an_email_stays_unique(staff):
    one = contributor_add_offline(name="Bob Bryant", contact_method="phone", phone="07700900456", actor=staff)
    two = contributor_add_offline(name="Cat Cole", contact_method="phone", phone="07700900457", actor=staff)
    assert one.email is None and two.email is None
    assert one.profile.phone == "07700 900456"
    assert not one.has_usable_password() and not one.has_login
    assert str(one) == "Bob Bryant"


def test_adding_the_same_person_twice_is_refused(staff):
    contributor_add_offline(name="Bob Bryant", contact_method="phone", phone="07700900456", actor=staff)
    with pytest.raises(PersonError, match="Bob Bryant is already in the pool"):
        contributor_add_offline(name="Bob Bryant", contact_method="phone", phone="07700 900456", actor=staff)


def test_someone_without_email_must_be_reachable(staff):
    with pytest.raises(PersonError, match="need a phone number"):
        contributor_add_offline(name="Bob Bryant", contact_method="phone", actor=staff)
    with pytest.raises(PersonError, match="need a postal address"):
        contributor_add_offline(name="Bob Bryant", contact_method="post", actor=staff)
    with pytest.raises(PersonError, match="Choose phone or post"):
        contributor_add_offline(name="Bob Bryant", contact_method="email", actor=staff)
    with pytest.raises(PersonError, match="Enter a phone number we can call"):
        contributor_add_offline(name="Bob Bryant", contact_method="phone", phone="999", actor=staff)


def test_a_contributor_cannot_add_people(contributor):
    with pytest.raises(PersonError, match="Only staff"):
        contributor_add_offline(name="Bob", contact_method="phone", phone="07700900456", actor=contributor)


def test_a_profile_phone_is_checked_too(contributor):
    with pytest.raises(PersonError, match="Enter a phone number we can call") as error:
        profile_update(
            actor=contributor, name="Zoë O'Brien", preferred_name="", availability=set(),
            profile_data={"phone": "not a number"},
        )
    assert error.value.field == "phone"


def test_texts_need_a_mobile_number(contributor):
    with pytest.raises(PersonError, match="Texts need a mobile phone number"):
        profile_update(
            actor=contributor, name="Zoë O'Brien", preferred_name="", availability=set(),
            profile_data={"phone": "0113 496 0000", "accepts_texts": True},
        )


def test_staff_add_a_person_on_the_site_and_back_and_save_again_adds_one(client, staff):
    client.force_login(staff)
    data = {"name": "Bob Bryant", "contact_method": "phone", "phone": "07700900456", "address": ""}
    response = client.post(reverse("contributors:add_offline"), data, follow=True)
    person = User.objects.get(name="Bob Bryant")
    assert "Bob Bryant is in the pool" in response.content.decode()
    assert "Give them a login" in response.content.decode()
    again = client.post(reverse("contributors:add_offline"), data)
    assert again.status_code == 200
    assert "Bob Bryant is already in the pool" in again.content.decode()
    assert User.objects.filter(name="Bob Bryant").count() == 1
    assert person.profile.contact_method == "phone"


def test_the_add_form_shows_a_bad_number_beside_the_field(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("contributors:add_offline"), {"name": "Bob Bryant", "contact_method": "phone", "phone": "12"}
    )
    assert response.status_code == 200
    assert "Enter a phone number we can call" in response.content.decode()
    assert 'value="12"' in response.content.decode()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("contributor", 403), ("staff", 200), ("admin_user", 200)]
)
def test_who_may_add_and_give_a_login(client, request, who, status, by_post):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in (reverse("contributors:add_offline"), reverse("contributors:give_login", args=[by_post.pk])):
        assert client.get(url).status_code == status


def test_a_person_by_post_goes_from_being_added_to_having_a_claim_entered(
    client, staff, by_post, role, project, django_capture_on_commit_callbacks
):
    # Offered a role like anyone else.
    offer = offer_make(role=role, contributor_id=by_post.pk, actor=staff)
    # The confirmation of the offer becomes a letter for staff to print, once.
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders()
        scan_due_reminders()
    (reminder,) = ReminderSent.objects.filter(recipient=by_post, kind="offer_made")
    assert reminder.channel == "staff_task" and reminder.status == "sent"
    assert mail.outbox == []
    task = StaffTask.objects.get(reminder=reminder)
    assert task.text.startswith("Write to Ada Ńwosu (12 Mill Lane, Leeds, LS1 4AB)")
    client.force_login(staff)
    dashboard = client.get(reverse("staff_dashboard")).content.decode()
    assert "Print the letter" in dashboard
    letter = client.get(reverse("reminders:task_letter", args=[task.pk])).content.decode()
    assert "12 Mill Lane<br>Leeds<br>LS1 4AB" in letter
    assert "Hello Ada Ńwosu," in letter
    assert "Mark as posted" in letter
    client.post(reverse("reminders:task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == staff

    # She phones to say yes: staff record it, with the same rules as her own button.
    page = client.get(reverse("projects:role_detail", args=[role.pk])).content.decode()
    assert "Record: accepted" in page
    response = client.post(
        reverse("projects:offer_answer_record", args=[offer.pk]), {"answer": "accept"}, follow=True
    )
    assert "Recorded: Ada Ńwosu accepted the role (version 1 of the terms)." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.ACCEPTED and offer.answer_recorded_by == staff
    assert offer.acceptances.count() == 1

    # Her paper claim is entered by staff.
    claim = claim_create(
        contributor=by_post, project=project, actor=staff,
        lines=[LineInput(
            kind="mileage_car", date=date.today() - timedelta(days=1), description="To the clinic",
            quantity=Decimal("10"),
        )],
    )
    assert claim.status == Claim.Status.SUBMITTED and claim.entered_on_behalf
    assert claim.total == Decimal("4.50")  # 10 miles at HMRC's 45p


def test_staff_cannot_answer_for_someone_who_answers_on_the_site(staff, contributor, role):
    offer = offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    with pytest.raises(RoleError, match="answers on the site"):
        offer_answer_record(offer_id=offer.pk, accept=True, actor=staff)


def test_a_person_without_email_is_given_a_login_and_keeps_their_history(
    client, staff, by_post, role, django_capture_on_commit_callbacks
):
    offer = offer_make(role=role, contributor_id=by_post.pk, actor=staff)
    offer_answer_record(offer_id=offer.pk, accept=True, actor=staff)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributors:give_login", args=[by_post.pk]), {"email": "Ada@Example.org"}, follow=True
        )
    assert "Invitation sent to ada@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    link = next(word for word in message.body.split() if "/invitation/" in word)
    client.logout()
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    by_post.refresh_from_db()
    assert by_post.email == "ada@example.org" and by_post.has_usable_password()
    assert RoleOffer.objects.get(pk=offer.pk).contributor == by_post
    assert client.login(email="ada@example.org", password=PASSWORD)


def test_giving_a_login_refuses_an_address_someone_else_has(staff, by_post):
    ContributorFactory(email="taken@example.org")
    with pytest.raises(PersonError, match="already used by another account"):
        contributor_give_login(user=by_post, email="taken@example.org", actor=staff)
    by_post.refresh_from_db()
    assert by_post.email is None


def test_a_reminder_setting_switched_off_sends_no_letter(
    staff, by_post, role, django_capture_on_commit_callbacks
):
    ReminderSetting.objects.filter(kind="offer_made").update(enabled=False)
    offer_make(role=role, contributor_id=by_post.pk, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders()
    assert not StaffTask.objects.exists()


def test_a_person_by_phone_goes_from_being_added_to_being_paid(
    client, staff, finance, role, project, django_capture_on_commit_callbacks
):
    """Bea never uses the web: every step is staff acting for her, and every message to her is
    a call on the staff task list, one task a day with everything to tell her."""
    from expenses import services as claims

    def scan():
        with django_capture_on_commit_callbacks(execute=True):
            scan_due_reminders()

    ReminderSetting.objects.filter(kind="offer_made").update(enabled=True)
    bea = contributor_add_offline(name="Bea Jones", contact_method="phone", phone="07700900456", actor=staff)
    assert not bea.email and not bea.has_usable_password() and bea.profile.phone == "07700 900456"

    # Offered the role: a call for staff; she says yes on the phone and staff record it.
    offer = offer_make(role=role, contributor_id=bea.pk, actor=staff)
    scan()
    task = StaffTask.objects.get(contributor=bea)
    assert task.text.startswith("Call Bea Jones (07700 900456)")
    offer_answer_record(offer_id=offer.pk, accept=True, actor=staff)
    client.force_login(staff)
    client.post(reverse("reminders:task_done", args=[task.pk]))
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.ACCEPTED

    # Her paper claim is entered by staff, approved, put in a payment run and paid.
    claim = claim_create(
        contributor=bea, project=project, actor=staff,
        lines=[LineInput(
            kind="mileage_car", date=date.today() - timedelta(days=1), description="To the clinic",
            quantity=Decimal("10"),
        )],
    )
    claims.claim_approve(claim_id=claim.pk, actor=finance)  # not the one who entered it
    batch = claims.batch_create(actor=finance)
    claims.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="BACS-0002", paid_on=date.today())
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID and claim.total == Decimal("4.50")

    # "Your claim has been paid" reaches her as a call, once however often the scan runs.
    scan()
    scan()
    paid_call = ReminderSent.objects.get(recipient=bea, kind="claim_paid")
    assert (paid_call.channel, paid_call.status) == ("staff_task", "sent")
    assert paid_call.task.text == (
        "Call Bea Jones (07700 900456) to tell them their claim of £4.50 has been paid."
    )
    assert mail.outbox == []
