"""Security headers, a strict Content-Security-Policy that every page keeps to, session expiry."""

from html.parser import HTMLParser

import pytest
from django.conf import settings

from .urlwalk import body, resolve_all
from .world import build_world, url_kwargs


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes and on* handlers."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self._in_inline_script = True
        if tag == "style":
            self.problems.append("<style> element")
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f'<{tag} style="...">')
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (_value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_it_finds_inline_code_when_there_is_some():
    html = '<p style="color:red" onclick="x()">a</p><script>alert(1)</script><script src="/s.js"></script>'
    assert inline_problems(html) == ['<p style="...">', "<p onclick=...>", "inline <script>"]


@pytest.fixture
def world(db):
    return build_world()


def test_it_sends_a_strict_policy_and_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("who", ["anonymous", "contributor_a", "project_staff", "admin"])
def test_every_page_keeps_to_the_policy_with_no_inline_script_or_style(world, client, who):
    user = world.users()[who]
    if user is not None:
        client.force_login(user)
    urls, _unknown = resolve_all(url_kwargs(world))
    urls = [u for u in urls] + [
        (None, "/accounts/login/"),
        (None, "/accounts/password/reset/"),
        (None, "/accounts/login/code/"),
    ]
    problems, html_pages = [], 0
    for _route, url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html_pages += 1
        found = inline_problems(body(response))
        if found:
            problems.append(f"{url}: {', '.join(sorted(set(found)))}")
    assert html_pages > 5
    assert problems == []


def test_a_session_ends_after_twelve_hours_and_the_cookie_is_not_readable_by_scripts(client, contributor):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
    client.force_login(contributor)
    assert client.session.get_expiry_age() == 12 * 60 * 60
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
