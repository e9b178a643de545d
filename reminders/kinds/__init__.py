"""Every kind of reminder, one `ReminderKind` each (see reminders/registry.py), grouped by what
they are about. Every module here is imported when the app is ready, so a new kind is a new
block in one of these files, or a new file here."""

import pkgutil
from importlib import import_module


def load() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        import_module(f"{__name__}.{module}")
