"""The benchmark: every page alone at saturation against the logged-in floor, then the
closed-loop latency run with people's pauses. Both against gunicorn (4 sync workers,
DEBUG=false) on PostgreSQL, on loopback.

    .venv/bin/python bench/run.py --setup --scale 1   # create the database, migrate, seed, build N=1
    .venv/bin/python bench/run.py --label n1          # both measurements on the database as it is
    .venv/bin/python bench/run.py --label n1 --only throughput      # or --only latency
    .venv/bin/python bench/run.py --label n1 --pages me,reach       # some pages (and the floor)

Throughput: for each page of bench/pages.py, `wrk -t1 -c4 -d10s` (after a 2 s warm-up) with the
session cookie of the person who uses it; the floor (/accessibility/ as a contributor) is
measured at the start, in the middle and at the end, and each page's req/s is divided by the
floor's mean. The load average is read before every page. Latency: locust, each page with its
own users pausing 1-3 s between requests, for p50/p95.

Writes bench/results/<label>.md (the tables with the command, machine, date and load),
<label>_throughput.json and <label>_latency_*.csv. Needs Debian's wrk (`apt-get install wrk`;
`make bench` installs it when missing). Not part of `make test`.
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import FLOOR, PAGES, TARGETS_SCRIPT  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coprod_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
PROXY = {"X-Forwarded-Proto": "https"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def env(debug: bool) -> dict:
    e = os.environ.copy()
    e.update(DATABASE_URL=DB, DEBUG="true" if debug else "false", LOG_LEVEL="WARNING")
    # Production mode refuses to start without a bank details key.
    e.setdefault("BANK_DETAILS_KEYS", "YmVuY2gtb25seS1iYW5rLWRldGFpbHMta2V5LTAwMDE=")
    if not debug:
        e.update(SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false",
                 EMAIL_URL="", CELERY_BROKER_URL="")
    return e


def manage(*args, debug=True):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(debug), check=True)


def setup(scale: str):
    name = DB.rsplit("/", 1)[1]
    admin = DB.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name}",
                    "-c", f"CREATE DATABASE {name}"], check=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo")
    started = time.monotonic()
    subprocess.run([PY, "bench/seed_scale.py", "--scale", scale], cwd=ROOT, env=env(True), check=True)
    print(f"bench/seed_scale.py --scale {scale}: {time.monotonic() - started:.0f}s wall clock")


def targets() -> dict:
    out = subprocess.run([PY, "manage.py", "shell", "-c", TARGETS_SCRIPT], cwd=ROOT, env=env(True),
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    (ROOT / "bench" / "targets.json").write_text(json.dumps(data, indent=1))
    return data


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    versions = {}
    for name, cmd in {
        "postgresql": ["psql", "--version"], "wrk": ["wrk", "--version"],
        "gunicorn": [str(BIN / "gunicorn"), "--version"], "locust": [str(BIN / "locust"), "--version"],
        "django": [PY, "-c", "import django; print(django.get_version())"],
    }.items():
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            first = (out.stdout or out.stderr).strip().splitlines()[0]
            versions[name] = " ".join(first.split()[:2]) if name in ("wrk", "locust") else first
        except (OSError, IndexError, subprocess.SubprocessError):
            versions[name] = "?"
    return {"cpu": f"{os.cpu_count()} x {cpu}", "memory_gb": mem, "python": platform.python_version(),
            "os": platform.platform(), **versions}


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


def log_in(email: str, password: str) -> str:
    """The real login form, once per person. The production session cookie is Secure, so over
    plain http we say we came through the https proxy (the settings trust X-Forwarded-Proto),
    send an https Referer for the CSRF check and carry the cookies ourselves."""
    import requests

    form = requests.get(HOST + "/accounts/login/", headers=PROXY, timeout=30)
    csrf = form.cookies.get("csrftoken")
    token = CSRF_FIELD.search(form.text).group(1)
    done = requests.post(
        HOST + "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers=PROXY | {"Cookie": f"csrftoken={csrf}", "Referer": f"https://127.0.0.1:{PORT}/accounts/login/"},
        allow_redirects=False, timeout=60,
    )
    session = done.cookies.get("sessionid")
    if done.status_code != 302 or not session:
        raise SystemExit(f"Login failed for {email}: {done.status_code}")
    return f"sessionid={session}; csrftoken={csrf}"


def drain(timeout=600):
    """Wait until the server is idle: when wrk stops, requests it left in flight (or queued) are
    still being served, and would slow the next page's measurement."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(HOST + "/healthz", timeout=timeout) as r:
            r.read()
        if time.monotonic() - started < 0.2:
            return
    raise SystemExit("the server stayed busy after the last page")


