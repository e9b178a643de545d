from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Contributors join by invitation from staff, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False
