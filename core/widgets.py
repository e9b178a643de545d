"""Form widgets shared by every form of the site.

Date, time and date-time boxes: a browser's <input type="date"> reads and writes only ISO
(2026-11-19), whatever the page's language. Django would render the en-GB input format
(19/11/2026), which the browser shows as an empty box. Every such box uses these widgets, so
the value the page holds is always shown (a test walks every form to keep it so).

FastSelect: tuned for speed, found by the benchmark (bench/README.md).
"""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DatePicker(forms.DateInput):
    """The browser's own date box, its value in ISO form."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class TimePicker(forms.TimeInput):
    """The browser's own time box (24-hour HH:MM)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_TIME)


class DateTimePicker(forms.DateTimeInput):
    """The browser's own date-and-time box (local time, YYYY-MM-DDTHH:MM)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATETIME)


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders each option through a
    template include, which made a 200-project filter cost 50-90 ms a page; the HTML is the
    same (name, attributes, selected option), without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        # Django's option dicts and format_html per option were most of a 200-option filter's
        # cost (bench/); the standard library's escape gives the same text (&#x27; for ').
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)  # option groups: Django's way
            text = "" if option_value is None else str(option_value)
            chosen = " selected" if text in selected else ""
            options.append(f'<option value="{html.escape(text)}"{chosen}>{html.escape(str(label))}</option>')
            if chosen and not self.allow_multiple_selected:
                selected = set()
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(format_html('<select name="{}"{}>', name, flatatt(final_attrs))
                         + "".join(options) + "</select>")
