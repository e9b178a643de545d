from tests.roles.conftest import project, role  # noqa: F401  (the same cast in both folders)
