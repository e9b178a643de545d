"""Run by tests/test_demo_on_sqlite.py in a process of its own, on the database DATABASE_URL
names: open every page the demo's three people can reach by following links from their home
page, and print each one that fails (a server error) with its traceback."""

import os
import sys
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from contributors.models import User  # noqa: E402

# Leaving the session, or pages that only answer a form (a GET shows the form or a 405).
SKIP = ("/accounts/logout/", "/static/", "/media/")
MOST_PAGES = int(os.environ.get("CRAWL_MOST_PAGES", "400"))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def crawl(email: str) -> list[str]:
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    seen, queue, failures = {"/"}, deque(["/"]), []
    while queue and len(seen) <= MOST_PAGES:
        path = queue.popleft()
        response = client.get(path, follow=False)
        if response.status_code >= 500:
            failures.append(f"{email} {path}: {response.status_code}")
            continue
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            if not target.netloc:
                link = urldefrag(urljoin(path, response["Location"]))[0]
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            continue
        if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.found:
            link = urldefrag(urljoin(path, href))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    print(f"{email}: {len(seen)} pages", file=sys.stderr)
    return failures


if __name__ == "__main__":
    setup_test_environment()
    failures = []
    for email in ("admin@example.org", "staff@example.org", "contributor@example.org"):
        failures += crawl(email)
    print("\n".join(failures))
    sys.exit(1 if failures else 0)
