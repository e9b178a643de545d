"""The load benchmark: gunicorn (DEBUG=false) on PostgreSQL, locust headless, 20 users, 60 s.

    .venv/bin/python bench/run.py            # uses the coprod_bench database as it is
    .venv/bin/python bench/run.py --setup    # first: create it, migrate, seed_demo --scale 1

Loopback only (127.0.0.1). Writes bench/results/<label>_stats.csv and prints a table for
bench/README.md. Not part of `make test`.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coprod_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
FLOOR = "floor /healthz"


def env(debug: bool) -> dict:
    e = os.environ.copy()
    e.update(DATABASE_URL=DB, DEBUG="true" if debug else "false", LOG_LEVEL="WARNING")
    if not debug:
        e.update(SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false",
                 EMAIL_URL="", CELERY_BROKER_URL="")
    return e


def manage(*args, debug=True):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(debug), check=True)


def setup(scale: str):
    name = DB.rsplit("/", 1)[1]
    admin = DB.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                   check=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo")
    started = time.monotonic()
    manage("seed_demo", "--scale", scale)
    print(f"seed_demo --scale {scale}: {time.monotonic() - started:.0f}s wall clock")


TARGETS_SCRIPT = """
import json
from django.db.models import Count
from contributors.models import User
from expenses.models import PaymentBatch
from projects.models import Project
staff = User.objects.get(email="staff1@scale.example.org")
project = (Project.objects.filter(lead=staff).annotate(n=Count("claims")).order_by("-n").first())
batch = PaymentBatch.objects.annotate(n=Count("claims")).order_by("-n").first()
contributor = (User.objects.filter(email__endswith="@scale.example.org", is_staff=False)
               .annotate(n=Count("claims")).order_by("-n").first())
print(json.dumps({"password": "coproduce-demo", "contributor": contributor.email, "staff": staff.email,
                  "finance": "staff0@scale.example.org", "project": project.pk, "batch": batch.pk,
                  "batch_claims": batch.n, "project_claims": project.n, "contributor_claims": contributor.n}))
"""


def targets() -> dict:
    out = subprocess.run([PY, "manage.py", "shell", "-c", TARGETS_SCRIPT], cwd=ROOT, env=env(True),
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    (ROOT / "bench" / "targets.json").write_text(json.dumps(data, indent=1))
    return data


def wait_up(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(HOST + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer on /healthz")


def summarise(stats_csv: Path, users: dict) -> str:
    rows = {r["Name"]: r for r in csv.DictReader(stats_csv.open()) if r["Type"] == "GET"}
    floor = float(rows[FLOOR]["Requests/s"]) / users[FLOOR]
    lines = ["| page | users | requests | failures | req/s | req/s per user | vs floor per user "
             "| p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        if name.startswith("login"):
            continue
        rps = float(r["Requests/s"])
        per = rps / users[name]
        lines.append(f"| {name} | {users[name]} | {r['Request Count']} | {r['Failure Count']} | {rps:.1f} | "
                     f"{per:.1f} | {per / floor:.2f} | {r['50%']} | {r['95%']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help="create, migrate and seed the database first")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--time", default="60s")
    parser.add_argument("--workers", default="5")
    parser.add_argument("--label", default="latest")
    parser.add_argument("--think", default="", help="pause between pages per user, e.g. 0.5,1.5 (seconds)")
    args = parser.parse_args()
    if args.setup:
        setup(args.scale)
    t = targets()
    print("targets:", t)
    manage("collectstatic", "--noinput", "-v0", debug=False)
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "coproduction.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", args.workers,
         "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=env(False), start_new_session=True,
    )
    try:
        wait_up()
        prefix = ROOT / "bench" / "results" / args.label
        subprocess.run(
            [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "-u", str(args.users),
             "-r", str(args.users), "-t", args.time, "--host", HOST, "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "5"],
            cwd=ROOT,
            env=env(False) | {"BENCH_TARGETS": str(ROOT / "bench" / "targets.json"),
                              "BENCH_THINK": args.think},
            check=False,
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    sys.path.insert(0, str(ROOT / "bench"))
    users = {FLOOR: 5} | {name: 3 for name in (
        "contributor dashboard /me/", "staff project dashboard /projects/<id>/", "project list /projects/",
        "claims review queue /claims/review/", "payment batch CSV")}
    table = summarise(Path(f"{prefix}_stats.csv"), users)
    (ROOT / "bench" / "results" / f"{args.label}_table.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
