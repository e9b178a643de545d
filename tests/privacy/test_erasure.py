"""Erasing a person reaches every copy: afterwards no column of any table holds their name,
phone number, email or address, while the money that must be kept still adds up."""

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Sum

from contributors.erasure import registered
from contributors.models import User
from expenses.models import Claim, ClaimLine, PaymentBatch, Receipt
from projects.models import ProjectEvent
from reminders.models import ReminderSent, StaffTask
from tests.factories import AdminFactory

from .person import EMAIL, NAME, PHONE, PREFERRED, build

pytestmark = pytest.mark.django_db

NEEDLES = [
    NAME, PREFERRED, "Zoe O'Brien", "O'Brien", PHONE, PHONE.replace(" ", ""), "+44 7700 900123", EMAIL,
    "12 Acacia Avenue", "LS1 4AP",
]


def _columns():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                yield table, column.name


def copies_left(needles) -> list[str]:
    """Every table and column, whatever its type, read as text and searched for each needle."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in _columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} holds {needle!r}")
    return found


def money() -> dict:
    return {
        "claims": Claim.objects.count(),
        "claim totals": Claim.objects.aggregate(s=Sum("total"))["s"],
        "time": Claim.objects.aggregate(s=Sum("time_amount"))["s"],
        "expenses": Claim.objects.aggregate(s=Sum("expenses_amount"))["s"],
        "lines": ClaimLine.objects.count(),
        "line amounts": ClaimLine.objects.aggregate(s=Sum("amount"))["s"],
        "paid": Claim.objects.filter(status="paid").aggregate(s=Sum("total"))["s"],
        "batches": list(PaymentBatch.objects.values_list("pk", "reference", "status", "paid_on")),
        "batch total": PaymentBatch.objects.aggregate(s=Sum("claims__total"))["s"],
        "receipts": Receipt.objects.count(),
        "statuses": sorted(Claim.objects.values_list("pk", "status")),
    }


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build(django_capture_on_commit_callbacks)


def test_every_app_erases_its_own_copies():
    assert registered() == ["projects", "expenses", "reminders"]


def test_after_erasure_no_column_of_any_table_holds_her_name_phone_email_or_address(world, client):
    zoe = world.zoe
    # Logged in on her phone, and a login code waiting in another browser.
    client.force_login(zoe)
    from django.test import Client

    Client().post("/accounts/login/code/", {"email": EMAIL})
    assert copies_left([NAME, PHONE]), "the world should hold her details before erasure"
    before = money()
    assert before["paid"] == Decimal("12.50")

    admin = AdminFactory()
    client.force_login(admin)
    response = client.post(
        "/admin/contributors/user/", {"action": "anonymise_people", "_selected_action": [zoe.pk]}, follow=True
    )
    assert "Personal data removed for 1 person(s)." in response.content.decode()

    assert copies_left(NEEDLES) == []
    assert money() == before
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(zoe.pk) for s in Session.objects.all())
    assert not any(EMAIL in str(s.get_decoded()) for s in Session.objects.all())

    pseudonym = f"Former contributor #{zoe.pk}"
    task = StaffTask.objects.get(contributor=zoe)
    assert task.text == (
        f"Call {pseudonym} (no phone number recorded) to tell them their claim of £12.50 has been paid."
    )
    event = ProjectEvent.objects.get(people=zoe)
    assert event.detail == (
        f"Steering group: {pseudonym}: availability removed. "
        "Priya Patel has not said they can take part on Tuesdays. "
        f"Reason: {pseudonym} can join by phone on (removed)"
    )
    waiting = ReminderSent.objects.get(kind="claim_waiting_review")
    assert waiting.message_subject == f"Claim from {pseudonym} is waiting for your review"
    receipts = Receipt.objects.filter(claim__contributor=zoe)
    assert {r.original_name for r in receipts} == {f"receipt-{r.pk}.jpg" for r in receipts}
    assert not User.objects.get(pk=zoe.pk).is_active


def test_an_open_task_to_phone_her_is_closed_and_no_reminder_is_sent_after(world):
    from contributors.services import person_anonymise

    task = StaffTask.objects.get(contributor=world.zoe)
    StaffTask.objects.filter(pk=task.pk).update(done_at=None, done_by=None)
    pending = ReminderSent.objects.filter(recipient=world.zoe, status="failed").get()
    ReminderSent.objects.filter(pk=pending.pk).update(status="sending")

    person_anonymise(user=world.zoe, actor=world.sam)

    task.refresh_from_db()
    pending.refresh_from_db()
    assert task.done_at is not None and task.done_by == world.sam
    assert pending.status == "failed" and pending.last_error == "Not sent: this person's data was erased."


def test_the_erasure_request_door_erases_the_same(world, client):
    admin = AdminFactory()
    client.force_login(admin)
    request = world.zoe.erasure_requests.get()
    client.post(
        "/admin/contributors/erasurerequest/",
        {"action": "anonymise_requesters", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == admin
    assert request.reason == "(removed when the data was erased)"
    assert copies_left([NAME, PHONE]) == []
