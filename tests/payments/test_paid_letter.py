"""The "what we paid you" letter: every payment in a tax year, when and what for."""

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import services
from tests.expenses.factories import line, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_claim(member, project, staff, finance):
    claim = make_claim(member, project, [line("time_hours", quantity=2), line(amount="4.50")])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_mark_paid(batch_id=batch.pk, actor=finance, reference="B1", paid_on=timezone.localdate())
    claim.refresh_from_db()
    return claim


def test_the_letter_lists_each_payment_split_into_time_and_expenses(client, member, paid_claim):
    client.force_login(member)
    page = client.get(reverse("expenses:my_paid_letter")).content.decode()
    assert f"Claim {paid_claim.pk}, Better diabetes care together" in page
    assert f"£{paid_claim.total}" in page
    assert f"£{paid_claim.time_amount} was payment for time" in page
    assert f"£{paid_claim.expenses_amount} paid back expenses" in page
    assert timezone.localdate().strftime("%-d %B %Y") in page


def test_an_earlier_year_without_payments_says_so(client, member, paid_claim):
    client.force_login(member)
    year = timezone.localdate().year - 3
    page = client.get(reverse("expenses:my_paid_letter"), {"year": year}).content.decode()
    assert "We made no payments in this tax year." in page


@pytest.mark.parametrize(
    ("who", "mine", "theirs"),
    [
        ("anonymous", 302, 302), ("contributor", 200, 403), ("other_contributor", 200, 403),
        ("other_staff", 403, 403), ("staff", 403, 403), ("finance", 403, 200), ("admin_user", 403, 200),
    ],
)
def test_permission_matrix(client, request, paid_claim, member, who, mine, theirs):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("expenses:my_paid_letter")).status_code == mine
    response = client.get(reverse("expenses:paid_letter", args=[member.pk]))
    assert response.status_code == theirs
    if theirs == 200:
        assert f"Claim {paid_claim.pk}" in response.content.decode()


def test_another_contributor_sees_only_their_own(client, other_contributor, paid_claim):
    client.force_login(other_contributor)
    page = client.get(reverse("expenses:my_paid_letter")).content.decode()
    assert f"Claim {paid_claim.pk}" not in page
