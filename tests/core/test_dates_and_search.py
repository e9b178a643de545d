"""The shared date range and search cap, on their own."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from core.dates import date_range_message, is_sensible_date, latest_date, validate_sensible_date
from core.search import MAX_WORDS, search_terms

TODAY = date(2026, 11, 19)


def test_the_range_runs_from_2000_to_the_end_of_the_year_ten_years_ahead():
    assert latest_date(TODAY) == date(2036, 12, 31)
    assert date_range_message(TODAY) == "Enter a date between 1 January 2000 and 31 December 2036."
    assert is_sensible_date(date(2000, 1, 1), TODAY) and is_sensible_date(date(2036, 12, 31), TODAY)
    assert not is_sensible_date(date(1999, 12, 31), TODAY)
    assert not is_sensible_date(date(2037, 1, 1), TODAY)


@pytest.mark.parametrize(
    "value",
    [date(1, 1, 1), date(9999, 12, 31), datetime(1, 1, 1, tzinfo=UTC),
     datetime(9999, 12, 31, 23, 59, tzinfo=UTC), datetime(1, 1, 1)],
)
def test_the_validator_refuses_the_ends_of_the_calendar_without_crashing(value):
    with pytest.raises(ValidationError) as caught:
        validate_sensible_date(value)
    assert caught.value.messages == [date_range_message()]


def test_the_validator_accepts_an_ordinary_date_and_time_and_nothing():
    validate_sensible_date(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # the clocks go forward
    validate_sensible_date(None)


def test_a_search_keeps_its_first_words_and_says_when_it_dropped_some():
    short = search_terms("  kidney   letters ")
    assert short.words == ("kidney", "letters") and not short.capped and short.note == ""
    long = search_terms(" ".join(str(n) for n in range(1000)))
    assert long.words == tuple(str(n) for n in range(MAX_WORDS)) and long.capped and long.note
    assert search_terms("x" * 5000).words == ("x" * 100,)
    assert search_terms(None).words == ()
