"""One way to cut a list into pages: the page named by ?page=, the last page when it is too high,
the first when it is not a number."""

from django.core.paginator import Page, Paginator


def page_of(request, items, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
