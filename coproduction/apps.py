from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    # Hosts the pages and commands that combine apps (dashboards, seed_demo).
    name = "coproduction"
    verbose_name = "Co-production"

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.fragments import install

        # Cached page fragments (core/fragments.py) learn of every write to the apps' tables.
        connection_created.connect(install, dispatch_uid="core.fragments.install")
