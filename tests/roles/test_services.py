"""Roles: templates, versions of the terms, re-acceptance, and refusing bad input."""

import pytest

from projects.models import ExpressionOfInterest, Role, RoleAcceptance, RoleOffer, RoleTemplate, RoleVersion
from projects.services import roles as services
from projects.services.roles import RoleError
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_one_good_default_template():
    template = RoleTemplate.objects.get(is_default=True)
    for text in (
        template.purpose,
        template.activities,
        template.time_commitment,
        template.length_of_involvement,
        template.payment_details,
        template.how_to_claim,
        template.support_offered,
    ):
        assert text.strip()
    assert "NIHR" in template.payment_details


def test_it_creates_a_draft_role_from_the_template_with_version_1(project, staff):
    role = services.role_create_from_template(project=project, template=None, actor=staff, title="Panel")
    template = RoleTemplate.objects.get(is_default=True)
    assert role.status == Role.Status.DRAFT
    assert role.payment_terms == template.payment_details
    version = role.versions.get()
    assert version.number == 1
    assert version.description["can_change"].startswith("The wording of the letter.")
    assert version.description["cannot_change"].startswith("The legal content.")


def _accepted_offer(role, contributor, staff):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    return services.offer_accept(offer_id=offer.pk, actor=contributor)


def test_it_records_the_version_and_time_of_acceptance(role, staff, contributor):
    offer = _accepted_offer(role, contributor, staff)
    acceptance = RoleAcceptance.objects.get(offer=offer)
    assert acceptance.version.number == 1
    assert acceptance.accepted_at is not None
    assert offer.accepted_version == offer.offered_version


def test_it_makes_a_new_version_when_accepted_terms_change_and_the_old_terms_stand(role, staff, contributor):
    offer = _accepted_offer(role, contributor, staff)
    _, version = services.role_update(role=role, actor=staff, time_commitment="4 hours a month")
    assert version.number == 2
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.ACCEPTED
    assert offer.accepted_version.number == 1
    assert offer.offered_version.number == 2
    assert offer.needs_reacceptance
    assert offer.accepted_version.description["time_commitment"] != "4 hours a month"
    assert offer.offered_version.description["time_commitment"] == "4 hours a month"

    services.offer_accept(offer_id=offer.pk, actor=contributor, version_number=2)
    offer.refresh_from_db()
    assert not offer.needs_reacceptance
    assert list(offer.acceptances.values_list("version__number", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    "change",
    [
        {"payment_terms": "£30 an hour"},
        {"end_date": "2030-01-01"},
    ],
)
def test_it_asks_for_reacceptance_when_payment_or_length_change(role, staff, contributor, change):
    import datetime

    offer = _accepted_offer(role, contributor, staff)
    if "end_date" in change:
        change = {"end_date": datetime.date(2030, 1, 1)}
    services.role_update(role=role, actor=staff, **change)
    offer.refresh_from_db()
    assert offer.needs_reacceptance


def test_a_wording_change_keeps_accepted_terms_without_asking_again(role, staff, contributor):
    offer = _accepted_offer(role, contributor, staff)
    _, version = services.role_update(role=role, actor=staff, purpose="Clearer words about the same job.")
    assert version.number == 2  # the words they accepted are kept as version 1
    offer.refresh_from_db()
    assert not offer.needs_reacceptance
    assert offer.accepted_version.number == 1


def test_editing_a_role_nobody_was_offered_keeps_one_version(role, staff):
    services.role_update(role=role, actor=staff, time_commitment="One hour")
    assert RoleVersion.objects.filter(role=role).count() == 1
    assert role.versions.get().description["time_commitment"] == "One hour"


def test_a_pending_offer_moves_to_the_new_terms(role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    services.role_update(role=role, actor=staff, payment_terms="£25 an hour")
    offer.refresh_from_db()
    assert offer.offered_version.number == 2
    with pytest.raises(RoleError, match="The terms changed while you were reading them"):
        services.offer_accept(offer_id=offer.pk, actor=contributor, version_number=1)


def test_a_second_expression_of_interest_is_refused_and_nothing_changes(role, contributor):
    services.interest_express(role=role, actor=contributor, statement="I live with diabetes.")
    with pytest.raises(RoleError, match="You already expressed interest in this role on"):
        services.interest_express(role=role, actor=contributor, statement="Again")
    assert ExpressionOfInterest.objects.get().statement == "I live with diabetes."


def test_accepting_twice_is_refused(role, staff, contributor):
    offer = _accepted_offer(role, contributor, staff)
    with pytest.raises(RoleError, match="^You have already accepted this role.$"):
        services.offer_accept(offer_id=offer.pk, actor=contributor)
    assert RoleAcceptance.objects.count() == 1


def test_accepting_after_withdrawal_is_refused(role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    services.offer_withdraw(offer_id=offer.pk, actor=staff)
    with pytest.raises(RoleError, match="^This offer was withdrawn, so it can no longer be accepted.$"):
        services.offer_accept(offer_id=offer.pk, actor=contributor)
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.WITHDRAWN
    assert not RoleAcceptance.objects.exists()


def test_an_offer_to_someone_who_does_not_exist_is_refused(role, staff):
    with pytest.raises(
        RoleError, match="^We could not find that contributor. Choose someone from the list.$"
    ):
        services.offer_make(role=role, contributor_id=999999, actor=staff)
    assert not RoleOffer.objects.exists()


def test_an_offer_to_staff_or_a_second_offer_is_refused(role, staff, other_staff, contributor):
    with pytest.raises(RoleError, match="is a member of staff. Offers are for public contributors."):
        services.offer_make(role=role, contributor_id=other_staff.pk, actor=staff)
    services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    with pytest.raises(RoleError, match="already has an offer for this role"):
        services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    assert RoleOffer.objects.count() == 1


def test_turning_down_needs_a_reason(role, staff, contributor):
    interest = services.interest_express(role=role, actor=contributor, statement="Keen")
    with pytest.raises(RoleError, match="^Give a reason."):
        services.interest_turn_down(interest_id=interest.pk, actor=staff, reason="  ")
    services.interest_turn_down(
        interest_id=interest.pk, actor=staff, reason="All places went to first-timers."
    )
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.TURNED_DOWN
    assert interest.decided_by == staff


def test_the_role_is_filled_when_every_place_is_accepted(project, staff):
    from tests.roles.factories import make_role

    role = make_role(project=project, by=staff, places=1)
    person = ContributorFactory()
    _accepted_offer(role, person, staff)
    role.refresh_from_db()
    assert role.status == Role.Status.FILLED
