"""Bank details: sealed at rest, rotated, masked everywhere, a change held and told."""

import json
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from contributors.bank_details import (
    Account,
    BankDetailsError,
    bank_details_confirm,
    bank_details_save,
    unseal,
)
from contributors.models import BankDetails
from coproduction.personal_data import as_json, personal_data

from .conftest import ACCOUNT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """The email goes after commit; run it at once, as a real request would."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def save(person, actor=None, **fields):
    values = {"method": "bank", **ACCOUNT, **fields}
    with _capture(execute=True):
        return bank_details_save(person=person, actor=actor or person, **values)


def test_it_seals_the_account_and_reads_it_back(contributor):
    details = save(contributor)
    assert "87654321" not in details.sealed and "204577" not in details.sealed
    assert unseal(details.sealed) == Account("Z O'Brien", "204577", "87654321")
    assert details.masked == "••••4321"


def test_it_stores_nothing_readable_in_the_database(contributor):
    save(contributor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM contributors_bankdetails")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "87654321" not in row and "204577" not in row and "O'Brien" not in row


def test_it_rotates_keys_with_the_reseal_command(contributor, settings, capsys):
    old = settings.BANK_DETAILS_KEYS[0]
    details = save(contributor)
    new = Fernet.generate_key().decode()
    settings.BANK_DETAILS_KEYS = [new, old]
    assert unseal(details.sealed).account_number == "87654321"  # old rows still open
    call_command("reseal_bank_details")
    assert "Re-sealed the bank details of 1 people" in capsys.readouterr().out
    settings.BANK_DETAILS_KEYS = [new]  # the old key dropped
    details.refresh_from_db()
    assert unseal(details.sealed).account_number == "87654321"


def test_a_lost_key_is_a_clear_error(contributor, settings):
    details = save(contributor)
    settings.BANK_DETAILS_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(BankDetailsError, match="cannot be read with the keys"):
        unseal(details.sealed)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sort_code", "12345", "6 digits"),
        ("sort_code", "12-34-5a", "6 digits"),
        ("account_number", "1234567", "8 digits"),
        ("account_name", "   ", "name on the account"),
    ],
)
def test_it_refuses_details_that_are_not_uk_shaped(contributor, field, value, message):
    with pytest.raises(BankDetailsError, match=message) as error:
        save(contributor, **{field: value})
    assert error.value.field == field
    assert not BankDetails.objects.exists()


def test_adding_emails_but_does_not_hold(contributor):
    details = save(contributor)
    assert not details.is_held()
    assert [m.subject for m in mail.outbox] == ["Your bank details were added"]


def test_a_change_holds_the_next_payment_and_emails_the_address(contributor, settings):
    settings.BANK_CHANGE_HOLD_DAYS = 5
    save(contributor)
    mail.outbox.clear()
    details = save(contributor, account_number="11112222")
    assert details.is_held()
    assert details.hold_until.date() == (timezone.now() + timedelta(days=5)).date()
    assert details.changed_at is not None
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert message.subject == "Your bank details were changed"
    assert "If this was not you, call us" in message.body
    assert "11112222" not in message.body and "2222" not in message.body and "204577" not in message.body


def test_saving_the_same_details_again_changes_nothing(contributor):
    save(contributor)
    mail.outbox.clear()
    assert not save(contributor).is_held()
    assert mail.outbox == []


def test_finance_confirm_by_phone_releases_the_hold(contributor, finance):
    save(contributor)
    save(contributor, account_number="11112222")
    details = bank_details_confirm(person=contributor, actor=finance, note="Spoke to Zoë on 07700 900123")
    assert not details.is_held()
    assert details.confirmed_by == finance and details.confirmed_at
    with pytest.raises(BankDetailsError, match="already confirmed"):
        bank_details_confirm(person=contributor, actor=finance, note="again")


def test_only_finance_confirm_and_only_the_person_or_finance_change(
    contributor, other_contributor, staff, finance
):
    save(contributor)
    save(contributor, account_number="11112222")
    with pytest.raises(BankDetailsError, match="Only finance"):
        bank_details_confirm(person=contributor, actor=staff, note="x")
    with pytest.raises(BankDetailsError, match="Only the person"):
        save(contributor, actor=other_contributor)
    with pytest.raises(BankDetailsError, match="Only the person"):
        save(contributor, actor=staff)
    # Finance enter details for someone who does not use the web, through the same rule.
    assert save(other_contributor, actor=finance).changed_at is None


def test_vouchers_drop_the_account(contributor):
    save(contributor)
    details = bank_details_save(person=contributor, actor=contributor, method="vouchers")
    assert details.sealed == "" and details.masked == ""


def test_the_data_download_shows_only_the_masked_account(contributor):
    save(contributor)
    save(contributor, account_number="11112222")
    text = as_json(personal_data(contributor))
    assert "••••2222" in text
    assert "11112222" not in text and "204577" not in text
    data = json.loads(text)
    assert data["bank_details"]["how_to_pay"] == "Into my bank account"


def test_erasure_deletes_the_bank_details(contributor, admin_user):
    from contributors.services import person_anonymise

    save(contributor)
    person_anonymise(user=contributor, actor=admin_user)
    assert not BankDetails.objects.exists()
