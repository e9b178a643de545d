"""A person's calendar feed: a secret address with their meetings only, that stops when revoked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contributors.services import person_anonymise
from coproduction.personal_data import personal_data
from projects.models import CalendarFeed
from projects.services.meetings import calendar_feed_renew, calendar_feed_revoke, meeting_cancel

from .factories import InvitationFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _events(response) -> dict[str, str]:
    """Summary -> STATUS of each event in the feed (it must parse as iCalendar)."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk() if e.name == "VEVENT"}


def test_the_feed_has_only_the_persons_meetings_and_shows_cancelled_ones(
    client, meeting, contributor_with_role, other_contributor, staff
):
    declined = MeetingFactory(project=meeting.project, title="Said no")
    InvitationFactory(meeting=declined, contributor=contributor_with_role, reply="not_attending")
    cancelled = MeetingFactory(project=meeting.project, title="Called off")
    InvitationFactory(meeting=cancelled, contributor=contributor_with_role)
    meeting_cancel(actor=staff, meeting_id=cancelled.pk)
    InvitationFactory(meeting=MeetingFactory(title="Not mine"), contributor=other_contributor)
    token = calendar_feed_renew(actor=contributor_with_role)

    # No login: the address is the key.
    response = client.get(reverse("projects:calendar_feed_ics", args=[token]))

    assert response.status_code == 200
    assert _events(response) == {
        "Letter working group (Leaving hospital well)": "CONFIRMED",
        "Cancelled: Called off (Leaving hospital well)": "CANCELLED",
    }


def test_a_revoked_or_replaced_address_stops_working(client, meeting, contributor_with_role):
    old = calendar_feed_renew(actor=contributor_with_role)
    new = calendar_feed_renew(actor=contributor_with_role)
    assert client.get(reverse("projects:calendar_feed_ics", args=[old])).status_code == 404
    assert client.get(reverse("projects:calendar_feed_ics", args=[new])).status_code == 200

    assert calendar_feed_revoke(actor=contributor_with_role) is True

    assert client.get(reverse("projects:calendar_feed_ics", args=[new])).status_code == 404
    # Only a hash is kept, never the address itself.
    assert not CalendarFeed.objects.filter(token_hash=new).exists()


def test_staff_get_the_meetings_they_organise_or_whose_team_they_are_on(
    client, meeting, project_staff, other_staff
):
    elsewhere = MeetingFactory(project=ProjectFactory(lead=other_staff), title="Elsewhere")
    token = calendar_feed_renew(actor=project_staff)
    events = _events(client.get(reverse("projects:calendar_feed_ics", args=[token])))
    assert list(events) == ["Letter working group (Leaving hospital well)"]
    assert elsewhere.title not in str(events)


def test_a_person_makes_sees_once_and_turns_off_their_address_from_the_page(
    client, meeting, contributor_with_role
):
    client.force_login(contributor_with_role)
    page = client.post(reverse("projects:calendar_feed_new"), follow=True).content.decode()
    assert "Your calendar address is ready: copy it now." in page
    feed = CalendarFeed.objects.get(user=contributor_with_role)
    address = page.split('id="feed-address" class="form-control" type="text" readonly value="')[1].split('"')[
        0
    ]
    path = address.split("testserver")[1]
    assert client.get(path).status_code == 200
    # Shown once: a reload no longer shows it.
    assert 'id="feed-address"' not in client.get(reverse("projects:calendar_feed")).content.decode()

    client.post(reverse("projects:calendar_feed_off"))

    assert not CalendarFeed.objects.filter(pk=feed.pk).exists()
    client.logout()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "who",
    ["anonymous", "contributor", "other_contributor", "outside_staff", "project_staff", "finance", "admin"],
)
def test_the_feed_page_is_for_anyone_logged_in_and_the_buttons_only_post(client, cast, who):
    if cast[who]:
        client.force_login(cast[who])
    expected = 302 if who == "anonymous" else 200
    assert client.get(reverse("projects:calendar_feed")).status_code == expected
    assert client.get(reverse("projects:calendar_feed_new")).status_code in (302, 405)
    assert not CalendarFeed.objects.exists()


def test_the_feed_is_in_the_download_and_erasing_the_person_turns_it_off(
    client, contributor_with_role, admin_user, meeting
):
    token = calendar_feed_renew(actor=contributor_with_role)
    data = personal_data(contributor_with_role)
    assert data["calendar_feed"]["made"]
    assert token not in str(data)

    person_anonymise(user=contributor_with_role, actor=admin_user)

    assert client.get(reverse("projects:calendar_feed_ics", args=[token])).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_keeps_half_a_year_of_past_meetings(client, contributor_with_role, project):
    old = MeetingFactory(project=project, title="Long ago")
    InvitationFactory(meeting=old, contributor=contributor_with_role)
    type(old).objects.filter(pk=old.pk).update(
        start=timezone.now() - timedelta(days=400), end=timezone.now() - timedelta(days=400, hours=-1)
    )
    token = calendar_feed_renew(actor=contributor_with_role)
    assert _events(client.get(reverse("projects:calendar_feed_ics", args=[token]))) == {}
