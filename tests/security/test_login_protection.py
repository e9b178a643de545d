"""Logging in safely: throttled guessing, strong passwords, and optional two-factor sign-in."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD

from .test_headers_and_csp import inline_problems

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_it_throttles_requests_for_login_codes_for_one_account(client, contributor):
    for _ in range(3):
        client.post(reverse("account_request_login_code"), {"email": contributor.email})
        client.cookies.clear()
    sent = len(mail.outbox)
    response = client.post(reverse("account_request_login_code"), {"email": contributor.email})
    assert response.status_code == 429 or "Too many" in response.content.decode()
    assert len(mail.outbox) == sent


def test_it_throttles_password_reset_emails_for_one_account(client, contributor):
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": contributor.email})
    sent = len(mail.outbox)
    assert sent == 5
    response = client.post(reverse("account_reset_password"), {"email": contributor.email})
    assert response.status_code == 429 or "Too many" in response.content.decode()
    assert len(mail.outbox) == sent


def test_it_throttles_failed_logins_across_accounts_from_one_address(client, contributor, other_contributor):
    for n in range(5):
        login(client, f"guess{n}@example.org", "wrong-password")
    response = login(client, other_contributor.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "password, message",
    [
        ("Short1!", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("8675309412", "This password is entirely numeric."),
        ("zoe.obrien@example.org", "The password is too similar to the email address."),
    ],
)
def test_it_refuses_weak_passwords_with_a_reason(contributor, password, message):
    contributor.email = "zoe.obrien@example.org"
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user=contributor)
    assert message in caught.value.messages


def test_it_accepts_a_long_uncommon_password(contributor):
    validate_password("Lavender-Field-2026", user=contributor)


# --- two-factor sign-in ------------------------------------------------------------------------


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def staff_with_totp(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    RecoveryCodes.activate(staff)
    return staff, secret


def test_staff_see_a_link_to_set_up_two_factor_sign_in(client, staff, contributor):
    client.force_login(staff)
    page = client.get(reverse("staff_dashboard")).content.decode()
    assert "Two-factor sign-in" in page and reverse("mfa_index") in page
    client.force_login(contributor)
    assert "Two-factor sign-in" not in client.get(reverse("contributor_dashboard")).content.decode()


def test_a_staff_member_with_an_authenticator_must_enter_a_valid_code(client, staff_with_totp):
    staff, secret = staff_with_totp
    response = login(client, staff.email)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert inline_problems(page.content.decode()) == []

    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_recovery_code_also_completes_the_sign_in_once(client, staff_with_totp):
    staff, _secret = staff_with_totp
    code = RecoveryCodes(Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES))
    first = code.get_unused_codes()[0]
    login(client, staff.email)
    assert client.post(reverse("mfa_authenticate"), {"code": first}).status_code == 302
    client.logout()
    login(client, staff.email)
    response = client.post(reverse("mfa_authenticate"), {"code": first})
    assert "Incorrect code." in response.content.decode()


def test_a_staff_member_can_turn_on_an_authenticator_app_from_our_pages(client, staff):
    client.force_login(staff)
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200 and inline_problems(index.content.decode()) == []
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    confirm = client.get(asked["Location"])
    assert confirm.status_code == 200 and inline_problems(confirm.content.decode()) == []
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert inline_problems(html) == []
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
