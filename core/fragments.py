"""Rendered page fragments kept in the cache, with a key that changes when the data does.

Each app's tables have a version in the cache (a random token). Every INSERT, UPDATE or DELETE
Django sends to one of an app's tables gives that app a new version after the transaction
commits (and at once too, unless the cache is the database, whose rows would stay locked until
the commit); a fragment's key holds the versions of the apps it reads, so the first request
after a change renders it again. The writes are seen where Django runs SQL (an execute
wrapper on every connection), so `update()`, `bulk_create()`, the admin and services are all
covered without each of them having to say so; SQL written outside Django (psql, COPY) is
not, and the short lifetime of every fragment (a minute) bounds that, and what changes only
with the time of day ("upcoming meetings").

Each process keeps the fragments it rendered (the "fragments" cache in settings): the shared
cache holds only the versions, so fragments never push out its rate limits and used codes.

A fragment never holds a CSRF token: it is rendered with a placeholder that each request
replaces with its own. If the cache is down, the fragment is rendered every time.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from functools import cache as cache_result
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TIMEOUT = 60  # seconds: bounds what no write announces (the clock, SQL outside Django)
CSRF_PLACEHOLDER = "csrf-token-placeholder-4f1c"
WRITES = ("INSERT", "UPDATE", "DELETE")
WRITTEN_TABLE = re.compile(r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_tables: dict[str, str] = {}


@cache_result
def project_apps() -> tuple[str, ...]:
    """The labels of the project's own apps (those under BASE_DIR), whatever is added later."""
    base = str(settings.BASE_DIR)
    return tuple(
        sorted(
            config.label
            for config in apps.get_app_configs()
            if config.path.startswith(base) and "site-packages" not in config.path
        )
    )


def _app_of_table(table: str) -> str | None:
    if not _tables:
        mine = set(project_apps())
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in mine:
                _tables[model._meta.db_table] = model._meta.app_label
        # Display names and e-mail addresses shown on pages live in allauth's table too.
        _tables.setdefault("account_emailaddress", "contributors")
    return _tables.get(table)


def _version_key(label: str) -> str:
    return f"data-version:{label}"


def _bump(labels: Iterable[str]) -> None:
    try:
        cache.set_many({_version_key(label): secrets.token_hex(8) for label in labels}, None)
    except Exception as error:  # the cache is down (or not made yet): fragments expire within TIMEOUT
        logger.warning("could not record a change of %s in the cache: %s", ",".join(labels), error)


def data_changed(label: str, *, using: str = "default") -> None:
    """Give `label`'s data a new version: now (not with the database cache) and after commit."""
    connection = connections[using]
    in_database = isinstance(caches["default"], DatabaseCache)
    if not connection.in_atomic_block or not in_database:
        _bump([label])
    if not connection.in_atomic_block:
        return
    # One callback per app per transaction; a rolled-back block drops its callbacks.
    for _sids, func, *_rest in connection.run_on_commit:
        if getattr(func, "fragment_label", None) == label:
            return
    callback = partial(_bump, [label])
    callback.fragment_label = label
    connection.on_commit(callback)


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: note which app's table an INSERT, UPDATE or DELETE wrote."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:6].upper() in WRITES:
        found = WRITTEN_TABLE.match(sql.lstrip())
        label = found and _app_of_table(found.group(1))
        if label:
            data_changed(label, using=context["connection"].alias)
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: watch every connection's writes."""
    if connection is not None and watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def _fragments():
    """Where fragments are kept: each process's own cache when settings name one ("fragments"),
    else the shared cache (as in tests, which give each test its own)."""
    return caches["fragments"] if "fragments" in settings.CACHES else cache


def _versions(labels: list[str]) -> list[str]:
    keys = [_version_key(label) for label in labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never written, or evicted: start a new version
            cache.add(key, secrets.token_hex(8), None)
            found[key] = cache.get(key)
    return [str(found[key]) for key in keys]


def fragment_key(name: str, *, parts: Iterable = (), depends_on: Iterable[str] | None = None) -> str:
    """The key of a fragment as the data is now (reads the versions from the shared cache)."""
    versions = _versions(sorted(depends_on or project_apps()))
    raw = repr((name, tuple(parts), get_language(), versions))
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_stream(
    name: str,
    blocks: Callable[[], Iterable[str]],
    *,
    parts: Iterable = (),
    most_bytes: int = 256 * 1024,
    timeout: int = TIMEOUT,
) -> Iterable[str]:
    """The blocks of a download from the cache while its data is unchanged. A file bigger than
    `most_bytes` is not kept: it streams from the database every time, in constant memory."""
    try:
        key = fragment_key(name, parts=parts)
        kept = _fragments().get(key)
    except Exception:
        logger.warning("the cache is unavailable: streaming %s", name, exc_info=True)
        return blocks()
    if kept is not None:
        return iter([kept])
    return _keep_while_small(blocks(), key, most_bytes, timeout)


def _keep_while_small(blocks: Iterable[str], key: str, most_bytes: int, timeout: int):
    written, size = [], 0
    for block in blocks:
        yield block
        if written is not None:
            size += len(block)
            written = written + [block] if size <= most_bytes else None
    if written is not None:
        try:
            _fragments().set(key, "".join(written), timeout)
        except Exception:
            logger.warning("could not keep a download in the cache", exc_info=True)


def cached_fragment(
    request,
    name: str,
    make: Callable[[str], str],
    *,
    parts: Iterable = (),
    depends_on: Iterable[str] | None = None,
    timeout: int = TIMEOUT,
) -> SafeString:
    """The HTML `make(csrf_token)` makes, from the cache while the data it reads is unchanged.

    `parts` says whose and which (user id, query string): everything the HTML depends on that
    is not data. `depends_on`: the app labels whose tables it reads (default: all of them)."""
    try:
        key = fragment_key(name, parts=parts, depends_on=depends_on)
        html = _fragments().get(key)
    except Exception:
        logger.warning("the cache is unavailable: rendering %s", name, exc_info=True)
        return mark_safe(make(get_token(request)))
    if html is None:
        html = str(make(CSRF_PLACEHOLDER))
        try:
            _fragments().set(key, html, timeout)
        except Exception:
            logger.warning("could not keep %s in the cache", name, exc_info=True)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)


FRAGMENT_BASE = "includes/fragment.html"  # only {% block content %}
CACHED_PAGE = "includes/cached_page.html"  # base.html around a cached body


def render_cached(
    request,
    template: str,
    context_of: Callable[[], dict],
    *,
    title: str,
    parts: Iterable = (),
    depends_on: Iterable[str] | None = None,
):
    """Render `template` (which extends `base_template|default:"base.html"`) with its content
    block from the cache: `context_of()` runs only when the block is rendered again. The page
    around it (menu, messages, title) is rendered for each request."""

    def body(csrf_token: str) -> str:
        context = {**context_of(), "base_template": FRAGMENT_BASE, "csrf_token": csrf_token}
        return render_to_string(template, context, request)

    html = cached_fragment(request, template, body, parts=parts, depends_on=depends_on)
    return render(request, CACHED_PAGE, {"title": title, "body": html})
