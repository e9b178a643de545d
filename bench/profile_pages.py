"""Where each page's time goes, in-process (no server): time, queries and a cProfile.

    .venv/bin/python bench/profile_pages.py --label n1 [--pages me,reach] [--repeat 7] [--cold]

Runs as production does (DEBUG=false: cached templates) against BENCH_DATABASE_URL (the
database bench/run.py --setup built), as the same people and pages as bench/run.py
(bench/pages.py). For each page it writes bench/results/profile_<page>_<label>.txt: the median
time, the queries (count, time, the slowest), own time by area (templates, forms, crispy, ORM,
database driver, app code...), and the top functions by cumulative and by own time. A summary
table goes to bench/results/<label>_profile.md, with each page's CPU time as a multiple of the
floor's. Pages kept in the cache (core/fragments.py) are measured as most requests find them,
from the cache; --cold empties it before every request (the cost of the first request after a
change).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import FLOOR, PAGES  # noqa: E402
from contributors.models import User  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SITE = str(Path(django.__file__).resolve().parent.parent) + "/"

# Own time by where the function lives, first match wins: these add up to the whole request.
AREAS = [
    ("templates (django.template)", ("django/template/", "django/templatetags/")),
    ("crispy forms", ("crispy_forms/", "crispy_bootstrap5/")),
    ("form rendering and widgets (django.forms)", ("django/forms/",)),
    ("django-filter", ("django_filters/",)),
    ("reversing URLs ({% url %}, reverse: django.urls)", ("django/urls/",)),
    ("translation and thread-locals (django.utils.translation, asgiref)",
     ("django/utils/translation/", "asgiref/")),
    ("escaping, number and date formats (rest of django.utils)", ("django/utils/",)),
    ("ORM: building queries, making model objects (django.db)", ("django/db/",)),
    ("database driver (psycopg2: waiting for PostgreSQL)", ("psycopg2", "<method 'execute'",
                                                            "<method 'fetch")),
    ("request handling, middleware, auth, sessions (rest of django)", ("django/",)),
    ("other libraries (allauth, csp, simple_history, whitenoise...)", ("site-packages/",)),
    ("app code (contributors, projects, expenses, reminders, coproduction)",
     tuple(f"{ROOT}/{app}/"
           for app in ("contributors", "projects", "expenses", "reminders", "coproduction", "bench"))),
]
# Inclusive time of a few entry points (cumulative; they nest, so they do not add up).
MARKERS = [
    ("rendering templates (Template.render)", "django/template/base.py", "render"),
    ("{% crispy %} / |crispy", "crispy_forms/templatetags/crispy_forms_tags.py", "render"),
    ("|as_crispy_field", "crispy_forms/templatetags/crispy_forms_filters.py", "as_crispy_field"),
    ("rendering a form field (BoundField.as_widget)", "django/forms/boundfield.py", "as_widget"),
    ("a select's options (ChoiceWidget.optgroups)", "django/forms/widgets.py", "optgroups"),
    ("making model objects (Model.from_db)", "django/db/models/base.py", "from_db"),
    ("running SQL (CursorWrapper.execute)", "django/db/backends/utils.py", "execute"),
]


PYTHON = "Python itself (builtins and stdlib not called from the areas above)"


def area_of(filename: str, func: str) -> str | None:
    """The area a function belongs to; None for builtins and the standard library, whose time
    goes to the area of whoever called them."""
    where = filename if filename != "~" else func
    for name, needles in AREAS:
        if any(n in where for n in needles):
            return name
    return None


def charge(stats, areas, key, amount, depth=0):
    area = area_of(key[0], key[2])
    if area:
        areas[area] += amount
        return
    callers = stats.stats[key][4]
    spent = sum(v[2] for v in callers.values())
    if depth > 6 or not spent:
        areas[PYTHON] += amount
        return
    for caller, v in callers.items():
        charge(stats, areas, caller, amount * v[2] / spent, depth + 1)


COLD = False  # --cold: every request renders its page again (no cached fragment: core/fragments.py)


def get(client, path):
    if COLD:
        from django.core.cache import caches

        caches["fragments"].clear()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    return response


def short(text: str) -> str:
    return text.replace(SITE, "").replace(str(ROOT) + "/", "")


def measure(page, t, repeat):
    client = Client()
    if page.who != "anonymous":
        client.force_login(User.objects.get(email=t[page.who]))
    path = page.url(t)
    get(client, path)  # warm up: templates compiled and cached, imports done
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        get(client, path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    captured = list(queries.captured_queries)  # the next request empties the log
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    runs = max(1, min(5, round(1000 / max(statistics.median(times), 1))))  # ~1 s of profile
    # CPU time of this process, not wall time: on a shared machine wall time charges other
    # processes' turns to whatever function was running. Waiting for PostgreSQL is in sql_ms.
    profile = cProfile.Profile(time.process_time)
    for _ in range(runs):
        profile.runcall(get, client, path)
    stats = pstats.Stats(profile)
    total = sum(v[2] for v in stats.stats.values())
    areas = defaultdict(float)
    markers = {}
    for key, (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        filename, _line, func = key
        charge(stats, areas, key, tt)
        for label, file_part, name in MARKERS:
            if file_part in filename and func == name:
                markers[label] = max(markers.get(label, 0), ct)
    return {
        "key": page.key, "name": page.name, "path": path, "who": t.get(page.who, page.who),
        "median_ms": statistics.median(times), "min_ms": min(times), "cpu_ms": statistics.median(cpu),
        "queries": len(captured),
        "sql_ms": sql_ms, "slowest": sorted(captured, key=lambda q: -float(q["time"]))[:5],
        "areas": {k: v / total for k, v in sorted(areas.items(), key=lambda kv: -kv[1])},
        "markers": {k: v / runs * 1000 for k, v in markers.items()}, "profile_ms": total / runs * 1000,
        "runs": runs, "stats": stats,
    }


def write_profile(r, label, load, date):
    out = io.StringIO()
    out.write(f"{r['name']}  {r['path']}  as {r['who']}\n")
    out.write(f"label {label}, {date} UTC, load average before: {load}, DEBUG=false, "
              "in-process test client\n\n")
    out.write(f"median {r['median_ms']:.1f} ms wall clock (min {r['min_ms']:.1f}), {r['cpu_ms']:.1f} ms "
              f"CPU of the Django process (without the profiler); {r['queries']} queries, "
              f"{r['sql_ms']:.1f} ms of SQL (wall clock)\n")
    out.write(f"profiled: {r['runs']} request(s), {r['profile_ms']:.1f} ms CPU each under cProfile (which "
              "slows Python code about twofold)\n\n")
    out.write("Own CPU time by area (adds up to 100%; builtins and stdlib count for their caller's area):\n")
    for name, share in r["areas"].items():
        out.write(f"  {100 * share:5.1f}%  {name}\n")
    out.write("\nInclusive CPU time of some entry points, ms per request under the profiler (they nest):\n")
    for name, ms in sorted(r["markers"].items(), key=lambda kv: -kv[1]):
        out.write(f"  {ms:8.1f}  {name}\n")
    out.write("\nSlowest queries:\n")
    for q in r["slowest"]:
        out.write(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}\n")
    for order, title in (("cumulative", "Top functions by cumulative time"),
                         ("tottime", "Top functions by own time")):
        buffer = io.StringIO()
        r["stats"].stream = buffer
        r["stats"].sort_stats(order).print_stats(35)
        text = buffer.getvalue()
        out.write(f"\n{title} ({r['runs']} request(s)):\n")
        out.write(short(text[text.find("   ncalls"):]))
    (RESULTS / f"profile_{r['key']}_{label}.txt").write_text(out.getvalue())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="latest")
    parser.add_argument("--pages", default="", help="comma-separated keys from bench/pages.py")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cold", action="store_true",
                        help="empty the cache of rendered fragments before every request: the cost of a miss")
    args = parser.parse_args()
    global COLD
    COLD = args.cold
    targets = json.loads((ROOT / "bench" / "targets.json").read_text())
    keys = [k for k in args.pages.split(",") if k]
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    rows = []
    for page in [FLOOR, *PAGES]:
        if keys and page.key not in keys:
            continue
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        r = measure(page, targets, args.repeat if page.key != "reach" else min(args.repeat, 3))
        write_profile(r, args.label, load, date)
        top = list(r["areas"].items())[:3]
        print(f"{page.key:14} median {r['median_ms']:7.1f} ms, CPU {r['cpu_ms']:6.1f} ms, "
              f"{r['queries']:3d} queries "
              f"{r['sql_ms']:6.1f} ms SQL  "
              + ", ".join(f"{100 * v:.0f}% {k.split(' (')[0]}" for k, v in top))
        rows.append((r, load))
    cold = " --cold" if COLD else ""
    lines = [f"# In-process cost of each page `{args.label}`", "",
             f"`bench/profile_pages.py --label {args.label}{cold}`, {date} UTC, DEBUG=false, "
             "Django test client, "
             f"median of {args.repeat} (reach report: 3). CPU ms: the Django process's own CPU time, "
             "steadier than wall clock on a busy machine; SQL ms: wall clock in the database; areas: own "
             "CPU time from cProfile.", "",
             "| page | median ms | CPU ms | CPU ×floor | queries | SQL ms | top own CPU time by area "
             "| load average before |",
             "|---|---|---|---|---|---|---|---|"]
    floor = next((r["cpu_ms"] for r, _load in rows if r["key"] == FLOOR.key), None)
    for r, load in rows:
        top = "; ".join(f"{k.split(' (')[0]} {100 * v:.0f}%" for k, v in list(r["areas"].items())[:3])
        times = f"{r['cpu_ms'] / floor:.1f}" if floor else ""
        lines.append(f"| {r['name']} | {r['median_ms']:.1f} | {r['cpu_ms']:.1f} | {times} | {r['queries']} | "
                     f"{r['sql_ms']:.1f} | {top} | {load} |")
    if not keys:
        (RESULTS / f"{args.label}_profile.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
