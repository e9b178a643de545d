"""Walk every URL of the project as every kind of user: nobody sees another person's data and
no page breaks. URLs are discovered from the URL configuration, so a new view is walked too."""

import pytest

from .urlwalk import body, resolve_all
from .world import A_ONLY, MARKERS, PROJECT_PRIVATE, build_world, url_kwargs

# Which of A's markers each kind of user must never be shown.
FORBIDDEN = {
    "anonymous": tuple(MARKERS),
    "contributor_b": tuple(MARKERS),
    "b_on_same_project": tuple(MARKERS),
    "staff_outside": PROJECT_PRIVATE + A_ONLY,
    "project_staff": A_ONLY,
    "contributor_a": (),
    "admin": (),
}
# Holding the emailed secret is what lets someone in here: A's own name is shown to them.
TOKEN_ROUTES = {"contributors:invitation_accept"}


@pytest.fixture
def world(db):
    return build_world()


def _client_for(client, user):
    client.raise_request_exception = False
    if user is not None:
        client.force_login(user)
    return client


def _leaks(text: str, forbidden) -> list[str]:
    return [key for key in forbidden if MARKERS[key] in text or MARKERS[key].replace("'", "&#x27;") in text]


def test_it_knows_how_to_fill_every_url_of_the_project(world):
    _urls, unknown = resolve_all(url_kwargs(world))
    assert unknown == [], (
        "New URL patterns need an object of A's in tests/security/world.py url_kwargs: "
        + ", ".join(r.route for r in unknown)
    )


@pytest.mark.parametrize("who", list(FORBIDDEN))
def test_it_never_shows_another_persons_data_nor_breaks_on_a_get(world, client, who):
    urls, _unknown = resolve_all(url_kwargs(world))
    assert len(urls) > 40
    client = _client_for(client, world.users()[who])
    problems = []
    for route, url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url} gave {response.status_code}")
            continue
        if response.status_code == 200 and route.name not in TOKEN_ROUTES:
            leaked = _leaks(body(response), FORBIDDEN[who])
            if leaked:
                problems.append(f"{url} shows A's {', '.join(leaked)}")
    assert problems == []


@pytest.mark.parametrize("who", ["anonymous", "contributor_b", "b_on_same_project", "staff_outside"])
def test_it_never_lets_an_outsider_change_as_data_with_an_empty_post(world, client, who):
    """An empty POST to every URL: no 500, no leak, and A's claim, offer and profile unchanged."""
    urls, _unknown = resolve_all(url_kwargs(world))
    client = _client_for(client, world.users()[who])
    o = world.objects
    before = (o["claim"].status, o["offer"].status, o["interest"].status, world.a.profile.phone)
    problems = []
    for route, url in urls:
        if route.name == "account_logout":
            continue
        response = client.post(url, {})
        if response.status_code >= 500:
            problems.append(f"POST {url} gave {response.status_code}")
        elif response.status_code == 200 and route.name not in TOKEN_ROUTES:
            leaked = _leaks(body(response), FORBIDDEN[who])
            if leaked:
                problems.append(f"POST {url} shows A's {', '.join(leaked)}")
    for obj in (o["claim"], o["offer"], o["interest"], world.a.profile):
        obj.refresh_from_db()
    after = (o["claim"].status, o["offer"].status, o["interest"].status, world.a.profile.phone)
    assert problems == []
    assert after == before


def test_it_shows_nothing_of_as_invitation_without_the_right_token(world, client):
    response = client.get(f"/people/invitation/{world.objects['token']}-wrong/")
    assert response.status_code in (200, 404, 410)
    assert _leaks(body(response), tuple(MARKERS)) == []
