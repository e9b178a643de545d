"""Replies (in person, online, not coming, with a note; taken by staff for phone and post) and
access needs beside what the venue offers, with a warning when one is not met."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from contributors.services import person_anonymise
from coproduction.personal_data import personal_data
from projects.models import MeetingInvitation, Venue
from projects.services.meetings import MeetingError, MeetingWarnings, meeting_reply, meeting_save
from tests.factories import ContributorFactory

from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _needs(person, *codes):
    person.profile.access_features_needed = list(codes)
    person.profile.save()


def _fields(meeting, **changes) -> dict:
    names = (
        "title",
        "start",
        "end",
        "venue",
        "access_information",
        "online_link",
        "papers_link",
        "papers_sent_on",
        "place",
        "access_features",
    )
    return {**{name: getattr(meeting, name) for name in names}, **changes}


# --- replies ---


def test_a_contributor_replies_online_with_a_note_on_the_meeting_page(client, meeting, contributor_with_role):
    client.force_login(contributor_with_role)
    response = client.post(
        reverse("projects:meeting_reply", args=[meeting.pk]),
        {"reply": "online", "note": "I may join ten minutes late"},
        follow=True,
    )
    page = response.content.decode()
    assert "Thank you: your reply is saved." in page
    assert "You said: <strong>Coming online</strong>. Your note: “I may join ten minutes late”" in page
    invitation = meeting.invitations.get()
    assert (invitation.reply, invitation.reply_recorded_by) == ("online", None)


def test_a_reply_must_fit_how_the_meeting_is_held(meeting, contributor_with_role):
    meeting.online_link = ""
    meeting.save()
    with pytest.raises(MeetingError, match="in person only"):
        meeting_reply(meeting_id=meeting.pk, actor=contributor_with_role, reply="online")
    with pytest.raises(MeetingError, match="Choose whether"):
        meeting_reply(meeting_id=meeting.pk, actor=contributor_with_role, reply="maybe")


def test_staff_record_a_reply_given_by_phone_and_who_took_it_is_shown(
    client, meeting, contributor_with_role, staff
):
    client.force_login(staff)
    response = client.post(
        reverse("projects:meeting_reply_record", args=[meeting.pk]),
        {"contributor": contributor_with_role.pk, "reply": "attending", "note": "Bringing a carer"},
        follow=True,
    )
    page = response.content.decode()
    assert "Zoë O&#x27;Brien’s reply is recorded." in page
    assert (
        'Coming in person: “Bringing a carer” <span class="text-body-secondary">(taken by Sam Staff)</span>'
        in page
    )
    assert meeting.invitations.get().reply_recorded_by == staff


def test_a_contributor_cannot_record_a_reply_for_someone_else(
    meeting, contributor_with_role, other_contributor
):
    with pytest.raises(MeetingError, match="Only staff"):
        meeting_reply(
            meeting_id=meeting.pk,
            actor=other_contributor,
            contributor=contributor_with_role,
            reply="attending",
        )


WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]
MANAGE = [302, 403, 403, 403, 200, 200]


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_only_the_project_staff_open_the_record_a_reply_page(client, cast, meeting, who_index):
    if cast[WHO[who_index]]:
        client.force_login(cast[WHO[who_index]])
    url = reverse("projects:meeting_reply_record", args=[meeting.pk])
    assert client.get(url).status_code == MANAGE[who_index]


def test_existing_yes_replies_to_online_only_meetings_become_online():
    online_only = MeetingFactory(venue="")
    in_person = MeetingFactory()
    a = InvitationFactory(meeting=online_only, contributor=ContributorFactory(), reply="attending")
    b = InvitationFactory(meeting=in_person, contributor=ContributorFactory(), reply="attending")
    migration = importlib.import_module("projects.migrations.0013_online_replies")

    migration.forwards(apps, None)

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.reply, b.reply) == ("online", "attending")


def test_the_note_is_in_the_download_and_erased_with_the_person(meeting, contributor_with_role, admin_user):
    meeting_reply(
        meeting_id=meeting.pk, actor=contributor_with_role, reply="attending", note="Step-free, please"
    )
    _needs(contributor_with_role, "hearing_loop")
    data = personal_data(contributor_with_role)
    assert data["meeting_invitations"][0]["note_with_reply"] == "Step-free, please"
    assert data["profile"]["what_you_need_at_meetings"] == ["Hearing loop"]

    person_anonymise(user=contributor_with_role, actor=admin_user)

    contributor_with_role.profile.refresh_from_db()
    assert contributor_with_role.profile.access_features_needed == []
    assert "Step-free" not in MeetingInvitation.objects.get(pk=meeting.invitations.get().pk).reply_note


# --- access needs against the venue ---


def test_a_need_the_venue_does_not_meet_is_a_warning_to_answer(meeting, contributor_with_role, staff):
    _needs(contributor_with_role, "step_free", "hearing_loop")
    hall = Venue.objects.create(name="Town hall", address="1 High Street", access_features=["step_free"])

    with pytest.raises(MeetingWarnings) as warned:
        meeting_save(
            actor=staff,
            project=meeting.project,
            meeting=meeting,
            invitee_ids=[contributor_with_role.pk],
            **_fields(meeting, place=hall),
        )
    assert warned.value.warnings == ["Zoë O'Brien needs hearing loop, which this meeting does not offer."]

    # A loop arranged for this meeting meets it: no warning.
    saved = meeting_save(
        actor=staff,
        project=meeting.project,
        meeting=meeting,
        invitee_ids=[contributor_with_role.pk],
        **_fields(meeting, place=hall, access_features=["hearing_loop"]),
    )
    assert saved.place == hall and saved.warnings_overridden == ""


def test_the_organiser_sees_needs_beside_the_venue_and_the_contributor_does_not_see_others(
    client, meeting, contributor_with_role, other_contributor, staff
):
    _needs(contributor_with_role, "bsl")
    contributor_with_role.profile.access_needs = "A seat near the door"
    contributor_with_role.profile.save()
    meeting.access_features = ["step_free"]
    meeting.save()
    client.force_login(staff)
    page = client.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'Access offered</dt><dd class="col-sm-9">Step-free access</dd>' in page
    assert "BSL interpreter: <strong>not offered</strong>. A seat near the door" in page
    assert "<strong>Warning:</strong> this meeting does not offer bsl interpreter." in page

    client.force_login(contributor_with_role)
    page = client.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert "not offered" not in page


def test_the_meeting_page_does_not_grow_with_its_invitees(
    client, meeting, staff, django_assert_max_num_queries
):
    for _ in range(3):
        InvitationFactory(meeting=meeting, contributor=ContributorFactory())
    client.force_login(staff)
    url = reverse("projects:meeting_detail", args=[meeting.pk])
    with django_assert_max_num_queries(10):
        client.get(url)
    for _ in range(12):
        _needs(InvitationFactory(meeting=meeting, contributor=ContributorFactory()).contributor, "quiet_room")
    with django_assert_max_num_queries(10):
        assert "Quiet room: <strong>not offered</strong>" in client.get(url).content.decode()


def test_contributors_tick_their_needs_on_their_profile(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("contributors:profile")).content.decode()
    assert "What you need at meetings" in page and "Hearing loop" in page
    response = client.post(
        reverse("contributors:profile"),
        {
            "name": "Zoë O'Brien",
            "contact_method": "email",
            "payment_preference": "paid",
            "access_features_needed": ["hearing_loop", "large_print"],
            "access_needs": "Breaks every hour",
        },
    )
    assert response.status_code == 302
    contributor.profile.refresh_from_db()
    assert contributor.profile.access_features_needed == ["hearing_loop", "large_print"]
    assert contributor.profile.access_needs == "Breaks every hour"
