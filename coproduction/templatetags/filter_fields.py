"""{% filter_field field %}: one field of a list's filter form, as crispy-forms writes it for
Bootstrap 5 (label, widget with form-select or form-control, errors), written in Python.
crispy's templates were about a quarter of the review queue's time (bench/README.md)."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_field(field):
    widget = field.field.widget
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    classes = [widget.attrs.get("class", ""), kind]
    attrs = {}
    errors = ""
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-describedby"] = f"{field.auto_id}_error"
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((error,) for error in field.errors)),
        )
    attrs["class"] = " ".join(c for c in classes if c)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        field.auto_id, field.id_for_label, field.label, field.as_widget(attrs=attrs), errors,
    )
