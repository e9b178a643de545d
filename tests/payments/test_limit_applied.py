"""'Paid, up to a limit' taking effect: when finance put claims in a payment batch, the part of
a claim over the contributor's limit for the period is deferred or declined as they chose, and
only the rest reaches the bank file and the journal."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.bank_file import bank_file_rows
from expenses.journal import batch_journal_rows
from expenses.models import Claim, ClaimEvent
from expenses.workflow import ClaimError
from tests.expenses.factories import line, make_claim

from .test_bank_file import bank, rows
from .test_limit import limited

pytestmark = pytest.mark.django_db


def approved(person, project, staff, lines):
    claim = make_claim(person, project, lines)
    return services.claim_approve(claim_id=claim.pk, actor=staff)


def hours(count, description="Meeting"):
    return line("time_hours", quantity=count, description=description)  # £27.50 an hour


def events(claim):
    return list(ClaimEvent.objects.filter(claim=claim).values_list("comment", flat=True))


def test_exactly_at_the_limit_is_paid_in_full(member, project, staff, finance):
    limited(member, amount="55.00")
    claim = approved(member, project, staff, [hours(2)])
    batch = services.batch_create(actor=finance, pays_on=timezone.localdate())
    claim.refresh_from_db()
    assert (claim.batch_id, claim.total) == (batch.pk, D("55.00"))
    assert not claim.remainders.exists()


def test_a_penny_over_is_deferred_to_a_claim_of_its_own(member, project, staff, finance):
    limited(member, amount="54.99")
    parking = line("parking", amount="4.00", description="Car park")
    claim = approved(member, project, staff, [hours(2), parking])
    batch = services.batch_create(actor=finance, pays_on=timezone.localdate())
    claim.refresh_from_db()
    rest = claim.remainders.get()
    assert (claim.batch_id, claim.time_amount, claim.expenses_amount, claim.total) == (
        batch.pk, D("54.99"), D("4.00"), D("58.99")
    )
    assert (rest.status, rest.batch_id, rest.total) == ("approved", None, D("0.01"))
    assert claim.time_amount + rest.time_amount == D("55.00")
    said = f"£0.01 for time is over the payment limit: deferred to claim {rest.pk}"
    assert any(said in c for c in events(claim))
    assert any("over the payment limit, to be paid in a later period" in c for c in events(rest))


def test_declined_means_the_rest_is_not_approved(member, project, staff, finance):
    limited(member, amount="30.00", over="decline")
    claim = approved(member, project, staff, [hours(2)])
    services.batch_create(actor=finance, pays_on=timezone.localdate())
    claim.refresh_from_db()
    rest = claim.remainders.get()
    assert (claim.total, rest.total, rest.status) == (D("30.00"), D("25.00"), "rejected")
    assert "you chose not to be paid it" in rest.rejection_reason
    assert any("declined, as the contributor chose" in c for c in events(claim))


def test_the_bank_file_and_journal_pay_only_what_is_within_the_limit(
    member, make_member, project, staff, finance
):
    limited(member, amount="60.00")
    bank(member)
    approved(member, project, staff, [hours(1, "First")])  # £27.50
    approved(member, project, staff, [hours(2, "Second")])  # £55: £32.50 fits
    other = make_member(name="No Limit")
    bank(other)
    approved(other, project, staff, [hours(3)])  # £82.50, no limit
    batch = services.batch_create(actor=finance, pays_on=timezone.localdate())
    body = rows(bank_file_rows(batch))[1:]
    assert sorted(D(row[3]) for row in body) == [D("60.00"), D("82.50")]
    journal = rows(batch_journal_rows(batch))[1:]
    assert sum(D(row[4]) for row in journal) == D("142.50")
    assert Claim.objects.get(status="approved", batch__isnull=True).total == D("22.50")


def test_the_deferred_part_waits_for_the_next_period(member, project, staff, finance):
    limited(member, amount="30.00")
    bank(member)
    claim = approved(member, project, staff, [hours(2)])
    today = timezone.localdate()
    first = services.batch_create(actor=finance, pays_on=today)
    services.batch_mark_paid(batch_id=first.pk, actor=finance, reference="BACS1", paid_on=today)
    rest = Claim.objects.get(split_from=claim)
    # Still this week: nothing is left under the limit, so it stays out of a new batch.
    with pytest.raises(ClaimError, match="over its contributor's payment limit for this period"):
        services.batch_create(actor=finance, pays_on=today)
    rest.refresh_from_db()
    assert (rest.status, rest.batch_id) == ("approved", None)
    # The next week's run pays it.
    second = services.batch_create(actor=finance, pays_on=today + timedelta(days=7))
    rest.refresh_from_db()
    assert (rest.batch_id, rest.total) == (second.pk, D("25.00"))
    assert [D(row[3]) for row in rows(bank_file_rows(second))[1:]] == [D("25.00")]


def test_a_monthly_limit_counts_what_was_paid_earlier_in_the_month(member, project, staff, finance):
    limited(member, amount="40.00", period="month")
    today = timezone.localdate()
    first = services.batch_create(
        actor=finance, pays_on=today, claim_ids=[approved(member, project, staff, [hours(1)]).pk]
    )
    services.batch_mark_paid(batch_id=first.pk, actor=finance, reference="BACS1", paid_on=today)
    claim = approved(member, project, staff, [hours(1, "Later")])
    services.batch_create(actor=finance, pays_on=today)
    claim.refresh_from_db()
    assert claim.total == D("12.50")  # £40 less the £27.50 paid this month
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    services.batch_create(actor=finance, pays_on=next_month)
    assert Claim.objects.get(split_from=claim).batch_id is not None


def test_both_claims_say_where_the_rest_went(client, member, project, staff, finance):
    limited(member, amount="30.00")
    claim = approved(member, project, staff, [hours(2)])
    services.batch_create(actor=finance, pays_on=timezone.localdate())
    rest = Claim.objects.get(split_from=claim)
    client.force_login(member)
    page = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
    assert "£25.00 of this claim was over the payment limit" in page
    assert f"claim {rest.pk}</a>" in page
    page = client.get(reverse("expenses:claim_detail", args=[rest.pk])).content.decode()
    assert f"claim {claim.pk}</a> that was over the payment limit" in page
