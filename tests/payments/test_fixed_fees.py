"""Fixed fees per activity on a rate card ("reading papers: £20"), dated and per role like every
rate, claimed as a line and shown in the role description."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from expenses.forms import ClaimLineForm
from expenses.models import Rate
from expenses.services import LineInput
from expenses.workflow import ClaimError
from projects.models import RoleOffer
from projects.services import roles as role_services
from tests.expenses.factories import give_role, make_claim

pytestmark = pytest.mark.django_db

READING = "reading papers"


def fee(amount, on, role=None, activity=READING):
    return Rate.objects.create(
        kind="fixed_fee", activity=activity, amount=D(amount), effective_from=on, role=role
    )


def fee_line(when, activity=READING, times=1):
    return LineInput(kind="fixed_fee", date=when, description="Papers for the March meeting",
                     quantity=D(times), activity=activity)


def priced(person, project, when, **kwargs):
    claim = make_claim(person, project, [fee_line(when, **kwargs)])
    (line,) = claim.lines.all()
    return claim, line


def test_a_fixed_fee_is_priced_by_the_date_of_the_activity(member, project):
    fee("20.00", date(2026, 1, 1))
    fee("25.00", date(2026, 6, 1))
    claim, line = priced(member, project, date(2026, 5, 31))
    assert (line.rate, line.amount, claim.time_amount) == (D("20.00"), D("20.00"), D("20.00"))
    claim, line = priced(member, project, date(2026, 6, 1), times=2)
    assert (line.rate, line.amount) == (D("25.00"), D("50.00"))


def test_a_role_card_fee_replaces_the_organisations_from_its_date(contributor, project):
    role = give_role(contributor=contributor, project=project).role
    fee("20.00", date(2026, 1, 1))
    fee("30.00", date(2026, 3, 1), role=role)
    assert priced(contributor, project, date(2026, 2, 28))[1].amount == D("20.00")
    assert priced(contributor, project, date(2026, 3, 1))[1].amount == D("30.00")


def test_each_activity_has_its_own_fee(member, project):
    fee("20.00", date(2026, 1, 1))
    fee("40.00", date(2026, 1, 1), activity="attending a focus group")
    _claim, line = priced(member, project, date(2026, 2, 2), activity="attending a focus group")
    assert line.amount == D("40.00")


def test_an_activity_without_a_fee_on_the_date_is_refused(member, project):
    fee("20.00", date(2026, 6, 1))
    with pytest.raises(ClaimError, match="no rate for “fixed fee for reading papers” on 31 May 2026"):
        priced(member, project, date(2026, 5, 31))


def test_a_fixed_fee_names_its_activity_and_other_rates_do_not(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rate.objects.create(kind="fixed_fee", amount=D("20.00"), effective_from=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rate.objects.create(kind="time_hours", activity="x", amount=D("1"), effective_from=date(2026, 1, 1))


def test_the_claim_form_offers_the_activities_and_needs_one_for_a_fee(db):
    fee("20.00", date(2026, 1, 1))
    data = {"kind": "fixed_fee", "date": "2026-02-02", "description": "Papers", "quantity": "1"}
    form = ClaimLineForm(data=data)
    assert (READING, READING) in form.fields["activity"].choices
    assert not form.is_valid() and "Choose the activity" in str(form.errors["activity"])
    form = ClaimLineForm(data={**data, "activity": READING})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["activity"] == READING


def test_the_role_description_shows_its_actual_rates_and_fees(client, contributor, project):
    role = give_role(contributor=contributor, project=project).role
    fee("20.00", date(2025, 1, 1))
    Rate.objects.create(kind="time_hours", role=role, amount=D("40.00"), effective_from=date(2025, 1, 1))
    offer = RoleOffer.objects.get(role=role, contributor=contributor)
    client.force_login(contributor)
    page = client.get(reverse("projects:offer_detail", args=[offer.pk])).content.decode()
    assert "What we pay for your time today" in page
    assert '<td data-label="For">Per hour</td><td data-label="Amount" class="text-end">£40.00</td>' in page
    assert "Fixed fee: reading papers" in page and "£20.00" in page


def test_new_terms_to_accept_show_todays_amounts_once(client, contributor, project, staff):
    role = give_role(contributor=contributor, project=project).role
    fee("20.00", date(2025, 1, 1))
    role_services.role_update(role=role, actor=staff, time_commitment="Three hours a week")
    offer = RoleOffer.objects.get(role=role, contributor=contributor)
    assert offer.needs_reacceptance
    client.force_login(contributor)
    page = client.get(reverse("projects:offer_detail", args=[offer.pk])).content.decode()
    assert "The terms that stand now" in page
    assert page.count("What we pay for your time today") == 1