def check_page(url: str, cookie: str) -> tuple[int, float]:
    """One request before measuring: the page must answer 200 to this person (not a redirect to
    the login page or a 403), or its req/s would measure the wrong thing. Returns its size and
    how long it took alone."""
    import requests

    started = time.monotonic()
    response = requests.get(HOST + url, headers=PROXY | {"Cookie": cookie}, allow_redirects=False,
                            timeout=300)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, not 200")
    return len(response.content), time.monotonic() - started


def wrk(url: str, cookie: str, seconds: float, connections: int) -> dict:
    seconds = max(1, round(seconds))  # wrk takes whole seconds
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency",
           "-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https", HOST + url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def find(pattern, cast=float, default=None):
        match = re.search(pattern, out, re.MULTILINE)
        return cast(match.group(1)) if match else default

    def ms(text):
        if not text or not re.match(r"[\d.]+(us|ms|s|m)", text):
            return None
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    return {
        "rps": find(r"Requests/sec:\s+([\d.]+)"),
        "requests": find(r"(\d+) requests in", int),
        "non_2xx_3xx": find(r"Non-2xx or 3xx responses: (\d+)", int, 0),
        "socket_errors": find(r"Socket errors: (.*)", str, ""),
        "p50_ms": ms(find(r"^\s+50%\s+(\S+)", str)),
        "p99_ms": ms(find(r"^\s+99%\s+(\S+)", str)),
        "seconds": seconds,
        "output": out,
        "command": " ".join(shlex.quote(c) for c in cmd).replace(cookie, "<session cookie>"),
    }


def throughput(t: dict, cookies: dict, pages: list, seconds: float, connections: int, every: int) -> dict:
    order = []
    for i, page in enumerate(pages):
        if i % every == 0:
            order.append(FLOOR)
        order.append(page)
    order.append(FLOOR)
    runs = []
    for page in order:
        url, cookie = page.url(t), cookies[page.who]
        drain()
        size, alone = check_page(url, cookie)
        # Warm-up (every worker has loaded the page's code), then the measurement; a slow page
        # runs longer, so that about twenty of its requests finish inside the run.
        wrk(url, cookie, min(30, max(2, 2 * alone)), connections)
        load = load_average()
        result = wrk(url, cookie, min(180, max(seconds, 10 * alone)), connections)
        if result["non_2xx_3xx"] or result["socket_errors"]:
            print(f"  !! {page.name}: {result['non_2xx_3xx']} bad answers, "
                  f"socket errors {result['socket_errors']}")
        runs.append({"key": page.key, "name": page.name, "who": page.who, "url": url, "bytes": size,
                     "load_before": load, **result})
        print(f"  {page.name:50} {result['rps']:8.1f} req/s  p50 {result['p50_ms'] or 0:7.1f} ms  "
              f"load {load}")
    floors = [r["rps"] for r in runs if r["key"] == FLOOR.key]
    floor = statistics.mean(floors)
    # The machine is shared: each page is also compared with the floor measured just before and
    # just after it, which saw the same background load more nearly than the mean did.
    for i, r in enumerate(runs):
        before = next(x["rps"] for x in reversed(runs[: i + 1]) if x["key"] == FLOOR.key)
        after = next(x["rps"] for x in runs[i:] if x["key"] == FLOOR.key)
        r["floor_around"] = (before + after) / 2
        r["share"] = r["rps"] / r["floor_around"]
        r["share_of_mean"] = r["rps"] / floor
    return {"floor_runs": floors, "floor_mean": floor, "floor_spread": (max(floors) - min(floors)) / floor,
            "runs": runs}


def latency(t: dict, cookies: dict, pages: list, label: str, seconds: str, think: str) -> dict:
    session = ROOT / "bench" / "session.json"
    session.write_text(json.dumps({"targets": t, "cookies": cookies, "pages": [p.key for p in pages]}))
    users = sum(p.users for p in [FLOOR, *pages])
    prefix = RESULTS / f"{label}_latency"
    cmd = [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "-u", str(users), "-r", str(users),
           "-t", seconds, "--host", HOST, "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"]
    load = load_average()
    subprocess.run(cmd, cwd=ROOT, env=env(False) | {"BENCH_SESSION": str(session), "BENCH_THINK": think},
                   check=False)
    session.unlink()
    return {"command": " ".join(cmd).replace(str(ROOT) + "/", ""), "load_before": load,
            "load_after": load_average(), "users": users, "think": think, "csv": f"{prefix.name}_stats.csv"}


def latency_table(lat: dict, pages: list) -> list[str]:
    import csv

    users = {p.name: p.users for p in [FLOOR, *pages]}
    rows = {r["Name"]: r for r in csv.DictReader((RESULTS / lat["csv"]).open()) if r["Type"] == "GET"}
    lines = ["| page | users | requests | failures | req/s | p50 ms | p95 ms | max ms |",
             "|---|---|---|---|---|---|---|---|"]
    for name in users:
        r = rows.get(name)
        if r:
            lines.append(f"| {name} | {users[name]} | {r['Request Count']} | {r['Failure Count']} | "
                         f"{float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | "
                         f"{float(r['Max Response Time']):.0f} |")
    return lines


def ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def report(label: str, command: str, t: dict, info: dict, started: str, thr: dict | None, lat: dict | None,
           pages: list, workers: str) -> str:
    lines = [f"# Benchmark `{label}`", "",
             f"- command: `{command}`",
             f"- date: {started} (UTC)",
             f"- machine: {info['cpu']}, {info['memory_gb']} GB RAM, {info['os']}",
             f"- software: Python {info['python']}, Django {info['django']}, {info['gunicorn']}, "
             f"{info['postgresql']}, {info['wrk']}, {info['locust']}",
             f"- server: gunicorn `coproduction.wsgi`, {workers} sync workers, DEBUG=false, 127.0.0.1:{PORT}",
             f"- data: {t['contributors']:,} contributors, {t['projects']:,} projects, "
             f"{t['claims']:,} claims; "
             f"contributor {t['contributor']} ({t['contributor_claims']} claims), staff {t['staff']} "
             f"(project {t['project']}, {t['project_claims']} claims), finance {t['finance']} "
             f"(batch {t['batch']}, {t['batch_claims']} claims)", ""]
    if thr:
        runs = thr["runs"]
        lines += [
            "## Throughput: each page alone at saturation", "",
            f"`{runs[0]['command']}` per page, with the session cookie of the person who uses it, after a "
            "warm-up of 2 s; a page slower than 1 s alone runs 10 times as long as one request alone "
            "(at most 180 s) so that about twenty requests finish. The floor, measured before every few "
            "pages and at the end: "
            + ", ".join(f"{f:.0f}" for f in thr["floor_runs"])
            + f" req/s (mean {thr['floor_mean']:.0f}, spread max-min {100 * thr['floor_spread']:.0f}% of the "
            "mean). **Share** = the page's req/s / the mean of the floor runs just before and after it "
            "(\"floor around\"); \"share of mean\" divides by the mean of all floor runs.", "",
            "| page | who | req/s | share of floor | floor around | share of mean | p50 ms | p99 ms | KB "
            "| s | load average before |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in runs:
            bad = f" ({r['non_2xx_3xx']} not 200)" if r["non_2xx_3xx"] else ""
            lines.append(f"| {r['name']} | {r['who']} | {r['rps']:.1f}{bad} | **{r['share']:.2f}** | "
                         f"{r['floor_around']:.0f} | {r['share_of_mean']:.2f} | {ms(r['p50_ms'])} | "
                         f"{ms(r['p99_ms'])} | {r['bytes'] / 1024:.0f} | {r['seconds']:.0f} | "
                         f"{r['load_before']} |")
        lines.append("")
    if lat:
        lines += ["## Latency: people pausing between pages (closed loop)", "",
                  f"`{lat['command']}`, BENCH_THINK={lat['think']} s: {lat['users']} users, each page "
                  f"with its own. Load average {lat['load_before']} before, {lat['load_after']} after.", "",
                  *latency_table(lat, pages), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="The benchmark: see bench/README.md.")
    parser.add_argument("--setup", action="store_true", help="create, migrate and seed the database first")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--label", default="latest")
    parser.add_argument("--only", choices=["throughput", "latency"])
    parser.add_argument("--pages", default="", help="comma-separated page keys (bench/pages.py); default all")
    parser.add_argument("--seconds", type=float, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--floor-every", type=int, default=4, help="measure the floor before every N pages")
    parser.add_argument("--workers", default="4")
    parser.add_argument("--time", default="120s", help="latency run duration")
    parser.add_argument("--think", default="1,3", help="latency run: pause between pages (seconds)")
    args = parser.parse_args()
    if not shutil.which("wrk") and args.only != "latency":
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does it)")
    command = "bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    if args.setup:
        setup(args.scale)
    keys = [k for k in args.pages.split(",") if k]
    pages = [p for p in PAGES if not keys or p.key in keys]
    t = targets()
    print("targets:", t)
    info = machine()
    manage("collectstatic", "--noinput", "-v0", debug=False)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "coproduction.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", args.workers,
         "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=env(False), start_new_session=True,
    )
    thr = lat = None
    try:
        wait_up()
        cookies = {who: log_in(t[who], t["password"]) for who in ("contributor", "staff", "finance")}
        cookies["anonymous"] = "visitor=1"  # a public page: no session
        if args.only != "latency":
            thr = throughput(t, cookies, pages, args.seconds, args.connections, args.floor_every)
        if args.only != "throughput":
            lat = latency(t, cookies, pages, args.label, args.time, args.think)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    if thr:
        (RESULTS / f"{args.label}_throughput.json").write_text(
            json.dumps({"command": command, "date": started, "machine": info, "targets": t, **thr}, indent=1,
                       default=str))
    text = report(args.label, command, t, info, started, thr, lat, pages, args.workers)
    (RESULTS / f"{args.label}.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
