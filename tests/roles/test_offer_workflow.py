"""The role-offer table (projects/workflow.py): what each person may do at each state, and the
offer page showing only those buttons."""

import pytest
from django.urls import reverse

from projects.models import RoleOffer
from projects.services import roles as services
from projects.workflow import allowed_actions

pytestmark = pytest.mark.django_db


def _can(offer, person):
    return {action for action, ok in allowed_actions(offer, person).items() if ok}


def test_an_offer_is_answered_by_its_contributor_and_withdrawn_by_staff(role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    assert _can(offer, contributor) == {"accept", "decline"}
    assert _can(offer, staff) == {"withdraw"}

    offer = services.offer_accept(offer_id=offer.pk, actor=contributor)
    assert offer.status == RoleOffer.Status.ACCEPTED
    assert _can(offer, contributor) == {"step_down"}
    assert _can(offer, staff) == {"withdraw"}


def test_a_role_someone_stepped_down_from_cannot_be_accepted_again(role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    services.offer_accept(offer_id=offer.pk, actor=contributor)
    offer = services.role_step_down(offer_id=offer.pk, actor=contributor, reason="Moving away")
    assert _can(offer, contributor) == set() and _can(offer, staff) == set()
    with pytest.raises(services.RoleError, match="stepped down"):
        services.offer_accept(offer_id=offer.pk, actor=contributor)
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.STEPPED_DOWN


def test_only_staff_withdraw_an_offer(role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    with pytest.raises(services.RoleError, match="Only staff"):
        services.offer_withdraw(offer_id=offer.pk, actor=contributor)
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.OFFERED


def test_the_offer_page_shows_the_buttons_the_table_allows(client, role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    client.force_login(contributor)
    url = reverse("projects:offer_detail", args=[offer.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Accept this role" in response.content.decode()

    services.offer_withdraw(offer_id=offer.pk, actor=staff)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accept this role" not in page and "No, thank you" not in page and "Step down" not in page
