"""The pages the benchmark measures: one table read by run.py (wrk and locust) and
profile_pages.py. A new page is one line.

`who` is the person who asks for it (a key of the targets: contributor, staff, finance, or
"anonymous" for a public page, asked for without logging in); `path`
may name a target in braces ({project}, {batch}); `users` is how many people use it at once in
the closed-loop latency run (people's pauses between pages), roughly how often it is used.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str  # short name: profile_<key>.txt, --only
    name: str
    who: str
    path: str
    users: int = 2

    def url(self, targets: dict) -> str:
        return self.path.format(**targets)


# The smallest page a logged-in person can ask for: every page is compared with it.
FLOOR = Page("floor", "floor: accessibility statement /accessibility/", "contributor", "/accessibility/", 1)

PAGES = [
    Page("me", "contributor dashboard /me/", "contributor", "/me/", 3),
    Page("my_claims", "my claims /claims/", "contributor", "/claims/", 3),
    Page("opportunities", "opportunities /projects/opportunities/", "contributor",
         "/projects/opportunities/"),
    Page("staff", "staff dashboard /staff/", "staff", "/staff/"),
    Page("project", "project dashboard /projects/<id>/", "staff", "/projects/{project}/"),
    Page("project_list", "project list /projects/", "staff", "/projects/"),
    Page("pool", "contributor pool /people/pool/", "staff", "/people/pool/"),
    Page("reach", "reach report /people/reach/", "staff", "/people/reach/", 1),
    Page("review", "review queue /claims/review/ (finance)", "finance", "/claims/review/"),
    Page("funder", "funder report /reports/funder/ (organisation, finance)", "finance",
         "/reports/funder/", 1),
    Page("funder_project", "funder report of a project (its lead)", "staff",
         "/projects/{project}/funder-report/", 1),
    Page("batch_csv", "payment batch CSV (1,000 claims)", "finance", "/claims/batches/{batch}/claims.csv",
         1),
    Page("adverts", "public adverts /projects/adverts/ (no login)", "anonymous", "/projects/adverts/", 2),
    Page("group_message", "group message form (a project's people)", "staff",
         "/reminders/messages/new/project/{project}/", 1),
]

BY_KEY = {page.key: page for page in [FLOOR, *PAGES]}

# Run with `manage.py shell -c` on the benchmark database: who logs in and what they open.
# The lead's busiest project, finance, the contributor with the most claims, and a paid batch
# of exactly 1,000 claims (BENCH-1000: made once by moving the latest 1,000 paid claims into it),
# so the batch CSV does the same work at any N.
TARGETS_SCRIPT = """
import json
from django.db import transaction
from django.db.models import Count
from contributors.models import User
from expenses.models import Claim, PaymentBatch
from projects.models import Project
staff = User.objects.get(email="staff1@scale.example.org")
finance = User.objects.get(email="staff0@scale.example.org")
project = Project.objects.filter(lead=staff).annotate(n=Count("claims")).order_by("-n", "pk").first()
batch = PaymentBatch.objects.filter(reference="BENCH-1000").first()
if batch is None:
    with transaction.atomic():
        latest = Claim.objects.filter(status="paid", batch__isnull=False).order_by("-paid_at", "-pk")
        batch = PaymentBatch.objects.create(reference="BENCH-1000", status="paid",
                                            paid_on=latest.first().batch.paid_on, created_by=finance,
                                            paid_by=finance)
        Claim.objects.filter(pk__in=latest.values("pk")[:1000]).update(batch=batch)
contributor = (User.objects.filter(email__endswith="@scale.example.org", is_staff=False)
               .annotate(n=Count("claims")).order_by("-n", "pk").first())
print(json.dumps({
    "password": "coproduce-demo", "contributor": contributor.email, "staff": staff.email,
    "finance": finance.email, "project": project.pk, "batch": batch.pk,
    "batch_claims": batch.claims.count(), "project_claims": project.n, "contributor_claims": contributor.n,
    "contributors": User.objects.filter(is_staff=False).count(),
    "projects": Project.objects.count(),
    "claims": Claim.objects.count(),
}))
"""
