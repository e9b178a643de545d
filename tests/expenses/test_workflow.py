"""The claim workflow table: the services refuse what it refuses, the page shows what it allows."""

import pytest
from django.urls import reverse

from expenses import services, workflow
from expenses.models import Claim

from .factories import line, make_claim

S = Claim.Status
pytestmark = pytest.mark.django_db


def test_it_lets_each_person_take_only_their_own_steps(member, project, staff, other_contributor):
    claim = make_claim(member, project, [line()])
    mine = {a for a, ok in workflow.allowed_actions(claim, member).items() if ok}
    assert mine == {"withdraw", "add_receipt"}
    assert {a for a, ok in workflow.allowed_actions(claim, staff).items() if ok} == {
        "add_receipt", "query", "approve", "reject",
    }
    assert not any(workflow.allowed_actions(claim, other_contributor).values())


def test_every_step_leads_where_the_table_says(member, project, staff):
    claim = make_claim(member, project, [line()])
    services.claim_query(claim_id=claim.pk, actor=staff, comment="Which station?")
    claim.refresh_from_db()
    assert claim.status == workflow.STEPS["query"].to == S.QUERIED
    services.claim_answer_query(claim_id=claim.pk, actor=member, comment="Leeds.")
    claim.refresh_from_db()
    assert claim.status == workflow.STEPS["answer"].to == S.SUBMITTED
    services.claim_approve(claim_id=claim.pk, actor=staff)
    claim.refresh_from_db()
    assert claim.status == workflow.STEPS["approve"].to == S.APPROVED
    assert [a for a, ok in workflow.allowed_actions(claim, staff).items() if ok] == []


def test_a_step_the_table_refuses_says_why_and_changes_nothing(member, project, staff):
    claim = make_claim(member, project, [line()])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    with pytest.raises(services.ClaimError, match="^This claim is approved, so it cannot be withdrawn.$"):
        services.claim_withdraw(claim_id=claim.pk, actor=member, reason="Mistake")
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED


def test_the_page_shows_the_buttons_the_table_allows(client, member, project, staff):
    draft = make_claim(member, project, [line()], submit=False)
    client.force_login(member)
    html = client.get(reverse("expenses:claim_detail", args=[draft.pk])).content.decode()
    assert "Send the claim" in html and "Withdraw the claim" not in html and "Send my answer" not in html
    client.force_login(staff)
    html = client.get(reverse("expenses:claim_detail", args=[draft.pk])).content.decode()
    assert "Approve" not in html and "Send the claim" not in html


def test_a_review_comment_too_long_is_shown_not_dropped(client, member, project, staff):
    claim = make_claim(member, project, [line()])
    client.force_login(staff)
    response = client.post(reverse("expenses:claim_approve", args=[claim.pk]), {"comment": "x" * 4001})
    assert response.status_code == 200
    assert "Ensure this value has at most 4000 characters" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED


def test_going_into_and_out_of_a_payment_batch_is_in_the_claims_history(member, project, staff, finance):
    claim = make_claim(member, project, [line()])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    batch = services.batch_create(actor=finance)
    services.batch_remove_claim(batch_id=batch.pk, claim_id=claim.pk, actor=finance)
    events = list(claim.events.order_by("pk").values_list("comment", "to_status", "actor"))[-2:]
    assert events == [
        (f"Put in payment batch {batch.pk}.", S.APPROVED, finance.pk),
        (f"Taken out of payment batch {batch.pk}.", S.APPROVED, finance.pk),
    ]
