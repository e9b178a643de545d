"""Time and peak memory of a full reminder scan over the scale data, and queries per batch.

    .venv/bin/python bench/reminder_scan.py --label n10 [--days-ahead 10]

Runs as the worker does (DEBUG=false) against BENCH_DATABASE_URL. `now` is moved forward so
that many reminders are due. Each pass runs in a transaction that is rolled back, so the
figures can be taken again; nothing is sent (the scan only claims rows; enqueue does nothing).
Writes bench/results/<label>_reminder_scan.txt.
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from collections import Counter
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="coproduction.settings", DEBUG="false", SECRET_KEY="bench-" + "x" * 60,
    BANK_DETAILS_KEYS="YmVuY2gtb25seS1iYW5rLWRldGFpbHMta2V5LTAwMDE=",
    ALLOWED_HOSTS="127.0.0.1", EMAIL_URL="", CELERY_BROKER_URL="",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coprod_bench"),
)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from reminders import registry, services  # noqa: E402
from reminders.selectors import BATCH_SIZE, Scan, find_due  # noqa: E402


class Rollback(Exception):
    pass


def full_scan(now):
    """The real entry point, timed, with the process's peak resident memory."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = services.scan_due_reminders(now=now, enqueue=lambda pk: None)
            raise Rollback
    except Rollback:
        pass
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result, elapsed, rss_before, rss_after


def per_batch(now):
    """The same scan kind by kind, batch by batch, counting queries and Python allocations."""
    settings = services.reminder_settings()
    scan = Scan(now=now, settings=settings)
    queries: dict[str, list[int]] = {}
    tracemalloc.start()
    try:
        with transaction.atomic():
            for kind in registry.kinds():
                batches = find_due(kind, settings=settings, now=now, batch_size=BATCH_SIZE, scan=scan)
                while True:
                    with CaptureQueriesContext(connection) as captured:
                        dues = next(batches, None)
                        if dues is None:
                            break
                        services.claim_batch(dues, enqueue=lambda pk: None, now=now)
                    queries.setdefault(kind.key, []).append(len(captured))
            raise Rollback
    except Rollback:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return queries, peak / 1024 / 1024


def report(now, days_ahead):
    result, elapsed, rss_before, rss_after = full_scan(now)
    print(f"now = {now:%Y-%m-%d %H:%M} UTC (today + {days_ahead} days)")
    print(f"full scan: {elapsed:.1f} s, {len(result.ids)} reminders claimed")
    print(f"peak resident memory: {rss_after:.0f} MB (before the scan: {rss_before:.0f} MB)")
    for kind, count in sorted(Counter(result).items()):
        print(f"  {kind}: {count}")
    queries, peak = per_batch(now)
    print(f"Python allocations, peak during the scan (tracemalloc): {peak:.1f} MB")
    print(f"queries per batch of up to {BATCH_SIZE}:")
    for kind, counts in queries.items():
        print(f"  {kind}: {len(counts)} batch(es), queries {counts}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--days-ahead", type=int, default=10)
    parser.add_argument("--label", default="latest")
    args = parser.parse_args()
    now = timezone.now() + timedelta(days=args.days_ahead)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    out = io.StringIO()
    with redirect_stdout(out):
        print(f"bench/reminder_scan.py --label {args.label} --days-ahead {args.days_ahead}, "
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average before: {load}, DEBUG=false")
        report(now, args.days_ahead)
    (ROOT / "bench" / "results" / f"{args.label}_reminder_scan.txt").write_text(out.getvalue())
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
