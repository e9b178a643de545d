"""Peak memory of finance's files for a large payment batch: are they streamed in constant memory?

    .venv/bin/python bench/batch_memory.py --label n1 [--claims 10000]

Against BENCH_DATABASE_URL, as production runs (DEBUG=false). Inside a transaction that is
rolled back, puts the given number of paid claims into one new batch, then downloads each file
of FILES through the Django test client as finance, reading the stream chunk by chunk without
keeping it. Reports the process's peak resident memory before and after (after a warm-up with
a 1,000-claim batch, so imports and caches are already paid for) and the peak of Python
allocations (tracemalloc, a second pass). Writes bench/results/<label>_batch_memory.txt.
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from contextlib import redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="coproduction.settings", DEBUG="false", SECRET_KEY="bench-" + "x" * 60,
    BANK_DETAILS_KEYS="YmVuY2gtb25seS1iYW5rLWRldGFpbHMta2V5LTAwMDE=",
    ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", EMAIL_URL="", CELERY_BROKER_URL="",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coprod_bench"),
)

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from contributors.bank_details import Account, seal  # noqa: E402
from contributors.models import BankDetails, User  # noqa: E402
from expenses.models import Claim, PaymentBatch  # noqa: E402

FINANCE = "staff0@scale.example.org"
# The files finance downloads for a batch; a new one (the bank file) is one line.
FILES = [
    ("payment batch CSV", "/claims/batches/{batch}/claims.csv"),
    ("bank file (every payee's sealed account opened)", "/claims/batches/{batch}/bank-file.csv"),
]


class Rollback(Exception):
    pass


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def download(client, path) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    size = 0
    for chunk in (response.streaming_content if response.streaming else [response.content]):
        size += len(chunk)
    return size, time.perf_counter() - started


def batch_of(claims: int, finance) -> PaymentBatch:
    batch = PaymentBatch.objects.create(reference=f"BENCH-{claims}", status="paid", created_by=finance,
                                        paid_by=finance, paid_on=datetime.now(UTC).date())
    ids = Claim.objects.filter(status="paid").exclude(batch__reference__startswith="BENCH-")
    ids = ids.order_by("-pk").values("pk")[:claims]
    moved = Claim.objects.filter(pk__in=ids).update(batch=batch)
    assert moved == claims, f"only {moved} paid claims in the database"
    return batch


def give_bank_details(people) -> None:
    """The scale organisation has no bank details: give each payee sealed ones (rolled back with
    the rest), so the bank file opens one account per line as it does for real."""
    sealed = seal(Account("A N Other", "123456", "12345678"))  # Fernet: ~20 µs each to open
    have = BankDetails.objects.values("user_id")
    BankDetails.objects.bulk_create(
        BankDetails(user_id=pk, sealed=sealed, last_digits="5678")
        for pk in User.objects.filter(pk__in=people).exclude(pk__in=have).values_list("pk", flat=True)
    )


def measure(claims: int):
    finance = User.objects.get(email=FINANCE)
    client = Client()
    client.force_login(finance)
    try:
        with transaction.atomic():
            small, big = batch_of(1000, finance), batch_of(claims, finance)
            give_bank_details(Claim.objects.filter(batch__in=[small, big]).values("contributor_id"))
            for name, path in FILES:
                download(client, path.format(batch=small.pk))  # warm up
                before = rss_mb()
                size_small, _ = download(client, path.format(batch=small.pk))
                after_small = rss_mb()
                size, seconds = download(client, path.format(batch=big.pk))
                after = rss_mb()
                tracemalloc.start()
                download(client, path.format(batch=big.pk))
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                print(f"{name} ({path}):")
                print(f"  1,000 claims: {size_small / 1024:.0f} KB; peak resident memory {before:.0f} MB "
                      f"before, {after_small:.0f} MB after")
                print(f"  {claims:,} claims: {size / 1024:.0f} KB in {seconds:.1f} s; peak resident memory "
                      f"{after:.0f} MB after (+{after - after_small:.0f} MB over the 1,000-claim file)")
                print(f"  Python allocations, peak while streaming {claims:,} claims (tracemalloc): "
                      f"{peak / 1024 / 1024:.1f} MB")
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--label", default="latest")
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    out = io.StringIO()
    with redirect_stdout(out):
        print(f"bench/batch_memory.py --label {args.label} --claims {args.claims}, "
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average before: {load}, DEBUG=false")
        measure(args.claims)
    (ROOT / "bench" / "results" / f"{args.label}_batch_memory.txt").write_text(out.getvalue())
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
