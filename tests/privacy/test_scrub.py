"""How a person is recognised in text when they are erased."""

from datetime import datetime

import pytest

from contributors.erasure import Erasure, identity_of
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erasure():
    zoe = ContributorFactory(name="Zoë O'Brien", preferred_name="Zoë", email="zoe@example.org")
    zoe.profile.phone = "07700 900123"
    zoe.profile.address = "Rose Cottage\n12 Acacia Avenue\nLeeds\nLS1 4AP"
    zoe.profile.save()
    identity = identity_of(zoe, extra_emails=["Zoe.Old@Example.org"])
    zoe.name = "Former contributor #9"
    return Erasure(person=zoe, by=zoe, at=datetime(2026, 1, 1), **identity)


@pytest.mark.parametrize(
    "text",
    [
        "Call 07700 900123", "Call 07700900123", "Call +44 7700 900123", "Call +44 (0)7700-900-123",
        "Call 0770 090 0123",
    ],
)
def test_a_phone_number_goes_however_it_was_typed(erasure, text):
    assert erasure.scrub_names(text) == "Call (removed)"


def test_names_go_with_or_without_accents_and_curly_apostrophes(erasure):
    assert erasure.scrub_names("Met ZOË O'BRIEN and Zoe O’Brien; Zoë came.") == (
        "Met Former contributor #9 and Former contributor #9; Former contributor #9 came."
    )


def test_words_that_only_contain_a_name_stay(erasure):
    assert erasure.scrub("A Zoëtrope at O'Briens' pub") == "A Zoëtrope at O'Briens' pub"


def test_text_about_her_alone_also_loses_her_address_and_surname(erasure):
    assert erasure.scrub("Taxi from 12 acacia avenue, LS14AP for Ms O'Brien") == (
        "Taxi from (removed), (removed) for Ms Former contributor #9"
    )
    # The town is not her address on its own, and shared text keeps addresses.
    assert erasure.scrub("Train to Leeds") == "Train to Leeds"
    assert erasure.scrub_names("Meet at 12 Acacia Avenue") == "Meet at 12 Acacia Avenue"


def test_every_address_she_used_goes(erasure):
    bounced = "Bounced: zoe.old@example.org, zoe@example.org"
    assert erasure.scrub_names(bounced) == "Bounced: (removed), (removed)"


def test_json_is_scrubbed_all_the_way_down(erasure):
    assert erasure.scrub_value({"a": ["Zoë O'Brien", 3, {"b": "07700 900123"}]}, shared=True) == {
        "a": ["Former contributor #9", 3, {"b": "(removed)"}]
    }


def test_an_address_typed_on_one_line_goes_part_by_part():
    zoe = ContributorFactory(name="Zoë O'Brien")
    zoe.profile.address = "12 Acacia Avenue, Leeds, LS1 4AP"
    zoe.profile.save()
    erasure = Erasure(person=zoe, by=zoe, at=datetime(2026, 1, 1), **identity_of(zoe))
    assert erasure.scrub("From 12 Acacia Avenue to Leeds LS1 4AP") == "From (removed) to Leeds (removed)"
