"""A role's rate card prices its holders' time by the date of the work."""

from datetime import date
from decimal import Decimal as D

import pytest

from expenses.models import Rate
from expenses.rate_cards import rates_for
from tests.expenses.factories import give_role, line, make_claim

pytestmark = pytest.mark.django_db


def hourly_on(claim_line_date, member, project):
    claim = make_claim(member, project, [line("time_hours", quantity=2, when=claim_line_date)])
    (priced,) = claim.lines.all()
    return priced.rate, priced.amount


def test_without_a_role_card_the_organisation_rate_applies(member, project):
    rate, amount = hourly_on(date(2026, 1, 5), member, project)
    assert rate == D("27.50") and amount == D("55.00")  # the seeded example, from December 2025


def test_a_role_card_prices_its_holders_from_its_date(contributor, project):
    role = give_role(contributor=contributor, project=project).role
    Rate.objects.create(kind="time_hours", role=role, amount=D("40.00"), effective_from=date(2026, 1, 1))
    Rate.objects.create(kind="time_hours", role=role, amount=D("45.00"), effective_from=date(2026, 3, 1))
    assert hourly_on(date(2025, 12, 31), contributor, project)[0] == D("27.50")  # before the card
    assert hourly_on(date(2026, 1, 1), contributor, project)[0] == D("40.00")
    assert hourly_on(date(2026, 2, 28), contributor, project)[0] == D("40.00")
    assert hourly_on(date(2026, 3, 1), contributor, project) == (D("45.00"), D("90.00"))


def test_a_role_card_is_only_for_its_holders(member, make_member, project):
    role = give_role(contributor=member, project=project).role
    Rate.objects.create(kind="time_hours", role=role, amount=D("40.00"), effective_from=date(2026, 1, 1))
    other = make_member()  # holds another role on the same project
    assert hourly_on(date(2026, 2, 2), other, project)[0] == D("27.50")


def test_kinds_the_role_does_not_set_come_from_the_organisation(contributor, project):
    role = give_role(contributor=contributor, project=project).role
    Rate.objects.create(kind="time_day", role=role, amount=D("200.00"), effective_from=date(2026, 1, 1))
    book = rates_for(role)
    assert book["time_hours"] == rates_for(None)["time_hours"]
    assert (date(2026, 1, 1), D("200.00")) in book["time_day"]
