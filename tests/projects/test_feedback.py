"""Feedback after a meeting: who may give it and when, once each, and what staff see (ranges
and unattributed comments, by the reach report's suppression rule)."""

import functools
import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.suppression import SMALL
from projects.models import MeetingFeedback
from projects.selectors.feedback import FEEDBACK_DAYS, FeedbackGroup, feedback_summary
from projects.services.feedback import FeedbackError, feedback_submit
from tests.factories import ContributorFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "finance", "admin"]


@pytest.fixture
def held(project, contributor_with_role):
    start = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(
        project=project, title="Discharge letters", start=start, end=start + timedelta(hours=2)
    )
    meeting.invitations.create(contributor=contributor_with_role, attended=True, reply="attending")
    return meeting


def _people_at(meeting, n: int) -> list:
    people = [ContributorFactory(name=f"Person {meeting.pk}-{i}") for i in range(n)]
    for person in people:
        meeting.invitations.create(contributor=person, attended=True)
    return people


@pytest.mark.parametrize(
    "who,give,results",
    list(zip(WHO, [302, 404, 200, 403, 403, 403, 403], [302, 403, 403, 403, 200, 403, 200], strict=True)),
)
def test_it_gives_each_kind_of_user_the_right_answer(client, cast, held, project, who, give, results):
    if cast[who]:
        client.force_login(cast[who])
    assert client.get(reverse("projects:feedback_give", kwargs={"pk": held.pk})).status_code == give
    assert client.get(reverse("projects:feedback_results", kwargs={"pk": project.pk})).status_code == results


def test_it_takes_one_response_per_person_however_often_it_is_sent(client, held, contributor_with_role):
    client.force_login(contributor_with_role)
    url = reverse("projects:feedback_give", kwargs={"pk": held.pk})
    data = {"accessible": "partly", "listened_to": "yes", "to_change": "A bigger room."}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "accessible": "no"}, follow=True)  # Back and send again
    assert "You have already sent feedback on this meeting. Thank you." in response.content.decode()
    assert list(MeetingFeedback.objects.values_list("accessible", "to_change")) == [
        ("partly", "A bigger room.")
    ]


def test_an_empty_form_is_refused_politely(client, held, contributor_with_role):
    client.force_login(contributor_with_role)
    html = client.post(reverse("projects:feedback_give", kwargs={"pk": held.pk}), {}).content.decode()
    assert "Answer at least one question, or leave the form: it is optional." in html
    assert MeetingFeedback.objects.count() == 0


def test_it_is_open_only_to_those_there_and_only_for_a_while(
    held, contributor_with_role, project, other_contributor
):
    absent = other_contributor
    held.invitations.create(contributor=absent, attended=False)
    with pytest.raises(FeedbackError, match="for the contributors who were at the meeting"):
        feedback_submit(actor=absent, meeting_id=held.pk, accessible="yes")
    upcoming = MeetingFactory(project=project)
    upcoming.invitations.create(contributor=contributor_with_role)
    with pytest.raises(FeedbackError, match="once the meeting has started"):
        feedback_submit(actor=contributor_with_role, meeting_id=upcoming.pk, accessible="yes")
    start = timezone.now() - timedelta(days=FEEDBACK_DAYS + 2)
    old = MeetingFactory(project=project, start=start, end=start + timedelta(hours=1))
    old.invitations.create(contributor=contributor_with_role, attended=True)
    with pytest.raises(FeedbackError, match="closed on"):
        feedback_submit(actor=contributor_with_role, meeting_id=old.pk, accessible="yes")


def test_the_meeting_page_and_the_after_meeting_email_link_to_it(client, held, contributor_with_role):
    client.force_login(contributor_with_role)
    url = reverse("projects:feedback_give", kwargs={"pk": held.pk})
    assert url in client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()
    feedback_submit(actor=contributor_with_role, meeting_id=held.pk, listened_to="yes")
    assert url not in client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()

    from reminders.channels import context_for

    assert context_for("claim_prompt", held, contributor_with_role)["feedback_url"].endswith(url)


def test_staff_see_ranges_and_no_names_nor_comments_of_a_small_group(
    client, staff, held, project, contributor_with_role
):
    feedback_submit(
        actor=contributor_with_role, meeting_id=held.pk, accessible="no", to_change="Zoë needs a loop."
    )
    for person in _people_at(held, 2):
        feedback_submit(actor=person, meeting_id=held.pk, accessible="yes")
    client.force_login(staff)
    html = client.get(reverse("projects:feedback_results", kwargs={"pk": project.pk})).content.decode()
    assert "No: fewer than 4" in html and "Yes: fewer than 4" in html
    assert "Zoë needs a loop." not in html and "O&#x27;Brien" not in html and "Person" not in html
    assert "Held back: fewer than 5 responses." in html


