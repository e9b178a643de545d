"""`make run` uses SQLite when no DATABASE_URL is set: every page the demo's people can reach
by following links must work there too (the funder report once did not: PostgreSQL-only SQL)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_the_demo_links_to_works_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", DEBUG="true")

    def manage(*args):
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=600)

    for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "seed_demo"]):
        done = manage(*step)
        assert done.returncode == 0, done.stdout + done.stderr
    crawl = manage("-m", "tests.demo_crawl.crawl")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr[-5000:]
    # It did walk the site: each person reached many pages.
    assert all(int(line.split(": ")[1].split()[0]) > 10 for line in crawl.stderr.splitlines()
               if line.endswith(" pages")), crawl.stderr
