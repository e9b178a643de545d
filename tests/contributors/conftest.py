from tests.roles.conftest import _fast_passwords, project, role  # noqa: F401  (the same cast in both folders)
