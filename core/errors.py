"""The one shape of a rule stopping a change, shown the same way by every form and view."""

from django.contrib import messages
from django.http import HttpRequest


class DomainError(Exception):
    """A rule stopped a change. `message` says why in plain words; `field` names the form field
    it belongs beside, when there is one. Each app subclasses it only to be caught by name."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form, field: str | None = None) -> None:
        """Beside its field (or `field`, when the error names none) when the form has it,
        otherwise at the top of the form."""
        where = self.field or field
        form.add_error(where if where in form.fields else None, self.message)


def show_error(target, error: DomainError, *, field: str | None = None, level: int = messages.ERROR) -> None:
    """Show a rule's message: on a form, beside its field or at the top (`field` places an error
    that names none); on a request, as a message at the top of the next page (`level` for a
    duplicate that is news rather than a fault)."""
    if isinstance(target, HttpRequest):
        messages.add_message(target, level, error.message)
    else:
        error.show_on(target, field)
