"""Vouchers actually issued, recorded against the claims they pay."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import VoucherIssue
from expenses.payments import voucher_record
from expenses.services import ClaimError
from tests.expenses.factories import line, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def vouchers_batch(member, project, staff, finance):
    member.profile.payment_preference = "vouchers"
    member.profile.save()
    claim = make_claim(member, project, [line(amount="20.00")])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    return services.batch_create(actor=finance), claim


def record(finance, member, claim, **changes):
    values = dict(
        actor=finance, person=member, reference="LOVE2SHOP-1234", value=D("20.00"),
        issued_on=timezone.localdate(), how_sent="post", claim_ids=[claim.pk],
    )
    return voucher_record(**{**values, **changes})


def test_finance_record_vouchers_against_the_claims(vouchers_batch, finance, member):
    _batch, claim = vouchers_batch
    issue = record(finance, member, claim)
    assert list(issue.claims.all()) == [claim]
    assert issue.issued_by == finance and issue.get_how_sent_display() == "By post"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": "  "}, "Enter the voucher code"),
        ({"value": D("0")}, "more than £0"),
        ({"issued_on": timezone.localdate() + timedelta(days=1)}, "in the future"),
        ({"how_sent": "pigeon"}, "how the vouchers were sent"),
        ({"claim_ids": []}, "Choose the claims"),
    ],
)
def test_it_refuses_what_does_not_add_up(vouchers_batch, finance, member, changes, message):
    _batch, claim = vouchers_batch
    with pytest.raises(ClaimError, match=message):
        record(finance, member, claim, **changes)
    assert not VoucherIssue.objects.exists()


def test_a_code_is_recorded_once_and_only_by_finance(
    vouchers_batch, finance, staff, member, other_contributor
):
    _batch, claim = vouchers_batch
    with pytest.raises(ClaimError, match="Only finance"):
        record(staff, member, claim)
    with pytest.raises(ClaimError, match="Choose the claims"):
        record(finance, other_contributor, claim)  # not their claim
    record(finance, member, claim)
    with pytest.raises(ClaimError, match="already recorded"):
        record(finance, member, claim, reference="love2shop-1234")


def test_the_page_records_them_with_the_values_it_shows(client, vouchers_batch, finance, member):
    batch, claim = vouchers_batch
    client.force_login(finance)
    url = reverse("expenses:record_vouchers", args=[batch.pk, member.pk])
    page = client.get(url).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    response = client.post(
        url,
        {"reference": "EV-99", "value": "20.00", "issued_on": timezone.localdate().isoformat(),
         "how_sent": "email", "claims": [str(claim.pk)]},
    )
    assert response.status_code == 302
    assert VoucherIssue.objects.get().reference == "EV-99"
    again = {"reference": "EV-99", "value": "20.00", "how_sent": "email", "claims": [claim.pk]}
    bad = client.post(url, {**again, "issued_on": timezone.localdate().isoformat()})
    assert "already recorded" in bad.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302), ("contributor", 403), ("other_contributor", 403), ("other_staff", 403),
        ("staff", 403), ("finance", 200), ("admin_user", 200),
    ],
)
def test_permission_matrix(client, request, vouchers_batch, member, who, status):
    batch, _claim = vouchers_batch
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("expenses:record_vouchers", args=[batch.pk, member.pk])).status_code == status


def test_the_letter_and_the_data_download_list_them(client, vouchers_batch, finance, member):
    from coproduction.personal_data import personal_data

    batch, claim = vouchers_batch
    record(finance, member, claim)
    assert personal_data(member)["vouchers_issued"][0]["reference"] == "LOVE2SHOP-1234"
    client.force_login(member)
    page = client.get(reverse("expenses:my_paid_letter")).content.decode()
    assert "LOVE2SHOP-1234" in page