def test_staff_see_comments_without_names_in_alphabetical_order_once_enough_answered(
    client, staff, held, project
):
    comments = ["Zebra crossings outside", "", "A hearing loop", "more breaks", "", "Biscuits"]
    for person, comment in zip(_people_at(held, len(comments)), comments, strict=True):
        feedback_submit(actor=person, meeting_id=held.pk, listened_to="partly", to_change=comment)
    client.force_login(staff)
    html = client.get(reverse("projects:feedback_results", kwargs={"pk": project.pk})).content.decode()
    assert (
        html.index("A hearing loop")
        < html.index("Biscuits")
        < html.index("more breaks")
        < html.index("Zebra")
    )
    assert "Person" not in html
    assert "Partly: 6" not in html  # never an exact count, even when everyone gave the same answer


def test_staff_see_results_per_month(held, project, contributor_with_role, django_assert_num_queries):
    feedback_submit(actor=contributor_with_role, meeting_id=held.pk, accessible="yes")
    with django_assert_num_queries(1):
        summary = feedback_summary(project=project, by="month")
    local = timezone.localtime(held.start)
    assert [g.label for g in summary["groups"]] == [f"{local:%B %Y}"]
    assert summary["overall"].total == 1


# --- the suppression cannot be worked back ----------------------------------------------------
ANSWERS = ["yes", "partly", "no", ""]


@functools.cache
def _shown(counts: tuple) -> tuple:
    answers = [(answer, "", "") for answer, n in zip(ANSWERS, counts, strict=True) for _ in range(n)]
    group = FeedbackGroup(label="m", answers=answers)
    return group.total, tuple((row["label"], row["figure"]) for row in group.questions[0]["rows"])


def _populations(total: int):
    for cut in itertools.combinations(range(total + len(ANSWERS) - 1), len(ANSWERS) - 1):
        edges = (-1, *cut, total + len(ANSWERS) - 1)
        yield tuple(b - a - 1 for a, b in itertools.pairwise(edges))


def test_no_small_group_of_answers_can_be_worked_out_from_the_total_and_the_other_rows():
    for total in range(1, 16):
        reports: dict = {}
        for population in _populations(total):
            reports.setdefault(_shown(population), []).append(population)
        for report, populations in reports.items():
            for row in range(len(ANSWERS)):
                sizes = {p[row] for p in populations}
                if any(0 < size < SMALL for size in sizes):
                    assert len(sizes) > 1, (report, row)


def test_no_one_persons_answer_can_be_read_off_the_page_before_and_after():
    """Someone compares the page before and after one more person answers: every pair of
    pages they can see fits at least two different answers for that person."""
    for total in range(0, 13):
        fits: dict = {}
        for population in _populations(total):
            for answer in range(len(ANSWERS)):
                grown = tuple(n + (i == answer) for i, n in enumerate(population))
                fits.setdefault((_shown(population), _shown(grown)), set()).add(answer)
        for pages, answers in fits.items():
            assert len(answers) > 1, pages


def test_erasing_a_person_keeps_their_answers_anonymous_in_the_totals(held, contributor_with_role, staff):
    from contributors.services import erasure_request_create, person_anonymise

    feedback_submit(
        actor=contributor_with_role,
        meeting_id=held.pk,
        accessible="no",
        to_change="Zoë needs a hearing loop.",
    )
    erasure_request_create(actor=contributor_with_role)
    person_anonymise(user=contributor_with_role, actor=staff)
    kept = MeetingFeedback.objects.get()
    assert (kept.contributor, kept.accessible, kept.to_change) == (None, "no", "")
    assert feedback_summary(project=held.project)["overall"].total == 1


def test_the_results_page_takes_the_same_queries_however_many_meetings(client, staff, project, held):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("projects:feedback_results", kwargs={"pk": project.pk})).status_code == 200
            )
        return len(queries)

    client.force_login(staff)
    for person in _people_at(held, 2):
        feedback_submit(actor=person, meeting_id=held.pk, accessible="yes")
    few = count()
    for days in range(3, 8):
        start = timezone.now() - timedelta(days=days)
        meeting = MeetingFactory(project=project, start=start, end=start + timedelta(hours=1))
        for person in _people_at(meeting, 2):
            feedback_submit(actor=person, meeting_id=meeting.pk, listened_to="no", to_change="Shorter papers")
    assert count() == few <= 12
