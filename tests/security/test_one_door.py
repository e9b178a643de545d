"""One door in: the admin, invitations and every other way to sign in go through allauth's login,
with its rate limits and two-factor step. Tried as an attacker would."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from contributors.models import Invitation, User
from contributors.services import contributor_invite, hash_token
from tests.factories import PASSWORD

from .test_login_protection import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_with_totp(admin_user):
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)
    return admin_user, secret


def _next(location: str) -> str:
    return parse_qs(urlparse(location).query).get("next", [""])[0]


def test_the_admin_login_page_sends_people_to_the_sites_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/expenses/claim/")
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("account_login")
    assert _next(response["Location"]) == "/admin/expenses/claim/"

    response = client.get("/admin/expenses/claim/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert _next(response.redirect_chain[-1][0]) == "/admin/expenses/claim/"
    assert response.status_code == 200


def test_a_right_password_posted_to_the_admin_login_signs_nobody_in(client, admin_user):
    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_staff_with_two_factor_cannot_get_into_the_admin_with_the_password_alone(client, admin_with_totp):
    admin_user, secret = admin_with_totp
    login_page = client.get("/admin/", follow=True).redirect_chain[-1][0]
    response = client.post(login_page, {"login": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    # The half-finished sign-in opens nothing: not the admin, not its login form.
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/contributors/user/").status_code == 302
    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_passwords_for_the_admin_are_rate_limited_and_counted(client, admin_user):
    login_page = client.get("/admin/login/").headers["Location"]
    for _ in range(5):
        response = client.post(login_page, {"login": admin_user.email, "password": "wrong-password"})
        assert "The email address and/or password you specified are not correct." in response.content.decode()
    # Guessing at the admin's own form checks nothing, so it cannot be used to get round the limit.
    client.post("/admin/login/", {"username": admin_user.email, "password": "another-guess"})
    response = client.post(login_page, {"login": admin_user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_contributor_who_reaches_the_admin_login_is_refused(client, contributor):
    client.force_login(contributor)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_the_admins_password_change_is_the_sites_which_asks_for_the_current_password(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("account_change_password")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-mine", "password1": "Lavender-Field-2026", "password2": "Lavender-Field-2026"},
    )
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


def test_an_invitation_link_does_not_skip_the_two_factor_step(client, staff):
    """Someone holding an account's invitation link (say, from a forwarded email) still needs the
    second factor the account has."""
    sent = contributor_invite(email="twofactor@example.org", name="Tomás Ó Briain", actor=staff)
    person = User.objects.get(email="twofactor@example.org")
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    response = client.post(
        sent.path, {"password1": "Sunflower-Meadow-42", "password2": "Sunflower-Meadow-42"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert Invitation.objects.get(token_hash=hash_token(sent.token)).accepted_at is not None
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_login_code_does_not_skip_the_two_factor_step(client, admin_with_totp):
    from django.core import mail

    admin_user, secret = admin_with_totp
    response = client.post(reverse("account_request_login_code"), {"email": admin_user.email})
    assert response.status_code == 302
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", mail.outbox[-1].body).group(0)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_a_password_reset_link_signs_nobody_in(client, admin_with_totp):
    from django.core import mail

    admin_user, _secret = admin_with_totp
    client.post(reverse("account_reset_password"), {"email": admin_user.email})
    link = next(w for w in mail.outbox[-1].body.split() if "/accounts/password/reset/key/" in w)
    page = client.get(link.replace("http://testserver", ""), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"password1": "Lavender-Field-2026", "password2": "Lavender-Field-2026"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
