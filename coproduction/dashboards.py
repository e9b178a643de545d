"""Dashboard contents, composed from each app's selectors (this is the floor above them)."""


def staff_dashboard(user) -> dict:
    return {}


def contributor_dashboard(user) -> dict:
    return {}
