from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        # Erasing a person reaches this app's copies of them (see contributors/erasure.py).
        from contributors.erasure import register

        from .erasure import erase_person

        register(self.name, erase_person)

        # A meeting attended is involvement (contributors/involvement.py).
        from contributors import involvement

        from .selectors.meetings import earliest_attended

        involvement.register(self.name, earliest_attended)
