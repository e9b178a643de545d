"""A role's places are enforced: two offers on a one-place role cannot both be accepted."""

import importlib
import threading

import pytest
from django.db import connections
from django.urls import reverse

from projects.models import Role, RoleAcceptance, RoleOffer, RoleTemplate
from projects.services import roles as services
from projects.services.roles import RoleError
from tests.factories import ContributorFactory
from tests.roles.factories import make_role

FULL = (
    "Sorry: this role had 1 place and it has been taken, so this offer can no longer be accepted. "
    "The project's staff will be in touch."
)


def _two_offers(project, staff, places=1):
    role = make_role(project=project, by=staff, places=places)
    people = [ContributorFactory(), ContributorFactory()]
    offers = [services.offer_make(role=role, contributor_id=p.pk, actor=staff) for p in people]
    return role, people, offers


@pytest.mark.django_db
def test_the_second_acceptance_of_a_one_place_role_is_refused(project, staff):
    role, people, offers = _two_offers(project, staff)
    services.offer_accept(offer_id=offers[0].pk, actor=people[0])
    with pytest.raises(RoleError) as refused:
        services.offer_accept(offer_id=offers[1].pk, actor=people[1])
    assert str(refused.value) == FULL
    assert RoleOffer.objects.get(pk=offers[1].pk).status == RoleOffer.Status.OFFERED
    assert RoleOffer.objects.filter(role=role, status="accepted").count() == 1
    assert Role.objects.get(pk=role.pk).status == Role.Status.FILLED


@pytest.mark.django_db
def test_someone_already_in_the_role_can_still_accept_new_terms_when_it_is_full(project, staff):
    role, people, offers = _two_offers(project, staff)
    services.offer_accept(offer_id=offers[0].pk, actor=people[0])
    services.role_update(role=Role.objects.get(pk=role.pk), actor=staff, payment_terms="£30 an hour")
    services.offer_accept(offer_id=offers[0].pk, actor=people[0])
    assert RoleAcceptance.objects.filter(offer=offers[0]).count() == 2


@pytest.mark.django_db
def test_the_contributor_is_told_on_the_page(client, project, staff):
    role, people, offers = _two_offers(project, staff)
    services.offer_accept(offer_id=offers[0].pk, actor=people[0])
    client.force_login(people[1])
    response = client.post(
        reverse("projects:offer_respond", args=[offers[1].pk]), {"action": "accept"}, follow=True
    )
    assert FULL in response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_places_cannot_be_cut_below_the_people_who_accepted(project, staff):
    role, people, offers = _two_offers(project, staff, places=2)
    for offer, person in zip(offers, people, strict=True):
        services.offer_accept(offer_id=offer.pk, actor=person)
    with pytest.raises(RoleError, match="^2 people have accepted this role, so it needs at least 2 places."):
        services.role_update(role=role, actor=staff, places=1)
    assert Role.objects.get(pk=role.pk).places == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_the_last_place_at_once_get_one_place(require_postgres, project, staff):
    # A transactional test may start from a flushed database: the template the migration seeds.
    seed = importlib.import_module("projects.migrations.0004_default_role_template")
    RoleTemplate.objects.get_or_create(is_default=True, defaults=seed.DEFAULT)
    _role, people, offers = _two_offers(project, staff)
    barrier = threading.Barrier(2)
    results = []

    def accept(offer, person):
        try:
            barrier.wait(timeout=10)
            services.offer_accept(offer_id=offer.pk, actor=person)
            results.append("accepted")
        except RoleError as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=pair) for pair in zip(offers, people, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == sorted(["accepted", FULL])
    assert RoleOffer.objects.filter(status="accepted").count() == 1
