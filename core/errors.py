"""The one shape of a rule stopping a change, shown the same way by every form and view."""


class DomainError(Exception):
    """A rule stopped a change. `message` says why in plain words; `field` names the form field
    it belongs beside, when there is one. Each app subclasses it only to be caught by name."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form) -> None:
        """Beside its field when the form has it, otherwise at the top of the form."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
