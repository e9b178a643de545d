# Admin registrations, one module per area; importing them registers the models.
from . import outcomes, projects, roles  # noqa: F401
