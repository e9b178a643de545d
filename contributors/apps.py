from django.apps import AppConfig


class ContributorsConfig(AppConfig):
    name = "contributors"
    verbose_name = "People"

    def ready(self):
        from core.search import install_sqlite_unaccent

        install_sqlite_unaccent()  # accent-insensitive search on SQLite too
