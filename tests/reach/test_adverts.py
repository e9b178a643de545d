"""Public adverts: anyone reads and applies without an account; spam is kept out without a
CAPTCHA; staff shortlist, turn down or offer, and an offer makes the applicant a contributor."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from contributors.models import User
from projects.models import Application, Role, RoleOffer
from projects.services.adverts import application_offer, application_submit, screening_questions_set
from projects.services.roles import RoleError, role_update
from reminders.models import StaffTask
from reminders.services import scan_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the rate limit counts per address across tests otherwise
    yield
    cache.clear()


@pytest.fixture
def advert(role, staff):
    role, _ = role_update(
        role=role,
        actor=staff,
        advertised=True,
        closing_date=timezone.localdate() + timedelta(days=14),
        payment_terms="£25 an hour, paid by bank transfer. Travel paid back.",
        apply_offline="Phone Sam on 0113 496 0000, or write to Engagement team, 1 Park Row, Leeds.",
        support_offered="Large print papers, step-free rooms, a carer's costs paid.",
    )
    screening_questions_set(
        role=role, texts=["Have you used a diabetes clinic in the last 2 years?"], actor=staff
    )
    return role


def apply_data(advert, **overrides):
    question = advert.screening_questions.get()
    data = {
        "name": "Zoë Ngata",
        "contact_method": "email",
        "email": "zoe.ngata@example.org",
        "phone": "",
        "address": "",
        "statement": "I have type 1 diabetes and use the clinic.",
        "access_needs": "Large print",
        f"question_{question.pk}": "Yes, every three months.",
        "website": "",
    }
    return {**data, **overrides}


def test_anyone_reads_the_public_list_and_the_advert(client, advert, role):
    listing = client.get(reverse("projects:adverts")).content.decode()
    assert advert.title in listing and "£25 an hour" in listing
    page = client.get(reverse("projects:advert_detail", args=[advert.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for words in (
        "£25 an hour, paid by bank transfer",
        "Large print papers",
        "Phone Sam on 0113 496 0000",
        "Apply online",
        f"{advert.closing_date:%-d %B %Y}",
    ):
        assert words in text


def test_the_public_list_comes_in_pages_of_twenty_with_the_same_queries(
    client, role, staff, django_assert_max_num_queries
):
    closing = timezone.localdate() + timedelta(days=14)
    Role.objects.bulk_create(
        Role(project=role.project, title=f"Reader {n:02}", purpose="Read papers.", activities="Reading.",
             time_commitment="An hour.", payment_terms="£20 a meeting.",
             selection_method=role.selection_method,
             status=Role.Status.OPEN, advertised=True, closing_date=closing)
        for n in range(45)
    )
    with django_assert_max_num_queries(3):
        first = client.get(reverse("projects:adverts")).content.decode()
    assert "Reader 00" in first and "Reader 19" in first and "Reader 20" not in first
    assert "Page 1 of 3" in first and "Next page" in first
    last = client.get(reverse("projects:adverts"), {"page": "3"}).content.decode()
    assert "Reader 44" in last and "Reader 39" not in last


def test_a_role_not_advertised_is_not_public(client, role):
    assert client.get(reverse("projects:advert_detail", args=[role.pk])).status_code == 404
    assert role.title not in client.get(reverse("projects:adverts")).content.decode()


def test_the_closing_date_closes_the_advert(client, advert, staff):
    advert.closing_date = timezone.localdate() - timedelta(days=1)
    advert.save()
    assert advert.title not in client.get(reverse("projects:adverts")).content.decode()
    page = client.get(reverse("projects:advert_detail", args=[advert.pk]))
    assert page.status_code == 410 and "This advert has closed" in page.content.decode()
    response = client.post(reverse("projects:advert_apply", args=[advert.pk]), apply_data(advert))
    assert response.status_code == 410
    assert not Application.objects.exists()


def test_an_advert_needs_a_closing_date(role, staff):
    with pytest.raises(RoleError, match="needs a closing date"):
        role_update(role=role, actor=staff, advertised=True, closing_date=None)


def test_applying_needs_no_account_and_keeps_the_answers(client, advert):
    response = client.post(
        reverse("projects:advert_apply", args=[advert.pk]), apply_data(advert), follow=True
    )
    assert "Thank you for applying" in response.content.decode()
    application = Application.objects.get()
    assert application.name == "Zoë Ngata" and application.access_needs == "Large print"
    assert application.answers == [
        {
            "question": "Have you used a diabetes clinic in the last 2 years?",
            "answer": "Yes, every three months.",
        }
    ]
    assert not User.objects.filter(email="zoe.ngata@example.org").exists()
    again = client.post(reverse("projects:advert_apply", args=[advert.pk]), apply_data(advert))
    assert "We already have your application" in again.content.decode()
    assert Application.objects.count() == 1


def test_a_missing_answer_or_contact_is_shown_beside_the_field(client, advert):
    question = advert.screening_questions.get()
    response = client.post(
        reverse("projects:advert_apply", args=[advert.pk]),
        apply_data(advert, contact_method="phone", email="", **{f"question_{question.pk}": ""}),
    )
    text = response.content.decode()
    assert "Please answer: Have you used a diabetes clinic" in text
    response = client.post(
        reverse("projects:advert_apply", args=[advert.pk]),
        apply_data(advert, contact_method="phone", email=""),
    )
    assert "Give your phone number, or choose email or post." in response.content.decode()
    assert 'value="Zoë Ngata"' in response.content.decode()


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_kept(client, advert):
    data = apply_data(advert, website="http://spam.example")
    response = client.post(reverse("projects:advert_apply", args=[advert.pk]), data, follow=True)
    assert "Thank you for applying" in response.content.decode()
    assert not Application.objects.exists()


def test_five_applications_an_hour_from_one_address(client, advert):
    url = reverse("projects:advert_apply", args=[advert.pk])
    for n in range(5):
        assert (
            client.post(url, apply_data(advert, name=f"Person {n}", email=f"p{n}@example.org")).status_code
            == 302
        )
    response = client.post(url, apply_data(advert, name="Person 6", email="p6@example.org"))
    assert response.status_code == 429
    assert "several applications from your connection" in response.content.decode()
    assert Application.objects.count() == 5
    other = client.post(
        url, apply_data(advert, name="Person 7", email="p7@example.org"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_an_offer_by_email_invites_the_applicant_and_the_account_takes_the_offer(
    client, staff, advert, django_capture_on_commit_callbacks
):
    client.post(reverse("projects:advert_apply", args=[advert.pk]), apply_data(advert))
    application = Application.objects.get()
    client.force_login(staff)
    page = client.get(reverse("projects:role_interests", args=[advert.pk])).content.decode()
    assert "Zoë Ngata" in page and "Yes, every three months." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:application_offer", args=[application.pk]), follow=True)
    assert (
        "Offer made to Zoë Ngata. We have emailed them a link to set a password" in response.content.decode()
    )
    (invitation,) = mail.outbox
    assert invitation.to == ["zoe.ngata@example.org"]
    application.refresh_from_db()
    person = application.contributor
    assert application.status == "offered" and person.email == "zoe.ngata@example.org"
    assert person.profile.access_needs == "Large print"
    assert RoleOffer.objects.get(role=advert).contributor == person


def test_an_offer_to_a_phone_applicant_makes_a_contributor_without_login_and_a_call_task(
    staff, advert, django_capture_on_commit_callbacks
):
    application = application_submit(
        role_id=advert.pk,
        name="Bob Bryant",
        contact_method="phone",
        phone="07700900456",
        statement="I care for my dad.",
        answers={advert.screening_questions.get().pk: "No"},
    )
    application_offer(application_id=application.pk, actor=staff)
    application.refresh_from_db()
    assert application.contributor.email is None and application.contributor.profile.phone == "07700 900456"
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders()
    (task,) = StaffTask.objects.all()
    assert task.text.startswith("Call Bob Bryant (07700 900456)")
    assert mail.outbox == []
    with pytest.raises(RoleError, match="already offered the role"):
        application_offer(application_id=application.pk, actor=staff)


def test_staff_turn_down_with_a_reason(client, staff, advert):
    application = application_submit(
        role_id=advert.pk,
        name="Bob Bryant",
        contact_method="post",
        address="1 Mill Lane\nLeeds",
        statement="Keen.",
        answers={advert.screening_questions.get().pk: "No"},
    )
    client.force_login(staff)
    url = reverse("projects:application_turn_down", args=[application.pk])
    assert "Give a reason" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "We needed someone who uses the clinic."})
    application.refresh_from_db()
    assert application.status == "turned_down" and application.decided_by == staff


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("contributor", 403), ("other_staff", 404), ("staff", 200), ("admin_user", 200)],
)
def test_who_may_handle_applications(client, request, advert, who, status):
    application = application_submit(
        role_id=advert.pk,
        name="Bob Bryant",
        contact_method="phone",
        phone="07700900456",
        statement="Keen.",
        answers={advert.screening_questions.get().pk: "No"},
    )
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("projects:application_turn_down", args=[application.pk])).status_code == status
    posted = client.post(reverse("projects:application_shortlist", args=[application.pk]))
    assert posted.status_code == (302 if status == 200 else status)
    application.refresh_from_db()
    assert (application.status == "shortlisted") == (status == 200)


def test_the_public_list_takes_a_fixed_number_of_queries(
    client, advert, staff, project, django_assert_max_num_queries
):
    from tests.roles.factories import make_role

    for n in range(10):
        make_role(
            project=project,
            by=staff,
            title=f"Role {n}",
            advertised=True,
            closing_date=timezone.localdate() + timedelta(days=3),
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:adverts"))
    assert response.status_code == 200
    assert response.content.decode().count("Closing date") == 11


def test_the_advert_shows_the_roles_actual_rates_and_fees(client, advert):
    from datetime import date
    from decimal import Decimal

    from expenses.models import Rate

    Rate.objects.create(
        kind="fixed_fee", activity="attending a focus group", role=advert, amount=Decimal("40.00"),
        effective_from=date(2025, 1, 1),
    )
    text = client.get(reverse("projects:advert_detail", args=[advert.pk])).content.decode()
    assert "Fixed fee: attending a focus group" in text and "£40.00" in text
    assert "Per hour" in text  # the organisation's hourly rate, which the role does not replace
