from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    # Hosts the pages and commands that combine apps (dashboards, seed_demo).
    name = "coproduction"
    verbose_name = "Co-production"
