"""The reach report works out its figures in the database (issue 17): the same figures as
counting each person in Python, a table of the most involved only, and everyone in a CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contributors.selectors import REACH_TABLE_ROWS, annotate_involvement, contributors_queryset, reach_report
from tests.factories import ContributorFactory
from tests.projects.factories import InvitationFactory, MeetingFactory, ProjectFactory, give_role

pytestmark = pytest.mark.django_db


def _involve(people):
    """A spread: person i has i % 7 meetings attended this year, every third a role, one an
    old meeting that no longer counts."""
    project = ProjectFactory()
    now = timezone.now()
    meetings = [MeetingFactory(project=project, start=now - timedelta(days=10 + i)) for i in range(7)]
    old = MeetingFactory(project=project, start=timezone.now() - timedelta(days=400))
    for index, person in enumerate(people):
        for meeting in meetings[: index % 7]:
            InvitationFactory(meeting=meeting, contributor=person, attended=True)
        if index % 3 == 0:
            give_role(contributor=person, project=project)
        if index == 1:
            InvitationFactory(meeting=old, contributor=person, attended=True)


def _in_python():
    totals = sorted(
        (p.recent_total for p in annotate_involvement(contributors_queryset())), reverse=True
    )
    top_n = -(-len(totals) // 10)
    return sum(totals), sum(1 for t in totals if t), round(100 * sum(totals[:top_n]) / sum(totals))


def test_the_figures_match_counting_each_person(staff):
    people = ContributorFactory.create_batch(23)
    _involve(people)
    report = reach_report()
    total, involved, share = _in_python()
    assert report.total_people == 23
    assert report.total_involvements == total
    assert report.involved_people == involved
    assert report.top_tenth_people == 3
    assert report.top_tenth_share == share
    assert sum(count for _label, count, _percent in report.buckets) == 23
    assert report.buckets[0][1] == 23 - involved
    first = report.people[0]
    assert first.recent_total == max(p.recent_total for p in report.people)
    assert first.recent_total == first.recent_roles + first.recent_meetings


def test_the_page_lists_the_most_involved_and_the_csv_everyone_in_the_same_queries(client, staff):
    client.force_login(staff)
    url = reverse("contributors:reach_report")
    _involve(ContributorFactory.create_batch(5))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _involve(ContributorFactory.create_batch(REACH_TABLE_ROWS + 10))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) <= len(few)
    html = response.content.decode()
    assert f"The {REACH_TABLE_ROWS} most involved of {REACH_TABLE_ROWS + 15}." in html
    assert html.count('data-label="Contributor"><a href="/people/pool/') == REACH_TABLE_ROWS
    download = client.get(reverse("contributors:reach_report_csv"))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="involvement.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0] == ["Contributor", "Email", "Roles", "Meetings attended", "Total"]
    assert len(rows) == 1 + REACH_TABLE_ROWS + 15
    totals = [int(row[4]) for row in rows[1:]]
    assert totals == sorted(totals, reverse=True)


def test_an_anonymised_person_is_not_in_the_report(staff):
    gone, kept = ContributorFactory.create_batch(2)
    gone.anonymised_at = timezone.now()
    gone.save()
    report = reach_report()
    assert report.total_people == 1
    assert [p.pk for p in report.people] == [kept.pk]


def test_an_empty_pool_gives_zeros(staff):
    report = reach_report()
    assert (report.total_people, report.total_involvements, report.top_tenth_people) == (0, 0, 0)
    assert report.people == [] and all(count == 0 for _label, count, _percent in report.buckets)
