"""Base pages: skip link, navigation by kind of user, friendly errors, static files."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_has_a_skip_link_and_a_login_link(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link visually-hidden-focusable" href="#main">Skip to main content</a>' in html
    assert 'lang="en-GB"' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_the_navigation_shows_staff_what_staff_can_do(client, staff):
    client.force_login(staff)
    html = client.get(reverse("staff_dashboard")).content.decode()
    assert "Invite a contributor" in html
    assert ">Admin<" not in html


def test_the_navigation_shows_admins_the_admin(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("staff_dashboard")).content.decode()
    assert ">Admin<" in html


def test_the_navigation_hides_staff_links_from_contributors(client, contributor):
    client.force_login(contributor)
    html = client.get(reverse("contributor_dashboard")).content.decode()
    assert "Invite a contributor" not in html
    assert "My dashboard" in html


def test_a_missing_page_is_friendly(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_forbidden_page_is_friendly(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse("staff_dashboard"))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_a_server_error_page_promises_nothing_was_half_saved(rf):
    from coproduction.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Nothing you submitted has been half-saved" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_health_check_answers_without_logging_in(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
