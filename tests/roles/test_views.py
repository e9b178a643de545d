"""Who can open each roles page, what they see, and flat query counts on staff lists."""

import pytest
from django.urls import reverse

from projects.models import ExpressionOfInterest, RoleOffer
from projects.services import roles as services
from tests.factories import ContributorFactory
from tests.roles.factories import make_role

pytestmark = pytest.mark.django_db

CAST = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]


@pytest.fixture
def offer(role, staff, contributor, interest):
    return services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)


@pytest.fixture
def interest(role, contributor):
    return services.interest_express(role=role, actor=contributor, statement="My private story")


def _status(client, who, cast, method, url, data=None):
    if cast[who]:
        client.force_login(cast[who])
    response = getattr(client, method)(url, data or {})
    return response.status_code


GET_MATRIX = {
    # view name: expected status for each person in CAST, in order
    "opportunities": [302, 200, 200, 200, 200, 200],
    "role_detail": [302, 200, 200, 200, 200, 200],
    "role_edit": [302, 403, 403, 404, 200, 200],
    "role_interests": [302, 403, 403, 404, 200, 200],
    "express_interest": [302, 200, 200, 403, 403, 403],
    "offer_detail": [302, 404, 200, 403, 403, 403],
    "interest_turn_down": [302, 403, 403, 404, 200, 200],
    "role_create": [302, 403, 403, 404, 200, 200],
}


@pytest.mark.parametrize("name", GET_MATRIX)
@pytest.mark.parametrize("who", CAST)
def test_it_lets_only_the_right_people_open_each_page(
    client, cast, role, offer, interest, project, name, who
):
    kwargs = {
        "opportunities": {},
        "offer_detail": {"pk": offer.pk},
        "interest_turn_down": {"pk": interest.pk},
        "role_create": {"project_pk": project.pk},
    }.get(name, {"pk": role.pk})
    expected = GET_MATRIX[name][CAST.index(who)]
    assert _status(client, who, cast, "get", reverse(f"projects:{name}", kwargs=kwargs)) == expected


POST_MATRIX = {
    "offer_respond": [302, 404, 302, 403, 403, 403],
    "offer_withdraw": [302, 403, 403, 404, 302, 302],
    "interest_shortlist": [302, 403, 403, 404, 302, 302],
    "offer_make": [302, 403, 403, 404, 302, 302],
}


@pytest.mark.parametrize("name", POST_MATRIX)
@pytest.mark.parametrize("who", CAST)
def test_it_lets_only_the_right_people_act(client, cast, role, offer, interest, name, who):
    pk = {"offer_respond": offer.pk, "offer_withdraw": offer.pk, "interest_shortlist": interest.pk}.get(
        name, role.pk
    )
    data = {"action": "decline", "contributor": ContributorFactory().pk}
    expected = POST_MATRIX[name][CAST.index(who)]
    assert (
        _status(client, who, cast, "post", reverse(f"projects:{name}", kwargs={"pk": pk}), data) == expected
    )


def test_a_draft_role_is_hidden_from_contributors_without_an_offer(client, project, staff, other_contributor):
    draft = make_role(project=project, by=staff, status="draft", title="Secret draft")
    client.force_login(other_contributor)
    assert client.get(reverse("projects:role_detail", kwargs={"pk": draft.pk})).status_code == 404
    assert "Secret draft" not in client.get(reverse("projects:opportunities")).content.decode()


def test_only_project_staff_see_interest_offers_and_suggestions(client, role, interest, other_staff, staff):
    url = reverse("projects:role_detail", kwargs={"pk": role.pk})
    client.force_login(other_staff)
    html = client.get(url).content.decode()
    assert "Suggested contributors" not in html
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Suggested contributors" in html
    assert "never involved yet" in html


def test_a_contributor_never_sees_another_persons_interest(client, role, interest, other_contributor):
    client.force_login(other_contributor)
    html = client.get(reverse("projects:role_detail", kwargs={"pk": role.pk})).content.decode()
    assert "My private story" not in html
    assert "You expressed interest" not in html


def test_the_role_description_shows_what_you_can_and_cannot_change(client, role, offer, contributor):
    client.force_login(contributor)
    html = client.get(reverse("projects:offer_detail", kwargs={"pk": offer.pk})).content.decode()
    assert "What you can change" in html and "The wording of the letter." in html
    assert "What you cannot change" in html and "The legal content." in html


def test_a_second_expression_of_interest_shows_a_clear_message(client, role, interest, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("projects:express_interest", kwargs={"pk": role.pk}), {"statement": "Again"}
    )
    assert response.status_code == 200
    assert "You already expressed interest in this role on" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_accepting_through_the_page_then_again_says_already_accepted(client, offer, contributor):
    client.force_login(contributor)
    url = reverse("projects:offer_respond", kwargs={"pk": offer.pk})
    client.post(url, {"action": "accept", "version": "1"})
    response = client.post(url, {"action": "accept", "version": "1"}, follow=True)
    assert "You have already accepted this role." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == RoleOffer.Status.ACCEPTED
    assert offer.acceptances.count() == 1


def test_an_offer_to_a_missing_contributor_shows_a_clear_message(client, role, staff):
    client.force_login(staff)
    response = client.post(
        reverse("projects:offer_make", kwargs={"pk": role.pk}), {"contributor": 99999}, follow=True
    )
    assert "We could not find that contributor. Choose someone from the list." in response.content.decode()
    assert not RoleOffer.objects.exists()


def test_the_dashboard_shows_offers_waiting_and_new_terms_to_accept(client, role, staff, contributor):
    offer = services.offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    client.force_login(contributor)
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert "Offers waiting for your answer" in html and role.title in html
    services.offer_accept(offer_id=offer.pk, actor=contributor)
    services.role_update(role=role, actor=staff, time_commitment="Three hours a week")
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert "New terms waiting for your acceptance" in html
    html = client.get(reverse("projects:offer_detail", kwargs={"pk": offer.pk})).content.decode()
    assert "the terms you accepted before (version 1) still stand" in html
    assert "Three hours a week" in html


def test_editing_accepted_terms_through_the_page_says_a_new_version_was_made(client, role, offer, staff):
    services.offer_accept(offer_id=offer.pk, actor=offer.contributor)
    client.force_login(staff)
    from projects.forms.roles import RoleForm

    data = {k: ("" if v is None else v) for k, v in RoleForm(instance=role).initial.items()}
    data["payment_terms"] = "£30 an hour"
    response = client.post(reverse("projects:role_edit", kwargs={"pk": role.pk}), data, follow=True)
    assert "Saved as version 2." in response.content.decode()


def test_the_interests_list_uses_a_fixed_number_of_queries(
    client, role, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("projects:role_interests", kwargs={"pk": role.pk})
    for _ in range(2):
        ExpressionOfInterest.objects.create(role=role, contributor=ContributorFactory(), statement="Hi")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for _ in range(15):
        ExpressionOfInterest.objects.create(role=role, contributor=ContributorFactory(), statement="Hi")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_role_page_for_staff_uses_a_fixed_number_of_queries(
    client, role, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("projects:role_detail", kwargs={"pk": role.pk})
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(10):
        services.offer_make(role=role, contributor_id=ContributorFactory().pk, actor=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
