# Admin registrations, one module per area; importing them registers the models.
from . import projects, roles  # noqa: F401
