"""Two reviewers approve the same claim at the same moment: exactly one succeeds.

Real concurrent transactions on PostgreSQL (SQLite cannot lock rows, so it is skipped there).
"""

import threading
import time
import uuid

import pytest
from django.db import connections

from expenses import services
from expenses.models import Claim, ClaimEvent

from .factories import line, make_claim


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_reviewers_approve_the_same_claim(
    require_postgres, member, project, staff, team_member
):
    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    barrier = threading.Barrier(2)
    results = {}

    def approve(reviewer):
        try:
            barrier.wait(timeout=10)
            services.claim_approve(claim_id=claim.pk, actor=reviewer, comment=f"by {reviewer.pk}")
            results[reviewer.pk] = "approved"
        except services.ClaimError as exc:
            results[reviewer.pk] = exc.message
        finally:
            connections.close_all()  # each thread has its own connection; close it

    threads = [threading.Thread(target=approve, args=(person,)) for person in (staff, team_member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == [
        "This claim is approved, so it cannot be approved.",
        "approved",
    ]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert ClaimEvent.objects.filter(claim=claim, to_status="approved").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_pays_a_batch_once_when_two_finance_staff_mark_it_paid_at_once(
    require_postgres, member, project, staff, finance, admin_user
):
    from .factories import days_ago

    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    barrier = threading.Barrier(2)
    results = []

    def pay(person):
        try:
            barrier.wait(timeout=10)
            services.batch_mark_paid(
                batch_id=batch.pk, actor=person, reference=f"R{person.pk}", paid_on=days_ago(0)
            )
            results.append("paid")
        except services.ClaimError as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(person,)) for person in (finance, admin_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("paid") == 1
    assert ClaimEvent.objects.filter(claim=claim, to_status="paid").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_on_one_budget_line_at_once_cannot_both_pass_the_budget_check(
    require_postgres, monkeypatch, make_member, project, staff, team_member
):
    """£100 travel budget, two £60 claims, two reviewers at the same moment: one is approved,
    the other is told it goes over budget."""
    claims = [make_claim(make_member(), project, [line(amount="60.00")]) for _ in range(2)]
    # Widen the race: each approval pauses after reading the spend, as a busy server might.
    check = services.budget_overruns

    def slow_check(claim):
        result = check(claim)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(services, "budget_overruns", slow_check)
    barrier = threading.Barrier(2)
    results = {}

    def approve(claim, reviewer):
        try:
            barrier.wait(timeout=10)
            services.claim_approve(claim_id=claim.pk, actor=reviewer)
            results[claim.pk] = "approved"
        except services.OverBudget:
            results[claim.pk] = "over budget"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=pair) for pair in zip(claims, (staff, team_member), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["approved", "over budget"]
    assert Claim.objects.filter(status=Claim.Status.APPROVED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_claim_sent_twice_at_once_is_made_once(require_postgres, monkeypatch, member, project):
    """A double click, or two tabs: both pass the first look for the same claim, and the
    database's constraint lets only one in; the other finds it."""
    look = services._live_twin

    def slow_look(fp, **kwargs):
        found = look(fp, **kwargs)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(services, "_live_twin", slow_look)
    barrier = threading.Barrier(2)
    results = []

    def send():
        try:
            barrier.wait(timeout=10)
            services.claim_create(
                contributor=member, project=project, actor=member,
                lines=[line("time_hours", quantity=2)], form_token=uuid.uuid4(),
            )
            results.append("made")
        except services.DuplicateSubmission as exc:
            results.append(exc.claim.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    claim = Claim.objects.get()
    assert sorted(results, key=str) == sorted(["made", claim.pk], key=str)
