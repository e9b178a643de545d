"""Logging in and out, invitations, and who can open the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contributors.models import Invitation, User
from contributors.services import contributor_invite

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_it_logs_in_with_email_and_sends_staff_to_their_dashboard(client, staff):
    response = login(client, staff.email.upper())
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.url == reverse("staff_dashboard")
    page = client.get(response.url)
    assert "Hello, Sam Staff" in page.content.decode()


def test_it_sends_contributors_to_their_own_dashboard(client, contributor):
    login(client, contributor.email)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("contributor_dashboard")
    assert "Hello, Zoë" in response.content.decode()


def test_it_refuses_a_wrong_password_with_a_clear_message(client, contributor):
    response = login(client, contributor.email, "not-the-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_rate_limits_repeated_failed_logins(client, contributor, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "rate-limit-test"}}
    for _ in range(5):
        login(client, contributor.email, "wrong-password")
    response = login(client, contributor.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_logs_out(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_contributor_cannot_open_the_admin(client, contributor):
    client.force_login(contributor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get("/admin/contributors/user/").status_code == 302


def test_an_admin_can_open_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Co-production administration" in response.content.decode()


def test_a_contributor_cannot_open_staff_pages(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("staff_dashboard")).status_code == 403
    assert client.get(reverse("contributors:invite")).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(reverse("contributors:invite"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_nobody_can_sign_up_without_an_invitation(client):
    response = client.post(reverse("account_signup"), {
        "email": "stranger@example.org", "password1": "a-Long-passw0rd!", "password2": "a-Long-passw0rd!",
    })
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (302, 403)


class TestInvitations:
    @pytest.fixture(autouse=True)
    def _send_after_commit(self, django_capture_on_commit_callbacks):
        self.on_commit = django_capture_on_commit_callbacks

    def invite(self, client, staff, email="newcomer@example.org"):
        client.force_login(staff)
        with self.on_commit(execute=True):
            response = client.post(reverse("contributors:invite"), {"name": "Zoë O'Brien", "email": email})
        assert response.status_code == 302
        client.logout()
        link = [line for line in mail.outbox[-1].body.splitlines() if "/people/invitation/" in line][0]
        return link.strip().replace("http://testserver", "")

    def test_staff_invite_by_email_and_the_link_sets_a_password_once(self, client, staff):
        path = self.invite(client, staff)
        assert mail.outbox[-1].to == ["newcomer@example.org"]
        assert "lasts until" in mail.outbox[-1].body
        page = client.get(path)
        assert page.status_code == 200
        assert "Choose a password for" in page.content.decode()
        response = client.post(path, {"password1": "Sunflower-Meadow-42", "password2": "Sunflower-Meadow-42"})
        assert response.status_code == 302
        user = User.objects.get(email="newcomer@example.org")
        assert user.name == "Zoë O'Brien"
        assert user.check_password("Sunflower-Meadow-42")
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_a_used_link_shows_what_to_do(self, client, staff):
        path = self.invite(client, staff)
        client.post(path, {"password1": "Sunflower-Meadow-42", "password2": "Sunflower-Meadow-42"})
        client.logout()
        response = client.get(path)
        assert response.status_code == 410
        assert "This invitation has already been used." in response.content.decode()
        response = client.post(path, {"password1": "Another-Pass-9876", "password2": "Another-Pass-9876"})
        assert response.status_code == 410
        assert User.objects.get(email="newcomer@example.org").check_password("Sunflower-Meadow-42")

    def test_an_expired_link_shows_what_to_do(self, client, staff):
        path = self.invite(client, staff)
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.get(path)
        assert response.status_code == 410
        assert "This invitation has expired: links last 14 days." in response.content.decode()

    def test_links_last_fourteen_days(self, staff):
        sent = contributor_invite(email="x@example.org", actor=staff)
        lifetime = sent.invitation.expires_at - sent.invitation.created_at
        assert lifetime == timedelta(days=14)

    def test_a_weak_password_is_refused_and_the_link_still_works(self, client, staff):
        path = self.invite(client, staff)
        response = client.post(path, {"password1": "password", "password2": "password"})
        assert response.status_code == 200
        assert "This password is too common." in response.content.decode()
        assert Invitation.objects.get().accepted_at is None

    def test_an_unknown_link_is_refused(self, client):
        response = client.get(reverse("contributors:invitation_accept", kwargs={"token": "nonsense"}))
        assert response.status_code == 410
        assert "This invitation link is not valid." in response.content.decode()

    def test_inviting_someone_who_already_has_an_account_says_so(self, client, staff, contributor):
        client.force_login(staff)
        response = client.post(reverse("contributors:invite"), {"name": "Again", "email": contributor.email})
        assert response.status_code == 200
        assert "already has an account" in response.content.decode()
        assert 'value="Again"' in response.content.decode()


def test_a_forgotten_password_can_be_reset_by_email(client, contributor):
    response = client.post(reverse("account_reset_password"), {"email": contributor.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [contributor.email]
    link = next(
        word for word in mail.outbox[-1].body.split() if "/accounts/password/reset/key/" in word
    ).replace("http://testserver", "")
    form_page = client.get(link, follow=True)
    new_link = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(new_link, {"password1": "Lavender-Field-2026", "password2": "Lavender-Field-2026"})
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.check_password("Lavender-Field-2026")


def test_a_login_code_can_be_requested_by_email(client, contributor):
    response = client.post(reverse("account_request_login_code"), {"email": contributor.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [contributor.email]
