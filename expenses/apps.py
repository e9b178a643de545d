from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "expenses"
    verbose_name = "Expenses and payments"

    def ready(self):
        # Erasing a person reaches this app's copies of them (see contributors/erasure.py).
        from contributors.erasure import register

        from .erasure import erase_person

        register(self.name, erase_person)

        # An accepted claim is involvement (contributors/involvement.py).
        from contributors import involvement

        from .selectors import earliest_accepted_line

        involvement.register(self.name, earliest_accepted_line)
