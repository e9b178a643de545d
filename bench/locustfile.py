"""Locust load for the benchmark (run through bench/run.py, which starts gunicorn and writes
bench/targets.json: who logs in and which project and batch to open).

Each page has its own kind of user with a fixed number of users and no wait time, so every
page is measured under the same concurrency in one run, and a page's throughput per user
(1 / its latency) compares directly with the /healthz floor's.

The site runs as in production (DEBUG=false): cookies are Secure and CSRF checks the Referer
on https. Over plain http on loopback we say we came through an https proxy (the settings
trust X-Forwarded-Proto) and carry the cookies ourselves.
"""

import json
import os
import re
import time

from locust import HttpUser, between, constant, task

HERE = os.path.dirname(__file__)
TARGETS = json.load(open(os.environ.get("BENCH_TARGETS", os.path.join(HERE, "targets.json"))))
PROXY = {"X-Forwarded-Proto": "https"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# BENCH_THINK="0.5,1.5": each user pauses between pages like a person reading (latency phase);
# unset: no pause, so the run measures how many requests each page can serve (throughput phase).
WARM_UP_UNTIL = time.time() + float(os.environ.get("BENCH_WARM_UP", "8"))
THINK = [float(x) for x in os.environ["BENCH_THINK"].split(",")] if os.environ.get("BENCH_THINK") else None


class Page(HttpUser):
    abstract = True
    wait_time = between(*THINK) if THINK else constant(0)
    email = None

    def on_start(self):
        self.cookie = ""
        if self.email:
            self.log_in()
        # Logging in hashes a password (about half a second of CPU each, on purpose): let every
        # user finish before anyone measures pages, so the figures are the pages' own.
        time.sleep(max(0.0, WARM_UP_UNTIL - time.time()))

    def log_in(self):
        login = self.client.get("/accounts/login/", headers=PROXY, name="login form")
        csrf = login.cookies.get("csrftoken")
        token = CSRF_FIELD.search(login.text).group(1)
        done = self.client.post(
            "/accounts/login/",
            data={"login": self.email, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
            headers=PROXY | {"Cookie": f"csrftoken={csrf}", "Referer": f"https://{self.host.split('://')[1]}/accounts/login/"},
            allow_redirects=False,
            name="login",
        )
        session = done.cookies.get("sessionid")
        if done.status_code != 302 or not session:
            raise RuntimeError(f"Login failed for {self.email}: {done.status_code}")
        self.cookie = f"sessionid={session}; csrftoken={csrf}"
        self.client.cookies.clear()

    def fetch(self, path, name):
        with self.client.get(path, headers=PROXY | {"Cookie": self.cookie}, name=name,
                             allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class Floor(Page):
    fixed_count = 5

    @task
    def healthz(self):
        self.fetch("/healthz", "floor /healthz")


class ContributorDashboard(Page):
    fixed_count = 3
    email = TARGETS["contributor"]

    @task
    def dashboard(self):
        self.fetch("/me/", "contributor dashboard /me/")


class ProjectDashboard(Page):
    fixed_count = 3
    email = TARGETS["staff"]

    @task
    def dashboard(self):
        self.fetch(f"/projects/{TARGETS['project']}/", "staff project dashboard /projects/<id>/")


class ProjectList(Page):
    fixed_count = 3
    email = TARGETS["staff"]

    @task
    def projects(self):
        self.fetch("/projects/", "project list /projects/")


class ReviewQueue(Page):
    fixed_count = 3
    email = TARGETS["finance"]

    @task
    def queue(self):
        self.fetch("/claims/review/", "claims review queue /claims/review/")


class BatchCsv(Page):
    fixed_count = 3
    email = TARGETS["finance"]

    @task
    def csv(self):
        self.fetch(f"/claims/batches/{TARGETS['batch']}/claims.csv", "payment batch CSV")
