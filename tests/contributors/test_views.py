"""Who can open each people page; a contributor never sees another's data; flat query counts."""

import json

import pytest
from django.urls import reverse

from contributors.models import EqualityMonitoring, ErasureRequest, User
from contributors.services import monitoring_save
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db

CAST = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]


MATRIX = {
    "profile": [302, 200, 200, 403, 403, 403],
    "monitoring": [302, 200, 200, 403, 403, 403],
    "my_data": [302, 200, 200, 200, 200, 200],
    "my_data_zip": [302, 200, 200, 200, 200, 200],
    "erasure_request": [302, 200, 200, 403, 403, 403],
    "pool": [302, 403, 403, 200, 200, 200],
    "reach_report": [302, 403, 403, 200, 200, 200],
    "reach_report_csv": [302, 403, 403, 200, 200, 200],
    "person_detail": [302, 403, 403, 200, 200, 200],
}


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("who", CAST)
def test_it_lets_only_the_right_people_open_each_page(client, cast, contributor, name, who):
    kwargs = {"pk": contributor.pk} if name == "person_detail" else {}
    if cast[who]:
        client.force_login(cast[who])
    response = client.get(reverse(f"contributors:{name}", kwargs=kwargs))
    assert response.status_code == MATRIX[name][CAST.index(who)]


def test_a_contributor_never_sees_another_persons_profile_or_monitoring(
    client, contributor, other_contributor
):
    contributor.profile.interests = "my secret interest"
    contributor.profile.save()
    monitoring_save(actor=contributor, consent=True, answers={"gender": "non_binary"})
    client.force_login(other_contributor)
    pages = [
        reverse("contributors:profile"),
        reverse("contributors:monitoring"),
        reverse("contributors:my_data"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "my secret interest" not in body
        assert contributor.email not in body
    assert json.loads(client.get(reverse("contributors:my_data")).content)["equality_monitoring"] is None


def test_the_profile_form_saves_availability_from_the_grid(client, contributor):
    client.force_login(contributor)
    html = client.get(reverse("contributors:profile")).content.decode()
    assert "<legend" in html and "When can you take part?" in html
    assert "benefits" in html
    response = client.post(
        reverse("contributors:profile"),
        {
            "name": "Zoë O'Brien",
            "preferred_name": "Zoë",
            "contact_method": "email",
            "payment_preference": "expenses_only",
            "availability": ["0-morning", "6-evening", "9-nonsense"],
        },
    )
    assert response.status_code == 302
    slots = set(contributor.profile.availability.values_list("weekday", "part_of_day"))
    assert slots == {(0, "morning"), (6, "evening")}


def test_bad_profile_input_keeps_what_was_typed(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("contributors:profile"),
        {
            "name": "Zoë O'Brien",
            "contact_method": "phone",
            "payment_preference": "paid",
            "access_needs": "Large print please",
            "availability": ["2-afternoon"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "You asked us to phone you: please give a phone number." in html
    assert "Large print please" in html
    assert 'value="2-afternoon" id="id_availability_2_afternoon" checked' in html


def test_monitoring_without_consent_shows_why_and_keeps_nothing(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("contributors:monitoring"), {"gender": "woman"})
    assert "Please tick the box" in response.content.decode()
    assert not EqualityMonitoring.objects.exists()


def test_staff_see_only_totals_in_the_reach_report(client, staff):
    for _ in range(3):
        monitoring_save(actor=ContributorFactory(), consent=True, answers={"gender": "woman"})
    client.force_login(staff)
    html = client.get(reverse("contributors:reach_report")).content.decode()
    assert "fewer than 5" in html
    assert "<svg" in html and "<table" in html
    assert 'style="' not in html


def test_staff_cannot_open_monitoring_answers_in_the_admin(client, staff, admin_user, contributor):
    monitoring_save(actor=contributor, consent=True, answers={"gender": "woman"})
    staff.is_superuser = False
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/contributors/equalitymonitoring/").status_code in (302, 403)
    client.force_login(admin_user)
    assert client.get("/admin/contributors/equalitymonitoring/").status_code == 200


def test_my_data_is_a_json_download_of_my_own_data(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse("contributors:my_data"))
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert json.loads(response.content)["account"]["email"] == contributor.email


def test_asking_for_erasure_records_a_request_once(client, contributor):
    client.force_login(contributor)
    url = reverse("contributors:erasure_request")
    client.post(url, {"confirm": "on"})
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "You already asked us to erase your data on" in response.content.decode()
    assert ErasureRequest.objects.filter(user=contributor).count() == 1


def test_the_admin_action_anonymises_the_person(client, admin_user, contributor):
    from contributors.services import erasure_request_create

    request = erasure_request_create(actor=contributor)
    client.force_login(admin_user)
    client.post(
        "/admin/contributors/erasurerequest/",
        {
            "action": "anonymise_requesters",
            "_selected_action": [request.pk],
        },
    )
    user = User.objects.get(pk=contributor.pk)
    assert user.name == f"Former contributor #{user.pk}"
    assert user.anonymised_by == admin_user


def test_the_pool_searches_and_pages(client, staff):
    diabetes = ContributorFactory(name="Dee Diabetes")
    diabetes.profile.interests = "diabetes"
    diabetes.profile.save()
    ContributorFactory(name="Other Person")
    client.force_login(staff)
    html = client.get(reverse("contributors:pool"), {"q": "diabetes"}).content.decode()
    assert "Dee Diabetes" in html and "Other Person" not in html


def test_the_pool_uses_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse("contributors:pool")
    for _ in range(2):
        ContributorFactory()
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for _ in range(20):
        person = ContributorFactory()
        person.profile.availability.create(weekday=1, part_of_day="morning")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_staff_see_that_erasure_requests_are_waiting(client, staff, contributor):
    from contributors.services import erasure_request_create

    erasure_request_create(actor=contributor)
    client.force_login(staff)
    html = client.get(reverse("contributors:pool")).content.decode()
    assert "1 request to erase a person's data is waiting. An admin handles these." in html
