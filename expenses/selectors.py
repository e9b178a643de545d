"""Every read with rules in expenses/."""

from decimal import Decimal  # noqa: F401


def spend_by_budget_line(*, project_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Approved and paid totals per budget line id: {line_id: {"approved": D, "paid": D}}.

    Filled in by the expenses issue; until then nothing has been spent.
    """
    return {}
