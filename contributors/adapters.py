from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Contributors join by invitation from staff, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
            # through our proxies, so the connecting address is the client's.
            return request.META["REMOTE_ADDR"]

    def confirm_email(self, request, email_address) -> bool:
        """The link sent to a new address was followed: it becomes the login, unless another
        account took the address meanwhile (an invitation, or someone confirming it first)."""
        from .selectors import email_held_by_another
        from .services import EMAIL_TAKEN, email_address_sync

        if email_held_by_another(email_address.email, user=email_address.user):
            messages.error(request, EMAIL_TAKEN)
            return False
        try:
            with transaction.atomic():
                if not super().confirm_email(request, email_address):
                    return False
                email_address_sync(user=email_address.user)
                return True
        except IntegrityError:  # another account saved the same address at the same moment
            messages.error(request, EMAIL_TAKEN)
            return False
