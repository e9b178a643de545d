"""'Paid, up to a limit': a claim over the contributor's weekly or monthly limit is split."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from contributors.models import ContributorProfile
from contributors.services import PersonError, profile_update
from expenses import services
from expenses.limits import limit_split, period_of, split
from tests.expenses.factories import line, make_claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("already", "time", "now", "over"),
    [
        ("0.00", "55.00", "55.00", "0.00"),
        ("45.00", "55.00", "55.00", "0.00"),   # reaching the limit exactly is within it
        ("45.01", "55.00", "54.99", "0.01"),   # a penny over
        ("100.00", "55.00", "0.00", "55.00"),  # nothing left
        ("120.00", "10.00", "0.00", "10.00"),  # already over (paid before the limit was set)
    ],
)
def test_the_split_at_the_boundary(already, time, now, over):
    assert split(limit=D("100.00"), already=D(already), time_amount=D(time)) == (D(now), D(over))


def test_periods_are_monday_to_sunday_or_calendar_months():
    assert period_of(date(2026, 11, 26), "week") == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_of(date(2026, 12, 31), "month") == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_of(date(2027, 2, 3), "month") == (date(2027, 2, 1), date(2027, 2, 28))


def limited(person, amount="60.00", period="week", over="defer"):
    ContributorProfile.objects.filter(user=person).update(
        payment_preference="limited", payment_limit=D(amount), payment_limit_period=period, over_limit=over
    )


def test_an_approved_claim_counts_against_the_limit(member, project, staff):
    limited(member)
    first = make_claim(member, project, [line("time_hours", quantity=1, description="One")])
    services.claim_approve(claim_id=first.pk, actor=staff)
    second = make_claim(member, project, [line("time_hours", quantity=2, description="Two")])
    result = limit_split(second, paid_on=timezone.localdate())
    assert result.already == first.time_amount
    assert result.now == D("60.00") - first.time_amount
    assert result.now + result.over == second.time_amount


def test_no_split_for_someone_without_a_limit(member, project):
    claim = make_claim(member, project, [line("time_hours", quantity=2)])
    assert limit_split(claim, paid_on=timezone.localdate()) is None


def test_the_contributor_and_the_reviewer_see_what_can_be_paid_now(client, member, project, staff):
    limited(member, amount="30.00", over="decline")
    claim = make_claim(member, project, [line("time_hours", quantity=2)])  # £55 at £27.50
    for person in (member, staff):
        client.force_login(person)
        page = client.get(reverse("expenses:claim_detail", args=[claim.pk])).content.decode()
        assert "Paid up to a limit: £30.00 a week" in page
        assert "<strong>£30.00</strong> of this claim" in page
        assert "<strong>£25.00</strong> is over the limit, and will not be paid" in page


def test_choosing_a_limit_needs_an_amount(contributor):
    with pytest.raises(PersonError, match="enter the most we should pay you") as error:
        profile_update(
            actor=contributor, name="Zoë O'Brien", preferred_name="", availability=set(),
            profile_data={"payment_preference": "limited", "payment_limit": None},
        )
    assert error.value.field == "payment_limit"


def test_the_profile_form_saves_a_limit(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("contributors:profile"),
        {
            "name": "Zoë O'Brien", "contact_method": "email", "payment_preference": "limited",
            "payment_limit": "80.00", "payment_limit_period": "month", "over_limit": "decline",
        },
    )
    assert response.status_code == 302
    profile = ContributorProfile.objects.get(user=contributor)
    assert (profile.payment_limit, profile.payment_limit_period, profile.over_limit) == (
        D("80.00"), "month", "decline"
    )
    page = client.get(reverse("contributors:profile")).content.decode()
    assert "vouchers usually count as income just as money does" in page
