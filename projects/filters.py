"""Filters for the staff project list (django-filter)."""

import django_filters
from django.db.models import Q

from contributors.models import User
from core.search import search_terms
from core.widgets import FastSelect
from projects.models import Project


def lead_choices():
    """Everyone who leads a project, by name (the email when there is no name). One query."""
    leads = User.objects.filter(pk__in=Project.objects.values("lead_id")).order_by("name", "email", "pk")
    return [(pk, name or email) for pk, name, email in leads.values_list("pk", "name", "email")]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, empty_label="Any status")
    # Only people who lead a project, as (id, name) pairs: every staff member as a model per
    # option was most of the page's time with 500 staff (bench/).
    lead = django_filters.ChoiceFilter(choices=[], empty_label="Anyone", label="Lead", widget=FastSelect)
    archived = django_filters.ChoiceFilter(
        choices=[("current", "Current projects"), ("archived", "Archived projects"), ("all", "All projects")],
        method="filter_archived", empty_label=None, label="Show",
    )

    class Meta:
        model = Project
        fields = ["q", "status", "lead", "archived"]

    def __init__(self, data=None, *args, **kwargs):
        # Archived projects stay out of the way unless asked for.
        data = data.copy() if data is not None else {}
        if not data.get("archived"):
            data["archived"] = "current"
        super().__init__(data, *args, **kwargs)
        self.search_note = ""
        self.filters["lead"].extra["choices"] = lead_choices()

    def search(self, queryset, name, value):
        """Every word in the title, summary or lead's name (any order), the first few words only."""
        terms = search_terms(value)
        self.search_note = terms.note
        for word in terms.words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(lead__name__icontains=word)
            )
        return queryset

    def filter_archived(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(archived_at__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)
