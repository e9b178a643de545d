"""The base of every app's domain errors (PersonError, ProjectError, MeetingError)."""


class FieldError(Exception):
    """A rule stopped a change. The message says why in plain words; `field` names the form
    field it belongs beside, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form) -> None:
        """Beside its field when the form has it, otherwise at the top of the form."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
