"""The audit trail: every change to claims, payments, roles and acceptances, with who and when."""

import pytest
from django.urls import reverse

from core.history import acting_as
from expenses import services as claims
from expenses.models import Claim
from projects.models import Role, RoleOffer
from projects.services.roles import offer_accept, offer_make, role_update

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_it_records_who_approved_a_claim_through_the_web(world, client):
    claim = world.objects["claim"]
    client.force_login(world.lead)
    response = client.post(
        reverse("expenses:claim_approve", args=[claim.pk]), {"comment": ""}
    )
    assert response.status_code == 302
    latest = Claim.history.filter(id=claim.pk).latest()
    assert latest.status == Claim.Status.APPROVED
    assert latest.history_user == world.lead
    assert latest.prev_record.status == Claim.Status.SUBMITTED
    changed = {
        change.field: (change.old, change.new) for change in latest.diff_against(latest.prev_record).changes
    }
    assert changed["status"] == (Claim.Status.SUBMITTED, Claim.Status.APPROVED)


def test_it_records_who_approved_a_claim_through_the_service_outside_a_request(world):
    claim = world.objects["claim"]
    with acting_as(world.lead):
        claims.claim_approve(claim_id=claim.pk, actor=world.lead)
    latest = Claim.history.filter(id=claim.pk).latest()
    assert (latest.status, latest.history_user, latest.history_type) == (
        Claim.Status.APPROVED,
        world.lead,
        "~",
    )


def test_it_records_payment_batches_and_the_claims_they_pay(world):
    batch = world.objects["batch"]
    with acting_as(world.admin):
        claims.batch_mark_paid(
            batch_id=batch.pk, actor=world.admin, reference="BACS-1", paid_on=batch.created_at.date()
        )
    assert batch.history.latest().history_user == world.admin
    assert batch.history.latest().reference == "BACS-1"
    paid = Claim.history.filter(id=world.objects["approved"].pk).latest()
    assert paid.status == Claim.Status.PAID


def test_it_records_who_changed_a_role_and_what_changed(world, client):
    role = world.objects["role"]
    with acting_as(world.lead):
        role_update(role=role, actor=world.lead, payment_terms="£30 an hour")
    latest = Role.history.filter(id=role.pk).latest()
    assert latest.history_user == world.lead
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("payment_terms", "£25 an hour", "£30 an hour")
    ]


def test_it_records_offers_and_acceptances_with_the_person_who_made_them(world, client):
    role = world.objects["role"]
    with acting_as(world.lead):
        role.places = 5
        role.save()
        offer = offer_make(role=role, contributor_id=world.b.pk, actor=world.lead)
    with acting_as(world.b):
        offer_accept(offer_id=offer.pk, actor=world.b)
    history = list(RoleOffer.history.filter(id=offer.pk).order_by("history_date"))
    assert [(h.status, h.history_user) for h in history][0] == (RoleOffer.Status.OFFERED, world.lead)
    assert (history[-1].status, history[-1].history_user) == (RoleOffer.Status.ACCEPTED, world.b)
    acceptance = offer.acceptances.get()
    assert acceptance.history.get().history_user == world.b


def test_it_shows_the_history_in_the_admin(world, client):
    claim = world.objects["claim"]
    with acting_as(world.lead):
        claims.claim_approve(claim_id=claim.pk, actor=world.lead)
    client.force_login(world.admin)
    page = client.get(reverse("admin:expenses_claim_history", args=[claim.pk])).content.decode()
    assert "Lena Lead" in page or world.lead.email in page
    assert "Changed" in page or "Status" in page


def test_admins_see_the_history_of_claim_lines_and_acceptances(world, client):
    client.force_login(world.admin)
    lines = client.get(reverse("admin:expenses_historicalclaimline_changelist")).content.decode()
    assert "Quokka taxi ride" in lines
    acceptances = client.get(reverse("admin:projects_historicalroleacceptance_changelist"))
    assert acceptances.status_code == 200
    client.force_login(world.lead)
    assert client.get(reverse("admin:expenses_historicalclaimline_changelist")).status_code == 403
