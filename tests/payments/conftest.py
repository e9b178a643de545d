import pytest
from django.urls import reverse

from tests.expenses.conftest import (  # noqa: F401  the expenses project, members and seeded rates
    _rates,
    make_member,
    member,
    project,
    team_member,
)
from tests.factories import PASSWORD

ACCOUNT = {"account_name": "Z O'Brien", "sort_code": "20-45-77", "account_number": "87654321"}


@pytest.fixture
def login():
    """Log in through the real form, so allauth records the password (re-authentication)."""

    def do(client, user, *, password_again=True):
        response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        if password_again:  # what the bank details pages ask for
            response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
            assert response.status_code == 302, response.content[:500]
        return client

    return do
