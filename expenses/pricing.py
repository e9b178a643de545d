"""Pure money arithmetic: no database, so every rule here is easy to test.

Amounts are Decimal pounds, rounded once per line to the penny with ROUND_HALF_UP
(the way people round by hand: 0.005 becomes 0.01).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
# HMRC: the higher car rate applies to the first 10,000 business miles in a tax year.
CAR_THRESHOLD_MILES = Decimal("10000")


def to_pennies(value) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def line_amount(quantity, rate) -> Decimal:
    return to_pennies(Decimal(quantity) * Decimal(rate))


def total(amounts: Iterable[Decimal]) -> Decimal:
    return to_pennies(sum(amounts, ZERO))


def rate_in_force(rates: Iterable[tuple[date, Decimal]], on: date) -> Decimal | None:
    """The amount of the latest rate that took effect on or before `on`; None if none had."""
    best: tuple[date, Decimal] | None = None
    for effective_from, amount in rates:
        if effective_from <= on and (best is None or effective_from > best[0]):
            best = (effective_from, amount)
    return best[1] if best else None


@dataclass(frozen=True)
class CarMileage:
    amount: Decimal
    miles_at_first_rate: Decimal
    miles_at_later_rate: Decimal


def car_mileage(*, miles, miles_before, first_rate, later_rate, threshold=CAR_THRESHOLD_MILES) -> CarMileage:
    """Price a car journey, splitting it where it crosses the yearly threshold."""
    miles = Decimal(miles)
    room = max(Decimal(threshold) - Decimal(miles_before), Decimal(0))
    first = min(miles, room)
    later = miles - first
    amount = to_pennies(first * Decimal(first_rate) + later * Decimal(later_rate))
    return CarMileage(amount=amount, miles_at_first_rate=first, miles_at_later_rate=later)
