"""Final means final in the admin too: every change form, delete and revert against claims,
lines, receipts, batches and used rates is refused, and the figures still agree afterwards.
What the admin may still do (approve, make a batch) goes through the services."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimEvent, ClaimLine, PaymentBatch, Rate, Receipt
from expenses.selectors import spend_by_budget_line

from .factories import line, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(member, project, staff, finance):
    claim = make_claim(member, project, [line("time_hours", quantity=2), line(amount="4.20")])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_mark_paid(
        batch_id=batch.pk, actor=finance, reference="BACS-1", paid_on=timezone.localdate()
    )
    return Claim.objects.get(pk=claim.pk)


def _snapshot(claim):
    claim = Claim.objects.get(pk=claim.pk)
    lines = list(ClaimLine.objects.filter(claim=claim).values_list("pk", "kind", "quantity", "amount"))
    return {
        "claim": (claim.contributor_id, claim.project_id, claim.status, claim.total, claim.batch_id),
        "lines": lines,
        "receipts": list(Receipt.objects.filter(claim=claim).values_list("pk", flat=True)),
        "events": ClaimEvent.objects.filter(claim=claim).count(),
        "batch": list(PaymentBatch.objects.values_list("pk", "status", "reference", "paid_on")),
    }


def _figures_agree(claim, project):
    """The claim's total is its lines' sum, and the project's spent figure is what was paid."""
    claim = Claim.objects.get(pk=claim.pk)
    lines = ClaimLine.objects.filter(claim=claim).aggregate(s=Sum("amount"))["s"]
    assert claim.total == lines == claim.time_amount + claim.expenses_amount
    spend = spend_by_budget_line(project_ids=[project.pk])
    paid = sum((figures["paid"] for figures in spend.values()), D("0.00"))
    recorded = Claim.objects.filter(project=project, status="paid").aggregate(s=Sum("total"))["s"]
    assert paid == (recorded or D("0.00"))


def _line_form(claim):
    """What the old admin page posted to change a line of a claim (here: to £0 and 99 hours)."""
    ln = claim.lines.first()
    return {
        "project": claim.project_id,
        "contributor": claim.contributor_id,
        "status": "approved",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000",
        "lines-0-id": ln.pk, "lines-0-claim": claim.pk, "lines-0-kind": ln.kind,
        "lines-0-date": ln.date.isoformat(), "lines-0-description": "Changed", "lines-0-quantity": "99",
        "lines-0-amount": "0.00",
    }


def _delete(client, model, obj):
    return client.post(reverse(f"admin:expenses_{model}_delete", args=[obj.pk]), {"post": "yes"})


def test_no_change_form_delete_or_revert_touches_a_paid_claim(client, admin_user, paid, project):
    before = _snapshot(paid)
    client.force_login(admin_user)
    change = reverse("admin:expenses_claim_change", args=[paid.pk])
    page = client.get(change)
    assert page.status_code == 200  # to read: lines, receipts and history are shown
    html = page.content.decode()
    assert "Bus, train or tram fare" in html and 'name="_save"' not in html
    version = paid.history.order_by("history_id").first().history_id
    attempts = {
        "change the lines": (change, _line_form(paid)),
        "pay it to someone else": (change, {**_line_form(paid), "contributor": admin_user.pk}),
        "delete it": (reverse("admin:expenses_claim_delete", args=[paid.pk]), {"post": "yes"}),
        "revert to an old version": (
            reverse("admin:expenses_claim_simple_history", args=[paid.pk, version]), {"_save": "Save"}
        ),
        "add a claim by hand": (reverse("admin:expenses_claim_add"), _line_form(paid)),
        "change the batch": (
            reverse("admin:expenses_paymentbatch_change", args=[paid.batch_id]),
            {"reference": "X", "paid_on": "2020-01-01", "status": "open"},
        ),
        "delete the batch": (
            reverse("admin:expenses_paymentbatch_delete", args=[paid.batch_id]), {"post": "yes"}
        ),
        "add a batch by hand": (reverse("admin:expenses_paymentbatch_add"), {"reference": "By hand"}),
    }
    for what, (url, data) in attempts.items():
        assert client.post(url, data).status_code == 403, what
    # The changelist's "delete selected" is not offered either.
    response = client.post(
        reverse("admin:expenses_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [paid.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert _snapshot(paid) == before
    _figures_agree(paid, project)


def test_an_approved_claim_cannot_be_given_to_someone_else(client, admin_user, member, project, staff):
    claim = make_claim(member, project, [line("time_hours", quantity=1)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:expenses_claim_change", args=[claim.pk]),
        {**_line_form(claim), "contributor": admin_user.pk},
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).contributor == member


def test_lines_of_a_queried_claim_are_changed_by_the_contributor_not_in_the_admin(
    client, admin_user, member, project, staff
):
    """Once sent, a claim's lines change only through "Change the lines" on the site (which
    prices them again and records it); the admin's inline is read-only."""
    claim = make_claim(member, project, [line("mileage_bicycle", quantity=10)])
    services.claim_query(claim_id=claim.pk, actor=admin_user, comment="Really 10 miles?")
    client.force_login(admin_user)
    response = client.post(reverse("admin:expenses_claim_change", args=[claim.pk]), _line_form(claim))
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).total == D("2.00")
    _figures_agree(claim, project)


def test_admin_actions_still_call_the_services(client, admin_user, member, project):
    claim = make_claim(member, project)
    client.force_login(admin_user)
    url = reverse("admin:expenses_claim_changelist")
    client.post(url, {"action": "approve_claims", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.events.last().actor == admin_user


def test_a_rate_used_by_sent_claims_is_read_only_and_no_rate_is_deleted(client, admin_user, paid):
    used = Rate.objects.filter(kind="time_hours").order_by("-effective_from").first()
    client.force_login(admin_user)
    change = reverse("admin:expenses_rate_change", args=[used.pk])
    assert "claims were priced with it, so it cannot change" in client.get(change).content.decode()
    data = {"kind": "time_hours", "amount": "1.00", "effective_from": used.effective_from.isoformat()}
    assert client.post(change, data).status_code == 403
    assert _delete(client, "rate", used).status_code == 403
    assert Rate.objects.get(pk=used.pk).amount == used.amount

    # A rate nobody has used yet (a typo in next year's rate) can still be corrected, not deleted.
    next_april = date(timezone.localdate().year + 1, 4, 6)
    future = Rate.objects.create(kind="time_hours", amount=D("300.00"), effective_from=next_april)
    response = client.post(
        reverse("admin:expenses_rate_change", args=[future.pk]),
        {"kind": "time_hours", "amount": "30.00", "effective_from": next_april.isoformat(), "source": "NIHR"},
    )
    assert response.status_code == 302
    assert Rate.objects.get(pk=future.pk).amount == D("30.00")
    assert _delete(client, "rate", future).status_code == 403
    # New rates are added as rows, as the README says.
    response = client.post(
        reverse("admin:expenses_rate_add"),
        {"kind": "time_day", "amount": "180.00", "effective_from": next_april.isoformat(), "source": "NIHR"},
    )
    assert response.status_code == 302 and Rate.objects.filter(amount=D("180.00")).exists()
