"""Rates are data with dates; a line uses the rate in force on the day of the activity."""

from datetime import date
from decimal import Decimal as D

import pytest

from expenses import services
from expenses.models import Claim, Rate

from .factories import line, make_claim

pytestmark = pytest.mark.django_db


def test_it_seeds_hmrc_mileage_and_example_involvement_rates():
    def amount(kind, on):
        return Rate.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()

    assert amount("mileage_car", date(2026, 1, 1)).amount == D("0.45")
    assert amount("mileage_car_over_10000", date(2026, 1, 1)).amount == D("0.25")
    assert amount("mileage_motorcycle", date(2026, 1, 1)).amount == D("0.24")
    assert amount("mileage_bicycle", date(2026, 1, 1)).amount == D("0.20")
    hourly_before = amount("time_hours", date(2025, 12, 15))
    hourly_after = amount("time_hours", date(2025, 12, 16))
    assert hourly_after.amount == hourly_before.amount * D("1.1")
    assert hourly_after.needs_confirmation and not amount("mileage_car", date(2026, 1, 1)).needs_confirmation


def test_it_prices_a_line_with_the_rate_in_force_on_the_activity_date(member, project):
    claim = make_claim(
        member,
        project,
        [
            line("time_hours", when=date(2025, 12, 15), quantity=2),
            line("time_hours", when=date(2025, 12, 16), quantity=2),
        ],
    )
    amounts = list(claim.lines.order_by("date").values_list("rate", "amount"))
    assert amounts == [(D("25.00"), D("50.00")), (D("27.50"), D("55.00"))]
    assert claim.time_amount == D("105.00") and claim.total == D("105.00")


def test_it_uses_an_admin_edited_rate_from_its_date(member, project):
    Rate.objects.create(kind="mileage_bicycle", amount=D("0.30"), effective_from=date(2026, 1, 1))
    claim = make_claim(member, project, [line("mileage_bicycle", when=date(2026, 1, 2), quantity=10)])
    assert claim.lines.get().amount == D("3.00")


def test_it_says_so_when_no_rate_exists_for_the_day(member, project):
    with pytest.raises(services.ClaimError, match="There is no rate for .* on 01 January 2000"):
        make_claim(member, project, [line("time_day", when=date(2000, 1, 1))])
    assert not Claim.objects.exists()


def test_it_splits_a_car_line_across_10000_miles_counting_earlier_claims_in_the_tax_year(member, project):
    from expenses.models import ClaimLine

    earlier = make_claim(member, project, [line("mileage_car", when=date(2025, 5, 1), quantity=400)])
    # Pretend earlier claims already reached 9,960 miles this tax year.
    ClaimLine.objects.filter(claim=earlier).update(quantity=D("9960"))
    # A claim in the previous tax year does not count.
    make_claim(member, project, [line("mileage_car", when=date(2025, 4, 5), quantity=500)])
    claim = make_claim(member, project, [line("mileage_car", when=date(2025, 6, 1), quantity=100)])
    priced = claim.lines.get()
    assert priced.amount == D("33.00")
    assert priced.pricing_note == "40 miles at £0.45 and 60 miles at £0.25 (over 10,000 miles this tax year)"


def test_it_ignores_drafts_and_rejected_claims_when_counting_car_miles(member, project, staff):
    draft = make_claim(
        member, project, [line("mileage_car", when=date(2025, 5, 1), quantity=1000)], submit=False
    )
    from expenses.models import ClaimLine

    ClaimLine.objects.filter(claim=draft).update(quantity=D("10000"))
    claim = make_claim(member, project, [line("mileage_car", when=date(2025, 6, 1), quantity=10)])
    assert claim.lines.get().amount == D("4.50")
