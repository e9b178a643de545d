"""Form widgets tuned for speed, found by the benchmark (bench/README.md)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders each option through a
    template include, which made a 200-project filter cost 50-90 ms a page; the HTML is the
    same (name, attributes, selected option), without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                ("" if option["value"] is None else option["value"], flatatt(option["attrs"]),
                 option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return mark_safe(format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
                         + options + "</select>")
