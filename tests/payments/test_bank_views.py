"""The bank details pages: re-authentication, masking, and who may open what."""

import pytest
from django.urls import reverse

from contributors.bank_details import bank_details_save
from contributors.models import BankDetails

from .conftest import ACCOUNT

pytestmark = pytest.mark.django_db

MINE = reverse("contributors:my_bank_details")


def post_details(client, url, **fields):
    return client.post(url, {"method": "bank", **ACCOUNT, **fields})


def test_a_contributor_adds_details_after_logging_in_and_sees_them_masked(client, contributor, login):
    login(client, contributor)
    response = post_details(client, MINE)
    assert response.status_code == 302
    page = client.get(MINE).content.decode()
    assert "Account number ending ••••4321" in page
    assert "87654321" not in page and "204577" not in page and "20-45-77" not in page


def test_without_a_recent_password_the_page_asks_for_it(client, contributor):
    client.force_login(contributor)  # no password recorded in this session
    response = client.get(MINE)
    assert response.status_code == 302
    assert "reauthenticate" in response.url


def test_a_form_sent_after_the_password_lapsed_is_dropped_not_parked(client, contributor):
    client.force_login(contributor)
    response = post_details(client, MINE, follow=False)
    assert response.status_code == 302 and response.url == MINE
    assert not BankDetails.objects.exists()
    # Nothing typed was kept in the session (allauth would park the POST there).
    assert "87654321" not in str(dict(client.session))


def test_bad_details_redisplay_with_the_message_and_entries(client, contributor, login):
    login(client, contributor)
    response = post_details(client, MINE, sort_code="12-34")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the sort code as 6 digits, like 12-34-56." in page
    assert 'value="Z O&#x27;Brien"' in page


def test_a_change_shows_the_hold(client, contributor, login):
    login(client, contributor)
    post_details(client, MINE)
    post_details(client, MINE, account_number="11112222")
    page = client.get(MINE).content.decode()
    assert "Held until" in page and "••••2222" in page


def test_finance_enter_details_for_someone_and_confirm_a_change(client, contributor, finance, login):
    bank_details_save(person=contributor, actor=contributor, method="bank", **ACCOUNT)
    changed = {**ACCOUNT, "account_number": "11112222"}
    bank_details_save(person=contributor, actor=contributor, method="bank", **changed)
    login(client, finance)
    url = reverse("contributors:person_bank_details", args=[contributor.pk])
    page = client.get(url).content.decode()
    assert "Details changed on" in page and "Held until" in page
    assert "11112222" not in page
    detail = client.get(reverse("contributors:person_detail", args=[contributor.pk])).content.decode()
    assert "details changed on" in detail and "••••2222" in detail
    client.post(
        reverse("contributors:confirm_bank_change", args=[contributor.pk]),
        {"note": "Called the usual number"},
    )
    assert not BankDetails.objects.get(user=contributor).is_held()


@pytest.mark.parametrize(
    ("who", "mine", "theirs"),
    [
        ("anonymous", 302, 302),
        ("other_contributor", 200, 403),
        ("contributor", 200, 403),
        ("other_staff", 403, 403),
        ("staff", 403, 403),
        ("finance", 403, 200),
        ("admin_user", 403, 200),
    ],
)
def test_permission_matrix(client, request, login, contributor, project, who, mine, theirs):
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    theirs_url = reverse("contributors:person_bank_details", args=[contributor.pk])
    confirm_url = reverse("contributors:confirm_bank_change", args=[contributor.pk])
    response = client.get(MINE)
    assert response.status_code == mine
    if who == "anonymous":
        assert "login" in response.url
    assert client.get(theirs_url).status_code == theirs
    confirm = client.post(confirm_url, {"note": "x"})
    assert confirm.status_code == (302 if theirs in (200, 302) else 403)
