"""Every date, time and date-time box on the site shows its value in the ISO form browsers read.

A browser's <input type="date"> shows "19/11/2026" as an empty box: the claim form's line dates,
a meeting's date and a batch's "Date paid" looked empty and had to be typed again.
"""

import importlib
import pkgutil
import re
from datetime import date, datetime, time
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.utils import translation

from core.widgets import DatePicker, DateTimePicker, TimePicker

ROOT = Path(__file__).resolve().parents[2]
APPS = ["contributors", "projects", "expenses", "reminders", "coproduction", "core"]
PICKERS = {forms.DateField: DatePicker, forms.DateTimeField: DateTimePicker, forms.TimeField: TimePicker}


def test_the_widgets_render_iso_whatever_the_language():
    with translation.override("en-gb"):
        assert 'type="date"' in DatePicker().render("d", date(2026, 11, 19))
        assert 'value="2026-11-19"' in DatePicker().render("d", date(2026, 11, 19))
        assert 'value="09:05"' in TimePicker().render("t", time(9, 5))
        assert 'type="datetime-local"' in DateTimePicker().render("m", datetime(2026, 11, 19, 18, 30))
        assert 'value="2026-11-19T18:30"' in DateTimePicker().render("m", datetime(2026, 11, 19, 18, 30))
    # What the browser sends back is read as the same date.
    assert forms.DateField(widget=DatePicker).clean("2026-11-19") == date(2026, 11, 19)


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in info.name for part in (".migrations", ".management", ".admin", "tests")):
                continue
            yield importlib.import_module(info.name)


def _date_fields():
    """(form class, field name, field) for every date-like field of every form of the site."""
    seen = set()
    for module in _modules():
        for value in vars(module).values():
            if not isinstance(value, type) or value in seen or value.__module__ != module.__name__:
                continue
            seen.add(value)
            if issubclass(value, forms.BaseForm):
                fields = value.base_fields.items()
            elif issubclass(value, django_filters.FilterSet):
                fields = ((name, f.field) for name, f in value.base_filters.items())
            else:
                continue
            for name, field in fields:
                for kind in PICKERS:
                    if isinstance(field, kind):
                        yield value, name, field, kind


def test_every_date_time_and_date_time_field_of_every_form_uses_the_shared_widgets():
    found = list(_date_fields())
    assert len(found) >= 10  # claims, direct costs, batches, filters, projects, roles, meetings
    wrong = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form, name, field, kind in found
        if not isinstance(field.widget, PICKERS[kind])
    ]
    assert wrong == []


def test_no_date_widget_is_made_without_an_iso_format_outside_core():
    """Someone adding forms.DateInput(...) by hand must give the format, or use core.widgets."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "core/")) or "/migrations/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(DateInput|DateTimeInput|TimeInput)\(", text):
            call = text[match.start() : text.find(")", match.end()) + 1]
            if "format=" not in call:
                offenders.append(f"{relative}: {call}")
    assert offenders == []


def test_core_imports_no_app_of_the_project():
    """core/ is the floor below every app: it may be imported by any of them, never the reverse."""
    import ast

    apps = {"contributors", "projects", "expenses", "reminders", "coproduction"}
    wrong = []
    for path in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            wrong += [f"{path.name}: {name}" for name in names if name.split(".")[0] in apps]
    assert wrong == []


@pytest.mark.django_db
def test_every_date_box_on_every_page_shows_an_iso_value(client):
    """Walk every page as the people who fill in forms: any date box holding a value holds ISO."""
    from tests.security.urlwalk import body, resolve_all
    from tests.security.world import build_world, url_kwargs

    world = build_world()
    urls, _unknown = resolve_all(url_kwargs(world))
    patterns = {
        "date": r"\d{4}-\d{2}-\d{2}",
        "time": r"\d{2}:\d{2}",
        "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
    }
    tag = re.compile(r"<input[^>]*type=\"(date|time|datetime-local)\"[^>]*>")
    checked, wrong = 0, []
    for who in ("contributor_a", "project_staff", "admin"):
        client.force_login(world.users()[who])
        for _route, url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for found in tag.finditer(body(response)):
                value = re.search(r'value="([^"]*)"', found.group(0))
                if value is None:
                    continue
                checked += 1
                if not re.fullmatch(patterns[found.group(1)], value.group(1)):
                    wrong.append(f"{url}: {found.group(0)}")
    assert checked >= 3  # a batch's "Date paid", a project's dates, a meeting's times at least
    assert wrong == []
