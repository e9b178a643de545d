"""Random text, numbers, dates and files thrown at every form of the project (found by walking
every URL as each kind of user and reading the forms on the page): the answer is always the
form again with errors, a redirect, or a refusal, never a server error."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .urlwalk import resolve_all
from .world import build_world, url_kwargs

EXAMPLES_PER_FORM = 4
SKIPPED_ACTIONS = ("/accounts/logout/",)


class FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action"),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            field = self._form["fields"].setdefault(a["name"], {"kind": kind, "options": []})
            if kind in ("radio", "checkbox", "hidden", "submit") and a.get("value") is not None:
                field["options"].append(a["value"])
        elif tag == "textarea":
            self._form["fields"].setdefault(a["name"], {"kind": "text", "options": []})
        elif tag == "select":
            self._select = self._form["fields"].setdefault(a["name"], {"kind": "select", "options": []})
        elif tag == "button" and a.get("value") is not None:
            self._form["fields"].setdefault(a["name"], {"kind": "submit", "options": []})["options"].append(
                a["value"]
            )

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        pass


class OptionReader(FormReader):
    """Also reads <option value> into the current select."""

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None:
            value = dict(attrs).get("value")
            if value is not None:
                self._select["options"].append(value)
            return
        super().handle_starttag(tag, attrs)


def read_forms(html: str) -> list[dict]:
    reader = OptionReader()
    reader.feed(html)
    return reader.forms


TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "Zoë O'Brien", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "🙂" * 50]),
    st.text(min_size=300, max_size=5000),
)
NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.sampled_from(["1e309", "-0", "0.001", "12,50", "£12.50", "NaN", "Infinity", "99999999999.99"]),
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(["2025-02-30", "0000-00-00", "9999-12-31T23:59", "31/12/2025", "yesterday", ""]),
)
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.pdf", "a.jpg", "../../x.png", "收据.pdf", "noext", ""]).map(lambda n: n or "file"),
    st.binary(max_size=2000),
)


def value_for(kind: str, options: list[str]):
    if kind == "file":
        return FILES
    if kind in ("number",):
        return NUMBER
    if kind in ("date", "datetime-local", "time"):
        return DATES
    if options:
        return st.one_of(st.sampled_from(options), TEXT, NUMBER)
    if kind == "checkbox":
        return st.sampled_from(["on", "", "garbage"])
    return st.one_of(TEXT, NUMBER, DATES)


@pytest.fixture
def world(db):
    return build_world()


def discover_forms(client, world) -> list[tuple[str, dict]]:
    urls, _unknown = resolve_all(url_kwargs(world))
    found, seen = [], set()
    for _route, url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in read_forms(response.content.decode()):
            action = form["action"] or url
            if action.startswith(SKIPPED_ACTIONS) or not form["fields"]:
                continue
            key = (action, form["method"], tuple(sorted(form["fields"])))
            if key not in seen:
                seen.add(key)
                found.append((action, form))
    return found


@pytest.mark.parametrize("who", ["contributor_a", "project_staff", "admin"])
def test_no_form_gives_a_server_error_whatever_is_typed(world, client, who):
    client.raise_request_exception = False
    client.force_login(world.users()[who])
    forms = discover_forms(client, world)
    assert len(forms) >= 5
    failures = []

    for action, form in forms:
        try:
            _thrower(client, action, form, failures)()
        except AssertionError:
            pass  # recorded in failures, with the smallest input hypothesis found
        client.force_login(world.users()[who])  # a form may have logged the user out
    assert sorted(set(failures)) == []


def _thrower(client, action, form, failures):
    fields = form["fields"]

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def throw(data):
        payload = {}
        for name, spec in fields.items():
            if spec["kind"] in ("hidden", "submit") or data.draw(st.booleans(), label=f"send {name}"):
                payload[name] = data.draw(value_for(spec["kind"], spec["options"]), label=name)
        if form["method"] == "post":
            response = client.post(action, payload)
        else:
            response = client.get(action, {k: v for k, v in payload.items() if isinstance(v, str)})
        if response.status_code >= 500:
            failures.append(f"{form['method'].upper()} {action} gave {response.status_code}")
        assert response.status_code < 500

    return throw
