from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured


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
