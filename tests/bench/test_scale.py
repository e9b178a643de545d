"""The benchmark's scale builder (bench/scale.py, run by bench/seed_scale.py) at a tiny N; the
N=1 and N=10 runs are in bench/."""

import ast
import contextlib
import io
import json
from pathlib import Path

import pytest

from bench import scale, seed_scale
from bench.pages import FLOOR, PAGES, TARGETS_SCRIPT
from contributors.models import Availability, ContributorProfile, EqualityMonitoring, User
from expenses.models import Claim, ClaimLine, PaymentBatch
from projects.models import Meeting, MeetingInvitation, Project, Role, RoleOffer
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


def test_rows_written_straight_to_the_tables_read_back_as_the_models_expect():
    scale.build(TINY, log=_quiet)
    contributor = User.objects.filter(email__endswith="@scale.example.org", is_staff=False).first()
    assert contributor.is_active and not contributor.is_superuser and contributor.last_login is None
    assert contributor.profile.usual_journey_miles > 0
    assert Role.objects.first().versions.get().description["title"].startswith("Patient partner")
    claim = Claim.objects.filter(status="paid").select_related("batch").first()
    assert claim.total == claim.time_amount + claim.expenses_amount
    assert sum(line.amount for line in claim.lines.all()) == claim.total
    assert claim.batch.paid_on <= claim.paid_at.date()
    assert claim.batch.paid_on.weekday() == 0
    assert ReminderSent.objects.filter(
        kind="claim_paid", object_id=claim.pk, recipient=claim.contributor
    ).exists()
    assert EqualityMonitoring.objects.filter(user__email__endswith="@scale.example.org").exists()


def test_new_rows_after_the_build_get_fresh_ids():
    made = scale.build(TINY, log=_quiet)
    claim = Claim.objects.order_by("-pk").first()
    copy = Claim.objects.create(project=claim.project, contributor=claim.contributor,
                                entered_by=claim.contributor)
    assert copy.pk > claim.pk and made["claims"] == 100


def test_the_script_builds_it(settings):
    settings.DEBUG = True
    made = seed_scale.main(["--scale", str(TINY)], log=_quiet)
    assert made["contributors"] == 10
    assert scale.scale_exists()


def test_the_script_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(seed_scale.Refused, match="only runs with DEBUG=true"):
        seed_scale.main(["--scale", str(TINY)], log=_quiet)
    assert not User.objects.exists()


def test_every_benchmark_page_answers_the_person_who_uses_it(client):
    # What bench/run.py does: pick the targets, log in through the real form, open each page.
    scale.build(TINY, log=_quiet)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(TARGETS_SCRIPT, {})
    targets = json.loads(out.getvalue())
    assert PaymentBatch.objects.get(pk=targets["batch"]).reference == "BENCH-1000"
    for page in [FLOOR, *PAGES]:
        client.logout()
        if page.who != "anonymous":
            person = {"login": targets[page.who], "password": targets["password"]}
            login = client.post("/accounts/login/", person)
            assert login.status_code == 302, page.who
        response = client.get(page.url(targets))
        assert response.status_code == 200, (page.key, response.status_code)


def test_the_running_site_never_imports_the_benchmark():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("contributors", "projects", "expenses", "reminders", "coproduction"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{path.relative_to(root)}: {name}" for name in names
                              if name == "bench" or name.startswith("bench.")]
    assert offenders == []

