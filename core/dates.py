"""Dates people type, in a sensible range.

A slip of the keyboard (year 1, year 9999) is refused with a message rather than kept: pages
compute with these dates (recruiting starts N weeks before a project, a meeting's availability
check walks its days), and Python's dates end at years 1 and 9999. The range is wide enough for
any real plan or record: from 1 January 2000 to the end of the year ten years from now.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


def latest_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year + YEARS_AHEAD, 12, 31)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def date_range_message(today: date | None = None) -> str:
    return f"Enter a date between {_day(EARLIEST)} and {_day(latest_date(today))}."


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            try:
                return timezone.localtime(value).date()
            except OverflowError:  # within hours of year 1 or 9999: out of range either way
                return None
        return value.date()
    return value


def is_sensible_date(value, today: date | None = None) -> bool:
    day = _as_date(value)
    return day is not None and EARLIEST <= day <= latest_date(today)


@deconstructible
class SensibleDateValidator:
    """For a date or date-time field, in a form, the admin or full_clean()."""

    code = "date_out_of_range"

    def __call__(self, value):
        if value is not None and not is_sensible_date(value):
            raise ValidationError(date_range_message(), code=self.code)

    def __eq__(self, other):
        return isinstance(other, SensibleDateValidator)


validate_sensible_date = SensibleDateValidator()


class _SensibleMixin:
    default_validators = [validate_sensible_date]

    def formfield(self, **kwargs):
        # Forms that skip the model's own validation still check the range on the field.
        field = super().formfield(**kwargs)
        if field is not None and validate_sensible_date not in field.validators:
            field.validators.append(validate_sensible_date)
        return field


class SensibleDateField(_SensibleMixin, models.DateField):
    """A DateField that people type: refuses dates outside EARLIEST..latest_date()."""


class SensibleDateTimeField(_SensibleMixin, models.DateTimeField):
    """A DateTimeField that people type: refuses dates outside EARLIEST..latest_date()."""


# --- UK tax years: 6 April to 5 April ------------------------------------------------------
def tax_year_start(day: date) -> date:
    """The 6 April on or before `day`."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


def tax_year_end(day: date) -> date:
    """The 5 April that ends the tax year `day` is in."""
    return date(tax_year_start(day).year + 1, 4, 5)


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    """First and last day of the tax year that starts in `start_year`."""
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


def chosen_tax_year(value, *, today: date) -> int:
    """The start year of the tax year a page is asked for (`?year=`), kept between 2000 and the
    current one; the current one when nothing usable is asked."""
    current = tax_year_start(today).year
    try:
        year = int(value if value not in (None, "") else current)
    except ValueError:
        return current
    return min(max(year, 2000), current)


# --- Financial years: 1 April to 31 March (UK public bodies, the NHS and research funders) ---
def financial_year_bounds(day: date) -> tuple[date, date]:
    """First and last day of the financial year `day` is in."""
    start_year = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)
