"""Names keep every letter, accent, script, apostrophe and hyphen, but never invisible direction,
zero-width or control characters; the same rule at every door where a name is typed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from contributors.models import User
from core.names import INVISIBLE_IN_NAME, clean_name

KEPT = [
    "Zoë O'Brien",
    "José-María Núñez",
    "Siobhán Ní Bhriain",
    "Zoë O’Brien",  # a typographic apostrophe
    "Nguyễn Thị Minh Khai",
    "Łukasz Żółć",
    "Ахмед Шамиль",
    "محمد‌رضا احمدی",  # a zero-width non-joiner inside a Persian name, where it shapes letters
    "王小明",
    "श्रीनिवास रामानुजन",
    "Mary-Kate O'Neill Jr.",
]
REFUSED = {
    "right-to-left override": "Zoë \u202eneirB'O",
    "left-to-right embedding": "\u202aJames",
    "pop directional formatting": "James\u202c",
    "left-to-right isolate": "\u2066Ann\u2069",
    "first strong isolate": "\u2068Ann",
    "right-to-left mark": "Ann\u200f",
    "left-to-right mark": "\u200eAnn",
    "zero-width space": "Ann\u200bSmith",
    "zero-width joiner at the end": "Ann\u200d",
    "byte order mark": "\ufeffAnn",
    "soft hyphen": "Ann\u00adSmith",
    "null": "Ann\x00",
    "escape": "Ann\x1b[31m",
    "delete": "Ann\x7f",
    "C1 control": "Ann\x9b31m",
    "private use": "Ann\ue000",
}


@pytest.mark.parametrize("name", KEPT)
def test_it_keeps_real_names_as_typed(name):
    assert clean_name(name) == name


@pytest.mark.parametrize("name", REFUSED.values(), ids=REFUSED.keys())
def test_it_refuses_invisible_characters_with_a_clear_message(name):
    with pytest.raises(ValidationError) as caught:
        clean_name(name)
    assert caught.value.messages == [INVISIBLE_IN_NAME]


def test_spaces_of_any_kind_become_single_spaces_and_accents_one_form():
    assert clean_name("  Zoë\u00a0\u00a0O'Brien\t ") == "Zoë O'Brien"
    assert clean_name("Zoe\u0308") == "Zoë"  # e + combining diaeresis is stored as ë


# --- every door where a name is typed ------------------------------------------------------------
SPOOF = "Zoë \u202eneirB'O"


@pytest.mark.django_db
def test_the_profile_keeps_accents_and_refuses_direction_marks(client, contributor):
    client.force_login(contributor)
    url = reverse("contributors:profile")
    data = {"contact_method": "email", "payment_preference": "paid"}
    response = client.post(url, {**data, "name": SPOOF, "preferred_name": "Zoë"})
    assert response.status_code == 200
    assert INVISIBLE_IN_NAME in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.name == "Zoë O'Brien"

    response = client.post(url, {**data, "name": "José-María Núñez", "preferred_name": "Ann\u200b"})
    assert response.status_code == 200 and INVISIBLE_IN_NAME in response.content.decode()
    assert "José-María Núñez" in response.content.decode()  # what was typed stays

    response = client.post(url, {**data, "name": " Siobhán  Ní Bhriain ", "preferred_name": "Siobhán"})
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert (contributor.name, contributor.preferred_name) == ("Siobhán Ní Bhriain", "Siobhán")


@pytest.mark.django_db
def test_staff_inviting_a_contributor_get_the_same_rule(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    url = reverse("contributors:invite")
    response = client.post(url, {"name": "\u2066Ann\u2069 Lee", "email": "ann@example.org"})
    assert response.status_code == 200 and INVISIBLE_IN_NAME in response.content.decode()
    assert not User.objects.filter(email="ann@example.org").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "محمد‌رضا احمدی", "email": "ann@example.org"})
    assert response.status_code == 302
    assert User.objects.get(email="ann@example.org").name == "محمد‌رضا احمدی"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_admin_gets_the_same_rule(client, admin_user, contributor):
    client.force_login(admin_user)
    url = reverse("admin:contributors_user_add")
    form = {
        "email": "new.person@example.org", "password1": "Lavender-Field-2026",
        "password2": "Lavender-Field-2026", "profile-TOTAL_FORMS": "0", "profile-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**form, "name": "Ann\u202eLee"})
    assert response.status_code == 200 and INVISIBLE_IN_NAME in response.content.decode()
    response = client.post(url, {**form, "name": "Zoë  O'Brien"})
    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.org").name == "Zoë O'Brien"


@pytest.mark.django_db
def test_a_service_called_from_elsewhere_refuses_too(contributor):
    from contributors.services import PersonError, profile_update

    with pytest.raises(PersonError) as caught:
        profile_update(actor=contributor, name=SPOOF, preferred_name="", profile_data={}, availability=set())
    assert str(caught.value) == INVISIBLE_IN_NAME and caught.value.field == "name"
