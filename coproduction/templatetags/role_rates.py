"""{% role_rates role %}: what a role's holders are paid today, from its rate card (or the
organisation's), under the role's own payment terms. Composed here in the shell, because roles
live in projects/ and rate cards in expenses/, which projects/ may not import."""

from django import template
from django.utils import timezone

from expenses.rate_cards import card_on

register = template.Library()


@register.inclusion_tag("coproduction/_role_rates.html")
def role_rates(role):
    on = timezone.localdate()
    return {"rates": card_on(role, on) if role else [], "on": on}
