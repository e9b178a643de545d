"""No browser, shared computer or proxy keeps a copy of a page or download: every response the
application makes says `Cache-Control: no-store, private` (pages are found by walking every URL),
while static files stay cacheable."""

import pytest
from django.test import Client
from django.urls import reverse

from .urlwalk import body, resolve_all
from .world import build_world, url_kwargs

# allauth's pages and the admin are outside the URL walk; these are the ones with personal data.
ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/admin/",
    "/admin/login/",
    "/admin/contributors/user/",
]


@pytest.fixture
def world(db):
    return build_world()


def _not_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("who", ["anonymous", "contributor_a", "project_staff", "admin"])
def test_every_page_and_download_is_sent_with_no_store(world, client, who):
    client.raise_request_exception = False
    user = world.users()[who]
    if user is not None:
        client.force_login(user)
    urls, _unknown = resolve_all(url_kwargs(world))
    checked, downloads, problems = 0, 0, []
    for _route, url in [*urls, *((None, page) for page in ACCOUNT_PAGES)]:
        response = client.get(url)
        body(response)  # read streamed downloads to the end
        checked += 1
        if "attachment" in response.get("Content-Disposition", ""):
            downloads += 1
        if not _not_stored(response):
            problems.append(f"{url} ({response.status_code}): {response.get('Cache-Control')!r}")
    assert checked > 60
    if who in ("contributor_a", "admin"):
        assert downloads >= 2  # my-data.json, .ics, receipts, CSVs
    assert problems == []


def test_form_errors_and_refusals_are_not_stored_either(world, client):
    wrong = client.post(reverse("account_login"), {"login": world.a.email, "password": "wrong"})
    assert wrong.status_code == 200 and _not_stored(wrong)
    token = world.objects["token"]
    invitation = client.get(reverse("contributors:invitation_accept", kwargs={"token": token}))
    assert invitation.status_code == 200 and _not_stored(invitation)
    client.force_login(world.b)
    refused = client.get(reverse("expenses:claim_detail", kwargs={"pk": world.objects["claim"].pk}))
    assert refused.status_code in (403, 404) and _not_stored(refused)


def test_static_files_stay_cacheable(settings, db):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response.get("Cache-Control", "")
