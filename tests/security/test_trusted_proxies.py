"""Behind a reverse proxy every request comes from the proxy. With TRUSTED_PROXY_COUNT set, the
failed-login limit counts each person's own address; without it, a forged X-Forwarded-For
header changes nothing."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
TOO_MANY = "Too many failed login attempts"


def attempt(client, email, password, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    return response.content.decode()


def test_with_one_trusted_proxy_two_people_behind_it_are_limited_separately(
    settings, client, contributor, other_contributor
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        attempt(client, f"guess{n}@example.org", "wrong-guess", forwarded_for="203.0.113.5")
    assert TOO_MANY in attempt(client, contributor.email, PASSWORD, forwarded_for="203.0.113.5")
    client.cookies.clear()
    # Someone else behind the same proxy still logs in.
    page = attempt(client, other_contributor.email, PASSWORD, forwarded_for="198.51.100.7")
    assert TOO_MANY not in page
    assert client.session["_auth_user_id"] == str(other_contributor.pk)


def test_with_a_trusted_proxy_a_forged_address_in_front_of_the_proxys_does_not_escape(
    settings, client, contributor
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; what the client sent comes before it.
    for n in range(5):
        attempt(client, f"guess{n}@example.org", "wrong-guess", forwarded_for=f"192.0.2.{n}, 203.0.113.66")
    page = attempt(client, contributor.email, PASSWORD, forwarded_for="192.0.2.99, 203.0.113.66")
    assert TOO_MANY in page
    assert "_auth_user_id" not in client.session


def test_without_trusted_proxies_a_forged_forwarded_for_header_does_not_escape_the_limit(
    settings, client, contributor
):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    for n in range(5):
        attempt(client, f"guess{n}@example.org", "wrong-guess", forwarded_for=f"192.0.2.{n}")
    page = attempt(client, contributor.email, PASSWORD, forwarded_for="192.0.2.200")
    assert TOO_MANY in page
    assert "_auth_user_id" not in client.session


def test_a_request_that_skipped_the_proxies_is_counted_by_its_own_address(settings, client, contributor):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client.raise_request_exception = False
    for n in range(5):
        attempt(client, f"guess{n}@example.org", "wrong-guess", forwarded_for=f"192.0.2.{n}")
    page = attempt(client, contributor.email, PASSWORD, forwarded_for="192.0.2.200")
    assert TOO_MANY in page
