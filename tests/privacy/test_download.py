"""Download my data: everything held about the person, in every app, and nobody else's."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from coproduction.personal_data import personal_data, records_in
from core.personal_data import record
from expenses.models import Receipt

from .person import ADDRESS, NAME, PHONE, TOTP_SECRET, build, references_to_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build(django_capture_on_commit_callbacks)


def test_it_holds_every_row_of_every_model_that_refers_to_the_person(world):
    """A new model that points at a person fails here until this world has a row of it and
    the download holds that row."""
    downloads = {person.pk: set(records_in(personal_data(person))) for person in (world.zoe, world.sam)}
    missing, unused = [], []
    for model, lookup in references_to_people():
        found = False
        for person in (world.zoe, world.sam):
            for row in model._default_manager.filter(**{lookup: person}):
                found = True
                if record(row) not in downloads[person.pk]:
                    missing.append(f"{record(row)} ({lookup}) for {person}")
        if not found:
            unused.append(f"{model._meta.label}.{lookup}")
    assert unused == [], "Give Zoë or Sam a row of these in tests/privacy/person.py: " + ", ".join(unused)
    assert missing == []


def test_it_holds_what_zoe_would_look_for(world):
    data = personal_data(world.zoe)
    assert data["account"]["name"] == NAME
    assert data["profile"]["phone"] == PHONE and data["profile"]["address"] == ADDRESS
    assert [(a["day"], a["part_of_day"]) for a in data["availability"]] == [
        ("Monday", "Morning (9am to 12 noon)")
    ]
    assert data["equality_monitoring"]["gender"] == "Woman"
    offer, declined, _from_advert = data["role_offers"]
    [application] = data["applications_to_adverts"]
    assert (application["role"], application["phone"], application["status"]) == (
        "Tester", PHONE, "Offered the role"
    )
    assert (declined["role"], declined["status"], declined["answer_recorded_by_staff"]) == (
        "Reader", "Declined", True
    )
    assert offer["status"] == "Accepted"
    assert offer["acceptances"][0]["terms"]["version"] == 1
    assert offer["acceptances"][0]["terms"]["description"]["title"] == "Panel member"
    assert {m["meeting"]: (m["reply"], m["attended"]) for m in data["meeting_invitations"]} == {
        "Steering group": ("Coming in person", None),
        "Monthly panel": ("Not replied yet", None),
        "Kick-off": ("Not replied yet", True),
        "Extra session": ("Not replied yet", None),
    }
    [event] = data["project_events_about_you"]
    # The event names Priya too: only what it says about Zoë is hers.
    assert event["about_you"] == [f"{NAME} has not said they can take part on Tuesdays"]
    assert "Priya" not in json.dumps(data)
    paid, rejected = data["claims"]
    assert paid["status"] == "Paid" and paid["total"] == "12.50"
    assert paid["lines"][0]["description"] == f"Taxi for {NAME} from 12 Acacia Avenue"
    assert [e["to"] for e in paid["conversation"]] == [
        "Draft (not sent yet)", "Sent, waiting for review", "Question from the reviewer",
        "Sent, waiting for review", "Approved, waiting for payment", "Approved, waiting for payment", "Paid",
    ]
    assert paid["conversation"][5]["comment"].startswith("Put in payment batch")
    assert paid["conversation"][2]["by"] == "Sam Staff"
    receipt_id = paid["receipts"][0]["record"].split(":")[1]
    assert paid["receipts"][0]["download"] == f"/claims/receipts/{receipt_id}/"
    assert rejected["entered_by"] == "staff" and rejected["not_approved_because"].startswith(NAME)
    assert rejected["receipts"][0]["file_name"] == f"{NAME} parking.jpg"
    assert [v["status"] for v in paid["versions"]][-1] == "Paid"
    [payment] = data["payments"]
    assert payment["reference"] == "BACS-0001" and payment["paid_to_you"] == "12.50"
    kinds = {m["kind"]: m for m in data["messages_sent_to_you"]}
    assert kinds["Your claim has been paid (to the contributor)"]["how"] == "Task for staff (phone or post)"
    [task] = data["staff_tasks_about_you"]
    assert task["task"].startswith(f"Call {NAME} ({PHONE})") and task["done"]
    assert data["erasure_requests"][0]["reason"] == f"Please remove {NAME}, {PHONE}."
    assert data["email_addresses"][0]["verified"] is True


def test_it_never_holds_a_secret_nor_another_persons_details(world):
    data = personal_data(world.sam)
    text = json.dumps(data, ensure_ascii=False)
    assert TOTP_SECRET not in text and world.sam.password not in text
    assert [d["kind"] for d in data["two_factor_sign_in"]] == ["TOTP Authenticator"]
    # Sam reviewed Zoë's claims and was given her task: his download names those records,
    # not what they say about her.
    naming = json.dumps(data["records_that_name_you"], ensure_ascii=False)
    keys = {key for item in data["records_that_name_you"] for key in item}
    assert keys == {"record", "what", "your part", "when"}
    assert NAME not in naming and PHONE not in text and "Acacia" not in text
    assert "expenses.claim:" in naming and "reminders.stafftask:" in naming
    zoe_text = json.dumps(personal_data(world.zoe))
    assert "token_hash" not in zoe_text and world.zoe.invitations.get().token_hash not in zoe_text


def test_it_takes_the_same_number_of_queries_however_many_claims(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from expenses.services import claim_create
    from tests.expenses.factories import line

    with CaptureQueriesContext(connection) as before:
        personal_data(world.zoe)
    for number in range(3):
        claim_create(contributor=world.zoe, project=world.objects["project"], actor=world.zoe,
                     lines=[line("taxi", description=f"Taxi {number}"), line("parking")], submit=True)
    with django_assert_num_queries(len(before)):
        personal_data(world.zoe)


def test_the_json_and_zip_downloads_are_the_persons_own(world, client):
    client.force_login(world.zoe)
    response = client.get(reverse("contributors:my_data"))
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    link = data["claims"][0]["receipts"][0]["download"]
    assert link.startswith("http://testserver/claims/receipts/")
    assert client.get(link).status_code == 200

    response = client.get(reverse("contributors:my_data_zip"))
    assert response["Content-Type"] == "application/zip"
    assert 'filename="my-data.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    inside = json.loads(archive.read("my-data.json"))
    receipts = [r for claim in inside["claims"] for r in claim["receipts"]]
    assert len(receipts) == 2
    for item in receipts:
        stored = Receipt.objects.get(pk=item["record"].split(":")[1])
        with stored.file.open("rb") as handle:
            assert archive.read(item["in_this_zip"]) == handle.read()

    other = world.sam
    client.force_login(other)
    response = client.get(reverse("contributors:my_data_zip"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["my-data.json"]
    assert PHONE not in archive.read("my-data.json").decode()
    client.logout()
    assert client.get(reverse("contributors:my_data_zip")).status_code == 302
