"""Time each benchmarked page in-process and count its queries (no server, no locust):
a quick way to see where the time goes before and after a fix.

    DEBUG=true .venv/bin/python bench/profile_pages.py [--profile NAME]

(DATABASE_URL defaults to the coprod_bench database made by bench/run.py --setup.)
"""

import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coprod_bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contributors.models import User  # noqa: E402

T = json.loads((ROOT / "bench" / "targets.json").read_text())
REPEAT = 7
PAGES = {
    "contributor": (T["contributor"], "/me/"),
    "project": (T["staff"], f"/projects/{T['project']}/"),
    "list": (T["staff"], "/projects/"),
    "review": (T["finance"], "/claims/review/"),
    "csv": (T["finance"], f"/claims/batches/{T['batch']}/claims.csv"),
    "staff": (T["staff"], "/staff/"),
}


def get(client, path):
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)


def main():
    profile = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--profile" else None
    for name, (email, path) in PAGES.items():
        if profile and name != profile:
            continue
        client = Client()
        client.force_login(User.objects.get(email=email))
        get(client, path)  # warm up
        times = []
        for _ in range(REPEAT):  # the machine is shared: the median of a few is steadier
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                get(client, path)
                times.append((time.perf_counter() - started) * 1000)
        slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]
        print(f"{name:12} {path:40} median {statistics.median(times):6.1f} ms, min {min(times):6.1f} ms, "
              f"{len(queries):3d} queries")
        for q in slow:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if profile:
            prof = cProfile.Profile()
            prof.runcall(get, client, path)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
