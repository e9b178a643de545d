"""Small numbers stay hidden: the one rule for tables of people's answers (core.suppression).

"Can be read off two reports" is checked the way someone comparing them would: from the report
before and the report after one person joined (or left), which answers could that person have
given, for some population that shows exactly the first report? If only one answer fits, the
reports gave it away. Every population up to a few dozen people is tried against the figures as
shown; large random ones (hypothesis) against the running bands behind them, which tell an
observer at least as much as the page does.
"""

import itertools
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.suppression import SMALL, bands, running_bands, suppress

LABELS = "ABCDEFG"


@cache
def shown(counts: tuple) -> tuple:
    """Everything the page shows for a table: the total and each row's words."""
    table = suppress([(LABELS[i], count) for i, count in enumerate(counts)])
    return table.total, tuple(row.text for row in table.rows)


def populations(rows: int, total: int):
    """Every way `total` people can be spread over `rows` answers."""
    for cuts in itertools.combinations_with_replacement(range(total + 1), rows - 1):
        edges = (0, *cuts, total)
        yield tuple(edges[i + 1] - edges[i] for i in range(rows))


@cache
def reports(rows: int, largest: int) -> dict:
    """Every population of up to `largest` people, grouped by the report it shows."""
    by_report: dict = {}
    for total in range(largest + 1):
        for population in populations(rows, total):
            by_report.setdefault(shown(population), []).append(population)
    return by_report


def _plus(population, index, step=1):
    return tuple(count + (step if i == index else 0) for i, count in enumerate(population))


def answers_that_fit(before, after, *, rows, largest, joined: bool) -> set[int]:
    """The answers a person who joined (or left) between the two reports could have given."""
    fits = set()
    for candidate in reports(rows, largest).get(before, []):
        for answer in range(rows):
            if answer in fits:
                continue
            if joined:
                if shown(_plus(candidate, answer)) == after:
                    fits.add(answer)
            elif candidate[answer] and shown(_plus(candidate, answer, -1)) == after:
                fits.add(answer)
        if len(fits) > 1:
            break
    return fits


def test_it_shows_every_group_as_a_range_and_one_smaller_than_5_as_fewer_than_at_least_5():
    for population in populations(4, 23):
        table = suppress(list(zip(LABELS, population, strict=False)))
        assert table.total == 23
        for row, count in zip(table.rows, population, strict=True):
            assert row.low <= count <= row.high and row.low < row.high
            if count < SMALL:
                assert row.text.startswith("fewer than ")
                assert int(row.text.removeprefix("fewer than ")) >= SMALL


def test_the_words_people_read():
    table = suppress([("Woman", 20), ("Man", 3), ("Non-binary", 0), ("Not answered", 0)])
    assert [row.text for row in table.rows] == ["18 to 23", "fewer than 6", "fewer than 6", "fewer than 6"]
    assert table.total == 23
    big = suppress([("Woman", 300), ("Man", 200), ("Prefer not to say", 40), ("Not answered", 7)])
    assert [row.text for row in big.rows] == ["298 to 302", "196 to 204", "36 to 44", "5 to 9"]
    assert suppress([("Yes", 0), ("No", 0)]).rows[0].text == "0"  # nobody has answered yet


def test_the_bands_always_hold_the_first_and_the_last_5_people():
    for total in range(0, 300):
        cut = bands(total)
        assert cut[0][0] == 0 and cut[-1][1] == total
        assert all(low == previous + 1 for (_a, previous), (low, _b) in itertools.pairwise(cut))
        assert cut[0][1] >= min(total, SMALL - 1)
        assert cut[-1][0] <= max(0, total - (SMALL - 1))


@pytest.mark.parametrize("rows, largest", [(2, 40), (3, 28), (4, 20)])
def test_no_small_group_can_be_worked_out_from_the_total_and_the_other_rows(rows, largest):
    """Whatever a hidden group's size, another population showing the same report gives it a
    different size: subtracting the other rows from the total never pins it down."""
    for report, matching in reports(rows, largest).items():
        if report[0] == 0:
            continue  # nobody in the table: nothing to hide
        for row in range(rows):
            sizes = {population[row] for population in matching}
            if min(sizes) < SMALL:
                assert len(sizes) > 1, (report, row)


@pytest.mark.parametrize("rows, largest", [(2, 40), (3, 26), (4, 16)])
def test_no_single_added_or_removed_answer_can_be_read_off_two_reports(rows, largest):
    for total in range(largest):
        for population in populations(rows, total):
            before = shown(population)
            for answer in range(rows):
                after = shown(_plus(population, answer))
                joined = answers_that_fit(before, after, rows=rows, largest=largest, joined=True)
                left = answers_that_fit(after, before, rows=rows, largest=largest, joined=False)
                assert len(joined) > 1, f"{population} + one answering {LABELS[answer]} gives them away"
                assert len(left) > 1, f"{_plus(population, answer)} - one {LABELS[answer]} gives them away"


def answers_that_fit_bands(population, answer) -> set[int]:
    """As answers_that_fit, for an observer who sees the running bands behind the report (at
    least as much as the page shows) and the exact total. Running totals must sit in their
    bands before, and in the new bands once the person is counted: a chain of ranges that is
    possible exactly when climbing it from the bottom never overshoots."""
    total = sum(population)
    before = running_bands(population)
    after = running_bands(_plus(population, answer))
    fits = set()
    for candidate in range(len(population)):
        lowest = 0
        for k, ((low1, high1), (low2, high2)) in enumerate(zip(before, after, strict=True)):
            shift = 1 if k >= candidate else 0
            low, high = max(low1, low2 - shift), min(high1, high2 - shift)
            lowest = max(low, lowest)
            if lowest > high:
                break
        else:
            if lowest == total:
                fits.add(candidate)
    return fits


@settings(max_examples=1500, deadline=None)
@given(
    population=st.lists(
        st.one_of(st.integers(0, 12), st.integers(0, 400), st.integers(0, 20000)), min_size=2, max_size=7
    ),
    data=st.data(),
)
def test_no_single_answer_can_be_read_off_two_reports_of_any_size(population, data):
    answer = data.draw(st.integers(0, len(population) - 1))
    fits = answers_that_fit_bands(population, answer)
    assert answer in fits
    assert len(fits) > 1
    # Read the other way round, the same two reports are a person leaving: the same check.
    grown = _plus(population, answer)
    table = suppress(list(zip(LABELS, grown, strict=False)))
    assert all(row.low <= count <= row.high for row, count in zip(table.rows, grown, strict=True))


def test_the_band_observer_sees_at_least_what_the_page_shows():
    """Two populations with the same running bands always show the same page, so checking
    the bands (above) covers the page."""
    by_bands: dict = {}
    for total in range(30):
        for population in populations(3, total):
            by_bands.setdefault(tuple(running_bands(population)), set()).add(shown(population))
    assert all(len(pages) == 1 for pages in by_bands.values())
