"""Reads about people."""

from .models import Invitation
from .services import hash_token


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
