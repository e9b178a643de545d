"""Money the books agree with: payments filed by the bank date, tax-year edges on 5 and 6 April,
and CSV files that cannot carry a spreadsheet formula."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import selectors, services
from expenses.models import Claim, ClaimLine

from .factories import days_ago, line, make_claim

pytestmark = pytest.mark.django_db


def _approved(member, project, staff, *, approved_on: date, **line_kwargs):
    claim = make_claim(member, project, [line("time_hours", quantity=2, **line_kwargs)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    # The claim was approved back then (the services stamp "now").
    Claim.objects.filter(pk=claim.pk).update(
        approved_at=timezone.make_aware(datetime.combine(approved_on, datetime.min.time()))
    )
    return claim


def _paid(claim, finance, paid_on: date):
    batch = services.batch_create(actor=finance, claim_ids=[claim.pk])
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference=f"BACS-{claim.pk}", paid_on=paid_on)
    return batch


def _years(member):
    def totals(year):
        rows = selectors.yearly_totals(start_year=year)
        return [r["total"] for r in rows if r["contributor_id"] == member.pk]

    return {2024: totals(2024), 2025: totals(2025)}


def test_a_batch_paid_by_the_bank_on_5_april_counts_in_the_tax_year_that_ends_then(
    member, project, staff, finance
):
    claim = _approved(member, project, staff, approved_on=date(2025, 3, 20), when=date(2025, 3, 18))
    _paid(claim, finance, date(2025, 4, 5))  # recorded today, paid by the bank on 5 April
    assert _years(member) == {2024: [D("50.00")], 2025: []}


def test_a_batch_paid_by_the_bank_on_6_april_counts_in_the_new_tax_year(member, project, staff, finance):
    claim = _approved(member, project, staff, approved_on=date(2025, 3, 20), when=date(2025, 3, 18))
    _paid(claim, finance, date(2025, 4, 6))
    assert _years(member) == {2024: [], 2025: [D("50.00")]}


def test_the_yearly_page_and_csv_use_the_bank_date(client, member, project, staff, finance):
    claim = _approved(member, project, staff, approved_on=date(2025, 3, 20), when=date(2025, 3, 18))
    _paid(claim, finance, date(2025, 4, 5))
    client.force_login(finance)
    html = client.get(reverse("expenses:yearly_report"), {"year": 2024}).content.decode()
    assert '<td data-label="Paid for time" class="text-end">£50.00</td>' in html
    html = client.get(reverse("expenses:yearly_report"), {"year": 2025}).content.decode()
    assert "Nothing was paid in this tax year." in html
    response = client.get(reverse("expenses:yearly_report"), {"year": 2024, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1] == ["Zoë O'Brien", member.email, "2024-25", "50.00", "0.00", "50.00"]


def test_mark_paid_refuses_a_bank_date_before_the_claims_were_approved(member, project, staff, finance):
    claim = _approved(member, project, staff, approved_on=date(2025, 4, 7), when=date(2025, 4, 1))
    batch = services.batch_create(actor=finance)
    with pytest.raises(services.ClaimError) as refused:
        services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="R", paid_on=date(2025, 4, 6))
    assert refused.value.message == (
        f"The payment date, 6 April 2025, is before claim {claim.pk} was approved on 7 April 2025. "
        "Enter the date the bank made the payment."
    )
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.APPROVED
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="R", paid_on=date(2025, 4, 7))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PAID


def test_mark_paid_on_the_page_says_why_a_date_is_refused_and_keeps_the_reference(
    client, member, project, staff, finance
):
    _approved(member, project, staff, approved_on=days_ago(3), when=days_ago(5))
    batch = services.batch_create(actor=finance)
    client.force_login(finance)
    url = reverse("expenses:batch_detail", args=[batch.pk])
    html = client.post(url, {"reference": "BACS-9", "paid_on": days_ago(4).isoformat()}).content.decode()
    assert "Enter the date the bank made the payment." in html
    assert 'value="BACS-9"' in html
    future = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    html = client.post(url, {"reference": "BACS-9", "paid_on": future}).content.decode()
    assert "The payment date is in the future." in html


# --- HMRC: 45p a mile for the first 10,000 car miles in a tax year (6 April to 5 April) -------


def _car(member, project, when, miles):
    return make_claim(member, project, [line("mileage_car", when=when, quantity=miles)]).lines.get()


def _reach_9990_miles(member, project, when):
    earlier = _car(member, project, when, 10)
    ClaimLine.objects.filter(pk=earlier.pk).update(quantity=D("9990"))


def test_a_journey_on_5_april_counts_in_the_tax_year_that_ends_then(member, project):
    _reach_9990_miles(member, project, date(2024, 4, 6))  # the first day of that tax year
    priced = _car(member, project, date(2025, 4, 5), 20)
    assert priced.amount == D("7.00")  # 10 miles at 45p and 10 at 25p
    assert priced.pricing_note == "10 miles at £0.45 and 10 miles at £0.25 (over 10,000 miles this tax year)"


def test_a_journey_on_6_april_starts_a_new_count_of_10000_miles(member, project):
    _reach_9990_miles(member, project, date(2025, 4, 5))
    priced = _car(member, project, date(2025, 4, 6), 20)
    assert priced.amount == D("9.00")  # all 20 at 45p: a new tax year
    assert priced.pricing_note == ""


# --- CSV files ------------------------------------------------------------------------------


def test_a_name_typed_as_a_formula_is_text_in_the_batch_and_yearly_csv(
    client, make_member, project, staff, finance
):
    person = make_member(name="=HYPERLINK(\"http://evil.example\",\"Zoë\")")
    claim = make_claim(person, project, [line("time_hours", quantity=1)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = _paid(claim, finance, timezone.localdate())
    project.title = "@SUM(1+1)"
    project.save()
    client.force_login(finance)

    def rows(response):
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    batch_rows = rows(client.get(reverse("expenses:batch_csv", args=[batch.pk])))
    assert batch_rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"Zoë\")"
    assert batch_rows[1][4] == "'@SUM(1+1)"
    yearly = rows(client.get(reverse("expenses:yearly_report"), {"format": "csv"}))
    assert yearly[1][0] == "'=HYPERLINK(\"http://evil.example\",\"Zoë\")"
