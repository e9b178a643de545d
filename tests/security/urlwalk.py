"""Discover every URL pattern of the project, so a new view is tested without anyone listing it."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Not ours: Django's admin and allauth's own pages have their own tests upstream.
SKIPPED_PREFIXES = ("admin/", "accounts/")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            params = tuple(_params(entry, prefix))
            yield Route(name=f"{namespace}{entry.name}" if entry.name else "", route=route, params=params)


def _params(entry, prefix):
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", prefix + str(entry.pattern))


def project_routes() -> list[Route]:
    routes = [r for r in _walk(get_resolver().url_patterns) if not r.route.startswith(SKIPPED_PREFIXES)]
    return sorted(set(routes), key=lambda r: r.route)


def resolve_all(kwargs_by_name: dict) -> tuple[list[tuple[Route, str]], list[Route]]:
    """Every route as a URL, plus the routes nobody said how to fill (a new view: add it)."""
    urls, unknown = [], []
    for route in project_routes():
        if not route.name:
            unknown.append(route)
            continue
        if route.params:
            kwargs = kwargs_by_name.get(route.name)
            if kwargs is None:
                unknown.append(route)
                continue
            urls.append((route, reverse(route.name, kwargs=kwargs)))
        else:
            urls.append((route, reverse(route.name)))
    return urls, unknown


def body(response) -> str:
    if getattr(response, "streaming", False):
        # Reading it all lets the test client close it; closing it here would fire
        # request_finished and close the test's database connection.
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")
