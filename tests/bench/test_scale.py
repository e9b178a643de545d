"""The scale builder behind `seed_demo --scale N`, at a tiny N (the N=1 run is in bench/)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contributors.models import Availability, ContributorProfile, User
from coproduction import scale
from expenses.models import Claim, ClaimLine, PaymentBatch
from projects.models import Meeting, MeetingInvitation, Project, RoleOffer
from reminders.models import ReminderSent

pytestmark = pytest.mark.django_db
TINY = 0.002


def _quiet(*_args):
    pass


def test_it_builds_a_small_organisation_with_every_kind_of_row():
    made = scale.build(TINY, log=_quiet)
    people = User.objects.filter(email__endswith="@scale.example.org", is_staff=False)
    assert people.count() == 10 == made["contributors"]
    assert ContributorProfile.objects.filter(user__in=people).count() == 10
    assert Availability.objects.filter(profile__user__in=people).count() == 30
    assert Project.objects.count() == 2
    assert Meeting.objects.count() == 4 and MeetingInvitation.objects.exists()
    assert RoleOffer.objects.filter(status="accepted").count() == 10
    assert Claim.objects.count() == 100
    assert ClaimLine.objects.count() == 200
    assert ReminderSent.objects.exists()
    assert set(Claim.objects.values_list("status", flat=True)) >= {"paid", "submitted"}
    # Every paid claim is in a paid batch; nothing else is.
    assert not Claim.objects.filter(status="paid", batch=None).exists()
    assert not Claim.objects.exclude(status="paid").exclude(batch=None).exists()
    assert PaymentBatch.objects.filter(status="paid").count() == made["batches"]


def test_it_adds_nothing_the_second_time():
    scale.build(TINY, log=_quiet)
    before = (User.objects.count(), Claim.objects.count(), ReminderSent.objects.count())
    assert scale.build(TINY, log=_quiet) == {}
    assert (User.objects.count(), Claim.objects.count(), ReminderSent.objects.count()) == before


def test_it_gives_scale_people_a_password_they_can_log_in_with():
    scale.build(TINY, log=_quiet)
    assert User.objects.get(email="contributor0@scale.example.org").check_password("coproduce-demo")


def test_seed_demo_scale_builds_it_after_the_demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--scale", str(TINY), stdout=open("/dev/null", "w"))
    assert User.objects.filter(email="admin@example.org").exists()
    assert scale.scale_exists()


def test_seed_demo_scale_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=true"):
        call_command("seed_demo", "--scale", str(TINY))
    assert not User.objects.exists()
