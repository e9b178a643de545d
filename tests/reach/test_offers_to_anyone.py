"""Offers to anyone in the pool (accents ignored), stepping down, and taking a break."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contributors.services import PersonError, break_set
from projects.models import Role, RoleOffer
from projects.selectors.roles import people_to_offer, suggested_contributors
from projects.services.roles import RoleError, offer_accept, offer_make, role_step_down
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(contributor):
    contributor.profile.interests = "kidney care"
    contributor.profile.lived_experience = "dialysis"
    contributor.profile.save()
    return contributor


def test_staff_find_anyone_by_name_without_accents(role, zoe, other_contributor):
    assert people_to_offer(role=role, search="zoe") == [zoe]
    assert people_to_offer(role=role, search="ZOË o'brien") == [zoe]
    assert people_to_offer(role=role, search="dialysis") == [zoe]
    assert people_to_offer(role=role, search="Priya") == [other_contributor]
    assert people_to_offer(role=role, search="") == []


def test_people_already_offered_are_left_out_of_the_search(role, staff, zoe):
    offer_make(role=role, contributor_id=zoe.pk, actor=staff)
    assert people_to_offer(role=role, search="Zoe") == []


def test_staff_offer_the_role_to_someone_found_who_is_not_suggested(client, staff, role, zoe):
    client.force_login(staff)
    page = client.get(reverse("projects:role_detail", args=[role.pk]), {"find": "Zoe"}).content.decode()
    assert "Suggested contributors" in page  # the suggestion list stays
    assert "Offer the role<span class=\"visually-hidden\"> to Zoë O&#x27;Brien" in page
    url = reverse("projects:offer_make", args=[role.pk])
    response = client.post(url, {"contributor": zoe.pk}, follow=True)
    assert "Offer made to Zoë" in response.content.decode()
    assert RoleOffer.objects.get(role=role).contributor == zoe


def test_the_search_page_takes_a_fixed_number_of_queries(client, staff, role, django_assert_max_num_queries):
    for n in range(15):
        ContributorFactory(name=f"Zoë {n}")
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("projects:role_detail", args=[role.pk]), {"find": "Zoe"})
    assert response.status_code == 200
    assert response.content.decode().count("Offer the role<span") >= 15


def test_someone_taking_a_break_is_not_suggested_nor_offered(role, staff, zoe):
    until = timezone.localdate() + timedelta(days=30)
    break_set(user=zoe, until=until, note="Hospital stay", actor=zoe)
    assert zoe not in [s.person for s in suggested_contributors(role=role)]
    (found,) = people_to_offer(role=role, search="Zoe")
    assert found.on_break_until == until
    with pytest.raises(RoleError, match=f"Zoë is taking a break until {until:%-d %B %Y}"):
        offer_make(role=role, contributor_id=zoe.pk, actor=staff)
    break_set(user=zoe, until=None, actor=zoe)
    assert zoe in [s.person for s in suggested_contributors(role=role)]
    offer_make(role=role, contributor_id=zoe.pk, actor=staff)


def test_a_break_must_end_in_the_future_and_is_theirs_to_set(zoe, other_contributor):
    with pytest.raises(PersonError, match="Choose a date after today"):
        break_set(user=zoe, until=timezone.localdate(), actor=zoe)
    with pytest.raises(PersonError, match="Only the person themselves"):
        break_set(user=zoe, until=timezone.localdate() + timedelta(days=3), actor=other_contributor)


def test_a_contributor_takes_a_break_from_their_profile(client, zoe):
    client.force_login(zoe)
    until = timezone.localdate() + timedelta(days=10)
    url = reverse("contributors:taking_a_break")
    response = client.post(url, {"until": until.isoformat(), "note": ""}, follow=True)
    assert f"We will not offer you roles before {until:%-d %B %Y}" in response.content.decode()
    zoe.profile.refresh_from_db()
    assert zoe.profile.break_until == until
    past = client.post(reverse("contributors:taking_a_break"), {"until": "2001-01-01"})
    assert "Choose a date after today" in past.content.decode()
    client.post(reverse("contributors:taking_a_break"), {"action": "end"})
    zoe.profile.refresh_from_db()
    assert zoe.profile.break_until is None


def test_a_contributor_steps_down_with_a_reason_and_the_place_opens(client, staff, project, zoe):
    from tests.roles.factories import make_role

    role = make_role(project=project, by=staff, title="Single place", places=1)
    offer = offer_make(role=role, contributor_id=zoe.pk, actor=staff)
    offer_accept(offer_id=offer.pk, actor=zoe)
    role.refresh_from_db()
    assert role.status == Role.Status.FILLED
    client.force_login(zoe)
    page = client.get(reverse("projects:offer_detail", args=[offer.pk])).content.decode()
    assert "Step down from this role" in page
    url = reverse("projects:step_down", args=[offer.pk])
    response = client.post(url, {"reason": "Moving away"}, follow=True)
    assert "You have stepped down from this role." in response.content.decode()
    offer.refresh_from_db()
    role.refresh_from_db()
    assert offer.status == RoleOffer.Status.STEPPED_DOWN and offer.step_down_reason == "Moving away"
    assert role.status == Role.Status.OPEN
    again = client.post(reverse("projects:step_down", args=[offer.pk]), {"reason": ""})
    assert "so there is nothing to step down from" in again.content.decode()


def test_only_the_holder_steps_down(staff, role, zoe, other_contributor):
    offer = offer_make(role=role, contributor_id=zoe.pk, actor=staff)
    offer_accept(offer_id=offer.pk, actor=zoe)
    with pytest.raises(RoleError, match="Only the person who holds the role"):
        role_step_down(offer_id=offer.pk, actor=other_contributor)
    with pytest.raises(RoleError, match="Only the person who holds the role"):
        role_step_down(offer_id=offer.pk, actor=staff)  # Zoë uses the site herself


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302), ("other_contributor", 404), ("contributor", 200), ("other_staff", 404),
        ("staff", 403), ("admin_user", 403),
    ],
)
def test_who_may_open_step_down(client, request, staff, role, zoe, who, status):
    offer = offer_make(role=role, contributor_id=zoe.pk, actor=staff)
    offer_accept(offer_id=offer.pk, actor=zoe)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("projects:step_down", args=[offer.pk])).status_code == status


def test_staff_record_stepping_down_for_someone_without_a_login(client, staff, role, by_post):
    from projects.services.roles import offer_answer_record

    offer = offer_make(role=role, contributor_id=by_post.pk, actor=staff)
    offer_answer_record(offer_id=offer.pk, accept=True, actor=staff)
    client.force_login(staff)
    assert "Record that they stepped down" in client.get(
        reverse("projects:role_detail", args=[role.pk])
    ).content.decode()
    url = reverse("projects:step_down", args=[offer.pk])
    response = client.post(url, {"reason": "Told us by letter"}, follow=True)
    assert "Recorded: Ada Ńwosu stepped down from this role." in response.content.decode()
    assert "Why they stepped down: Told us by letter" in response.content.decode()
