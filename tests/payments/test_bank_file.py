"""The bank file: one row per payee, valid references, the unpaid apart with reasons; the
journal adds up to the batch; remittances go once per payee."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contributors.bank_details import bank_details_save
from contributors.models import BankDetails
from expenses import services
from expenses.bank_file import REFERENCE_PATTERN, bacs_name, bank_file_rows, not_in_bank_file_rows
from expenses.journal import batch_journal_rows, yearly_journal_rows
from expenses.models import Claim, RemittanceSent
from expenses.payments import batch_take_out_unpayable, remittances_send
from projects.models import BudgetLine
from tests.expenses.factories import line, make_claim

from .conftest import ACCOUNT

pytestmark = pytest.mark.django_db


def approved(person, project, staff, amount="12.50", kind="public_transport", **kwargs):
    if kind.startswith("time"):
        claim = make_claim(person, project, [line(kind, quantity=amount, **kwargs)])
    else:
        claim = make_claim(person, project, [line(kind, amount=amount, **kwargs)])
    return services.claim_approve(claim_id=claim.pk, actor=staff)


def bank(person, **fields):
    return bank_details_save(person=person, actor=person, method="bank", **{**ACCOUNT, **fields})


def rows(generator):
    text = "".join(",".join(row) + "\n" for row in ([str(c) for c in r] for r in generator))
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def batch_of_four(member, make_member, project, staff, finance):
    """Zoë (two claims, bank), Priya (vouchers), Ann (no details), Bo (details just changed)."""
    bank(member)
    approved(member, project, staff, "12.50", description="Bus")
    approved(member, project, staff, "7.25", description="Train")
    priya = make_member(name="Priya Patel")
    bank_details_save(person=priya, actor=priya, method="vouchers")
    approved(priya, project, staff, "3.00")
    ann = make_member(name="Ann Other")
    approved(ann, project, staff, "4.00")
    bo = make_member(name="Bo Changed")
    bank(bo, account_number="22223333")
    bank(bo, account_number="44445555")
    approved(bo, project, staff, "5.00")
    batch = services.batch_create(actor=finance)
    return batch, {"zoe": member, "priya": priya, "ann": ann, "bo": bo}


def test_the_bank_file_has_one_row_per_payee_with_their_claims_added(batch_of_four):
    batch, people = batch_of_four
    header, *body = rows(bank_file_rows(batch))
    assert header == ["sort code", "account number", "account name", "amount", "reference"]
    assert body == [["204577", "87654321", "Z OBRIEN", "19.75", f"CP{batch.pk}P{people['zoe'].pk}"]]
    assert REFERENCE_PATTERN.fullmatch(body[0][4]) and len(body[0][4]) <= 18


def test_the_layout_without_header(batch_of_four, settings):
    settings.BANK_FILE_LAYOUT = "uk_no_header"
    batch, _people = batch_of_four
    assert rows(bank_file_rows(batch))[0][0] == "204577"


def test_the_people_left_out_are_listed_with_why(batch_of_four):
    batch, people = batch_of_four
    header, *body = rows(not_in_bank_file_rows(batch))
    assert header[-1] == "why not in the bank file"
    reasons = {row[0]: (row[3], row[5]) for row in body}
    assert reasons == {
        "Priya Patel": ("3.00", "vouchers"),
        "Ann Other": ("4.00", "no bank details"),
        "Bo Changed": ("5.00", "held after a change of bank details"),
    }


def test_a_phone_confirmation_puts_them_back_in_the_file(batch_of_four, finance):
    from contributors.bank_details import bank_details_confirm

    batch, people = batch_of_four
    bank_details_confirm(person=people["bo"], actor=finance, note="Called the number we held")
    accounts = [row[1] for row in rows(bank_file_rows(batch))[1:]]
    assert "44445555" in accounts


def test_the_hold_ends_after_the_configured_days(batch_of_four):
    batch, people = batch_of_four
    BankDetails.objects.filter(user=people["bo"]).update(hold_until=timezone.now())
    assert len(rows(bank_file_rows(batch))) == 3


def test_taking_out_the_unpayable_leaves_vouchers_and_the_payable(batch_of_four, finance):
    batch, people = batch_of_four
    assert batch_take_out_unpayable(batch_id=batch.pk, actor=finance) == 2
    left = set(batch.claims.values_list("contributor__name", flat=True))
    assert left == {people["zoe"].name, "Priya Patel"}
    assert Claim.objects.filter(batch__isnull=True, status="approved").count() == 2


def test_bacs_names_keep_only_what_banks_take():
    assert bacs_name("Zoë O'Brien") == "ZOE OBRIEN"
    assert bacs_name("José-María Núñez Fernández") == "JOSE-MARIA NUNEZ F"
    assert bacs_name("=HYPERLINK(1)") == "HYPERLINK1"


def test_the_files_stream_in_constant_memory(batch_of_four, django_assert_max_num_queries):
    batch, _people = batch_of_four
    # Read in chunks (a cursor and one look-up of bank details per chunk), whatever the size.
    assert rows(bank_file_rows(batch, chunk_size=1)) == rows(bank_file_rows(batch))
    assert len(list(not_in_bank_file_rows(batch, chunk_size=2))) == 4
    with django_assert_max_num_queries(4):
        list(bank_file_rows(batch))
        list(not_in_bank_file_rows(batch))


def test_journal_totals_equal_the_batch(member, project, staff, finance):
    travel, time = project.budget_lines.order_by("kind")  # time, travel
    BudgetLine.objects.filter(pk=travel.pk).update(nominal_code="5410", cost_centre="RD123")
    BudgetLine.objects.filter(pk=time.pk).update(nominal_code="5400", cost_centre="RD123")
    approved(member, project, staff, "12.50")
    approved(member, project, staff, "1.5", kind="time_hours")
    approved(member, project, staff, "3.33", description="Parking", kind="parking")
    batch = services.batch_create(actor=finance)
    header, *body = rows(batch_journal_rows(batch))
    assert header == ["date", "nominal", "cost centre", "project", "amount", "reference"]
    batch_total = sum(batch.claims.values_list("total", flat=True))
    assert sum(D(row[4]) for row in body) == batch_total
    assert {row[1] for row in body} <= {"5400", "5410", ""}
    assert all(row[5] == f"CP{batch.pk}" for row in body)
    services.batch_mark_paid(
        batch_id=batch.pk, actor=finance, reference="BACS1", paid_on=timezone.localdate()
    )
    from core.dates import tax_year_end, tax_year_start

    today = timezone.localdate()
    yearly = rows(yearly_journal_rows(start=tax_year_start(today), end=tax_year_end(today)))[1:]
    assert sum(D(row[4]) for row in yearly) == batch_total


def test_marking_paid_sends_one_remittance_per_payee_once(
    batch_of_four, finance, django_capture_on_commit_callbacks
):
    batch, people = batch_of_four
    batch_take_out_unpayable(batch_id=batch.pk, actor=finance)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_mark_paid(
            batch_id=batch.pk, actor=finance, reference="BACS1", paid_on=timezone.localdate()
        )
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox if "what it was for" in m.subject)
    assert subjects == sorted(
        [(people["zoe"].email, "Payment of £19.75: what it was for"),
         (people["priya"].email, "Payment of £3.00: what it was for")]
    )
    zoe = next(m for m in mail.outbox if m.to == [people["zoe"].email] and "what it was for" in m.subject)
    assert "Claim " in zoe.body and f"CP{batch.pk}P{people['zoe'].pk}" in zoe.body
    assert "87654321" not in zoe.body and "4321" not in zoe.body
    mail.outbox.clear()
    assert remittances_send(batch_id=batch.pk) == 0  # a second run sends nothing
    assert mail.outbox == []
    assert RemittanceSent.objects.filter(batch=batch).count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302), ("contributor", 403), ("other_contributor", 403), ("other_staff", 403),
        ("staff", 403), ("team_member", 403), ("finance", 200), ("admin_user", 200),
    ],
)
def test_permission_matrix(client, request, batch_of_four, who, status):
    batch, _people = batch_of_four
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name in ("bank_file", "bank_file_csv", "not_in_bank_file_csv", "journal_csv"):
        response = client.get(reverse(f"expenses:{name}", args=[batch.pk]))
        assert response.status_code == status, name
    assert client.get(reverse("expenses:yearly_journal_csv")).status_code == status
    take_out = client.post(reverse("expenses:take_out_unpayable", args=[batch.pk]))
    assert take_out.status_code == (302 if status == 200 else status)
    assert batch.claims.count() == (3 if status == 200 else 5)


def test_the_bank_file_page_lists_who_is_left_out(
    client, admin_user, batch_of_four, django_assert_max_num_queries
):
    batch, _people = batch_of_four
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("expenses:bank_file", args=[batch.pk])).content.decode()
    assert "1 payee in the bank file, £19.75 in all" in page
    assert "Held after a change of bank details" in page and "No bank details" in page
    assert "87654321" not in page and "204577" not in page
