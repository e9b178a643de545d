"""Locust load for the benchmark's latency run (started by bench/run.py, which logs each person
in once through the real login form and writes bench/session.json: targets, session cookies and
the pages to load).

Each page of bench/pages.py has its own users (Page.users), logged in as the person who uses it,
pausing BENCH_THINK seconds (e.g. "1,3") between requests as people reading do; the figures are
each page's p50/p95 with the others running.

The site runs as in production (DEBUG=false): cookies are Secure, so over plain http on
loopback we say we came through an https proxy (the settings trust X-Forwarded-Proto) and carry
the cookie ourselves.
"""

import json
import os
import sys

from locust import HttpUser, between, constant

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench.pages import BY_KEY, FLOOR  # noqa: E402

SESSION = json.load(open(os.environ["BENCH_SESSION"]))
PROXY = {"X-Forwarded-Proto": "https"}
THINK = [float(x) for x in os.environ["BENCH_THINK"].split(",")] if os.environ.get("BENCH_THINK") else None


class PageUser(HttpUser):
    abstract = True
    wait_time = between(*THINK) if THINK else constant(0)
    page = None

    def fetch(self):
        url = self.page.url(SESSION["targets"])
        headers = PROXY | {"Cookie": SESSION["cookies"][self.page.who]}
        with self.client.get(url, headers=headers, name=self.page.name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


def _user_class(page):
    def task(self):
        self.fetch()

    return type(f"User_{page.key}", (PageUser,), {"page": page, "fixed_count": page.users, "tasks": [task]})


for _page in [FLOOR, *(BY_KEY[key] for key in SESSION["pages"])]:
    globals()[f"User_{_page.key}"] = _user_class(_page)
