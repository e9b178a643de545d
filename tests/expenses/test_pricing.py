"""Money arithmetic: Decimal pounds, rounded once per line to the penny, half up."""

from datetime import date
from decimal import Decimal as D

from core.dates import tax_year_end, tax_year_start
from expenses import pricing


def test_it_rounds_half_a_penny_up():
    assert pricing.to_pennies(D("0.005")) == D("0.01")
    assert pricing.to_pennies(D("2.345")) == D("2.35")
    assert pricing.to_pennies(D("2.3449")) == D("2.34")


def test_it_prices_a_line_as_quantity_times_rate_rounded_to_the_penny():
    assert pricing.line_amount(D("2.5"), D("27.50")) == D("68.75")
    assert pricing.line_amount(D("13.3"), D("0.45")) == D("5.99")  # 5.985 rounds up
    assert pricing.line_amount(D("0.1"), D("0.24")) == D("0.02")  # 0.024 rounds down


def test_it_adds_decimal_amounts_without_float_error():
    assert pricing.total([D("0.10"), D("0.20")]) == D("0.30")
    assert pricing.total([]) == D("0.00")


def test_it_knows_the_uk_tax_year_runs_from_6_april():
    assert tax_year_start(date(2025, 4, 5)) == date(2024, 4, 6)
    assert tax_year_start(date(2025, 4, 6)) == date(2025, 4, 6)
    assert tax_year_end(date(2026, 1, 1)) == date(2026, 4, 5)


def test_it_chooses_the_rate_in_force_on_the_day():
    rates = [(date(2020, 4, 6), D("25.00")), (date(2025, 12, 16), D("27.50"))]
    assert pricing.rate_in_force(rates, date(2025, 12, 15)) == D("25.00")
    assert pricing.rate_in_force(rates, date(2025, 12, 16)) == D("27.50")
    assert pricing.rate_in_force(rates, date(2019, 1, 1)) is None


def test_it_splits_a_car_journey_across_the_10000_mile_threshold():
    priced = pricing.car_mileage(
        miles=D("100"), miles_before=D("9960"), first_rate=D("0.45"), later_rate=D("0.25")
    )
    assert priced.miles_at_first_rate == D("40")
    assert priced.miles_at_later_rate == D("60")
    assert priced.amount == D("33.00")  # 40 x 0.45 + 60 x 0.25


def test_it_uses_the_lower_rate_once_past_the_threshold_and_the_higher_below_it():
    over = pricing.car_mileage(
        miles=D("10"), miles_before=D("12000"), first_rate=D("0.45"), later_rate=D("0.25")
    )
    under = pricing.car_mileage(
        miles=D("10"), miles_before=D("0"), first_rate=D("0.45"), later_rate=D("0.25")
    )
    assert over.amount == D("2.50")
    assert under.amount == D("4.50")


def test_it_rounds_a_split_journey_once():
    priced = pricing.car_mileage(
        miles=D("0.3"), miles_before=D("9999.9"), first_rate=D("0.45"), later_rate=D("0.25")
    )
    # 0.1 x 0.45 + 0.2 x 0.25 = 0.095 -> 0.10
    assert priced.amount == D("0.10")
