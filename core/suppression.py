"""Publishing counts of people without giving anyone away: the one rule for every table of
answers shown to staff (equality monitoring in the reach report; meeting feedback later).

Hiding groups smaller than 5 is not enough. Beside a total, a hidden group can be worked out by
subtraction; and any figure shown exactly gives away the next person to answer when the report
is looked at before and after ("Woman: 6" becomes 7). So no group is ever shown as a number:
each is a range, derived from where the running totals of the table fall in bands of 5:

- the bands cover 0 to the number of people in the table; the lowest band always holds 0 to 4
  and the highest always holds the last 5 people, so a group smaller than 5 is never narrowed
  below "fewer than 5" from either end, nor from the total (shown exactly, because of that);
- the bands move by 3 between an even and an odd number of people, so when one person joins
  or leaves, every band edge moves too, and the change in the report fits at least two
  different answers for that person.

tests/core/test_suppression.py checks this for every population up to 30 people and for random
large ones: no single added or removed answer can be read off two reports.
"""

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

SMALL = 5  # no group smaller than this is ever shown as a number
_SHIFT = 3  # how far the bands move for an odd number of people (2 or 3 both work for bands of 5)


@dataclass(frozen=True)
class Figure:
    """One row of a table: the true count is somewhere from `low` to `high`."""

    label: str
    low: int
    high: int

    @property
    def text(self) -> str:
        if self.low == self.high:
            return str(self.low)  # only when nobody is in the table at all
        if self.low < SMALL:
            return f"fewer than {self.high + 1}"
        return f"{self.low} to {self.high}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class SuppressedTable:
    rows: list[Figure]
    total: int  # everyone in the table, whatever their answer (including "not answered")


def bands(total: int) -> list[tuple[int, int]]:
    """The ranges that 0..total is cut into for a table of `total` people."""
    shift = 0 if total % 2 == 0 else _SHIFT
    starts = [0, *range(shift + SMALL, total + 1, SMALL)]
    # The top band must hold the last 5 people, or "everyone but fewer than 5" would show.
    while len(starts) > 1 and starts[-1] > total - (SMALL - 1):
        starts.pop()
    ends = [start - 1 for start in starts[1:]] + [total]
    return list(zip(starts, ends, strict=True))


def _band_of(value: int, cut: list[tuple[int, int]]) -> tuple[int, int]:
    return cut[bisect_right(cut, (value, math.inf)) - 1]


def running_bands(counts: Sequence[int]) -> list[tuple[int, int]]:
    """The band each running total falls in (after the first row, the first two, ...): all
    that a table shows is worked out from these and the total."""
    total = sum(counts)
    cut = bands(total)
    result, running = [], 0
    for count in counts[:-1]:
        running += count
        result.append(_band_of(running, cut))
    return [*result, (total, total)]


def suppress(counts: Sequence[tuple[str, int]]) -> SuppressedTable:
    """Ranges for a table of answers. `counts` holds every possible answer in a fixed order,
    those nobody gave and "not answered" included: leaving a row out when it is 0 would show
    a new row for the first person to give that answer."""
    if not counts:
        return SuppressedTable(rows=[], total=0)
    total = sum(count for _label, count in counts)
    running = running_bands([count for _label, count in counts])
    rows, before = [], (0, 0)
    for (label, _count), after in zip(counts, running, strict=True):
        rows.append(
            Figure(
                label=label,
                low=max(0, after[0] - before[1]),
                high=min(total, after[1] - before[0]),
            )
        )
        before = after
    return SuppressedTable(rows=rows, total=total)
