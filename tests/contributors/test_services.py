"""People: profile, monitoring, suppression, erasure and anonymisation."""

import pytest

from contributors.models import Availability, EqualityMonitoring, ErasureRequest, User
from contributors.selectors import monitoring_aggregates, reach_report
from contributors.services import (
    PersonError,
    erasure_request_create,
    monitoring_save,
    monitoring_withdraw,
    person_anonymise,
    profile_update,
)
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db


def _answer(gender, n, **more):
    for _ in range(n):
        monitoring_save(actor=ContributorFactory(), consent=True, answers={"gender": gender, **more})


def test_monitoring_totals_list_every_answer_as_a_range_through_the_shared_rule():
    from core.suppression import suppress

    _answer("woman", 14, carer="yes")
    _answer("man", 3, carer="no")
    _answer("", 2)
    sections = {s["question"]: s["rows"] for s in monitoring_aggregates()}
    assert sections["People who answered"] == [{"label": "Total", "figure": "19"}]
    expected = suppress([
        ("Woman", 14), ("Man", 3), ("Non-binary", 0), ("In another way", 0), ("Prefer not to say", 0),
        ("Not answered", 2),
    ])
    assert sections["Gender"] == [{"label": row.label, "figure": row.text} for row in expected.rows]
    assert sections["Gender"][0] == {"label": "Woman", "figure": "13 to 19"}
    assert sections["Gender"][1] == {"label": "Man", "figure": "fewer than 7"}
    assert [row["label"] for row in sections["Do you look after someone as an unpaid carer?"]] == [
        "Yes", "No", "Prefer not to say", "Not answered"
    ]


def test_before_and_after_one_person_answers_the_report_fits_more_than_one_answer():
    """The issue's case: 5 people answered, a sixth joins. Whatever the sixth said, some other
    answer gives the same pair of reports."""
    from tests.core.test_suppression import answers_that_fit

    genders = ["woman", "man", "non_binary", "other", "prefer_not", ""]
    _answer("woman", 3)
    _answer("man", 2)

    def gender_report():
        rows = {s["question"]: s["rows"] for s in monitoring_aggregates()}["Gender"]
        total = {s["question"]: s["rows"] for s in monitoring_aggregates()}["People who answered"]
        return int(total[0]["figure"]), tuple(row["figure"] for row in rows)

    before = gender_report()
    for index, gender in enumerate(genders):
        person = ContributorFactory()
        monitoring_save(actor=person, consent=True, answers={"gender": gender})
        after = gender_report()
        fits = answers_that_fit(before, after, rows=len(genders), largest=8, joined=True)
        assert index in fits and len(fits) > 1
        monitoring_withdraw(actor=person)
        assert gender_report() == before


def test_monitoring_needs_consent_and_nothing_is_kept_without_it(contributor):
    with pytest.raises(PersonError, match="Please tick the box"):
        monitoring_save(actor=contributor, consent=False, answers={"gender": "woman"})
    assert not EqualityMonitoring.objects.exists()


def test_profile_update_replaces_availability_and_keeps_a_name_like_zoe(contributor):
    profile_update(
        actor=contributor,
        name="Zoë O'Brien-Ní Bhriain",
        preferred_name="Zoë",
        profile_data={"interests": "diabetes"},
        availability={(0, "morning"), (2, "evening")},
    )
    profile_update(
        actor=contributor,
        name="Zoë O'Brien-Ní Bhriain",
        preferred_name="Zoë",
        profile_data={},
        availability={(2, "evening")},
    )
    contributor.refresh_from_db()
    assert contributor.name == "Zoë O'Brien-Ní Bhriain"
    assert list(Availability.objects.values_list("weekday", "part_of_day")) == [(2, "evening")]


def test_profile_update_asks_for_a_phone_number_when_contact_is_by_phone(contributor):
    with pytest.raises(PersonError, match="You asked us to phone you: please give a phone number."):
        profile_update(
            actor=contributor,
            name="Zoë",
            preferred_name="",
            profile_data={"contact_method": "phone"},
            availability=set(),
        )


def test_a_second_erasure_request_is_refused(contributor):
    erasure_request_create(actor=contributor, reason="Moving away")
    with pytest.raises(PersonError, match="You already asked us to erase your data on"):
        erasure_request_create(actor=contributor)
    assert ErasureRequest.objects.count() == 1


def test_anonymising_removes_personal_data_but_keeps_the_person_row(contributor, admin_user):
    profile_update(
        actor=contributor,
        name="Zoë O'Brien",
        preferred_name="Zoë",
        profile_data={"phone": "01632 960000", "interests": "diabetes", "address": "1 Street"},
        availability={(1, "morning")},
    )
    monitoring_save(actor=contributor, consent=True, answers={"gender": "woman"})
    request = erasure_request_create(actor=contributor)
    pk = contributor.pk

    person_anonymise(user=contributor, actor=admin_user)

    user = User.objects.get(pk=pk)  # the row claims point at (PROTECT) survives
    assert user.name == f"Former contributor #{pk}"
    assert user.preferred_name == ""
    assert user.email == f"former-contributor-{pk}@anonymised.invalid"
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.anonymised_by == admin_user and user.anonymised_at is not None
    assert user.profile.phone == "" and user.profile.interests == "" and user.profile.address == ""
    assert not Availability.objects.filter(profile__user=user).exists()
    assert not EqualityMonitoring.objects.filter(user=user).exists()
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.DONE and request.handled_by == admin_user
    with pytest.raises(PersonError, match="already removed"):
        person_anonymise(user=user, actor=admin_user)


def test_two_people_anonymised_keep_unique_emails(admin_user):
    a, b = ContributorFactory(), ContributorFactory()
    person_anonymise(user=a, actor=admin_user)
    person_anonymise(user=b, actor=admin_user)
    assert User.objects.get(pk=a.pk).email != User.objects.get(pk=b.pk).email


def test_personal_data_covers_profile_availability_monitoring_and_roles(contributor, role, staff):
    from coproduction.personal_data import personal_data
    from projects.services.roles import offer_make

    profile_update(
        actor=contributor,
        name="Zoë",
        preferred_name="",
        profile_data={"interests": "diabetes"},
        availability={(4, "afternoon")},
    )
    monitoring_save(actor=contributor, consent=True, answers={"carer": "yes"})
    offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    data = personal_data(contributor)
    assert data["profile"]["interests"] == "diabetes"
    assert [(a["day"], a["part_of_day"]) for a in data["availability"]] == [
        ("Friday", "Afternoon (12 noon to 5pm)")
    ]
    assert data["equality_monitoring"]["carer"] == "Yes"
    assert data["role_offers"][0]["role"] == role.title
    assert data["meeting_invitations"] == []


def test_the_reach_report_gives_the_share_held_by_the_most_involved_tenth(role, staff):
    from projects.services.roles import offer_accept, offer_make

    people = [ContributorFactory() for _ in range(10)]
    role.places = 10
    role.save()
    offer = offer_make(role=role, contributor_id=people[0].pk, actor=staff)
    offer_accept(offer_id=offer.pk, actor=people[0])
    report = reach_report()
    assert report.total_people == 10
    assert report.total_involvements == 1
    assert report.top_tenth_people == 1
    assert report.top_tenth_share == 100
    assert report.buckets[0] == ("None", 9, 90)
