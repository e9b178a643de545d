"""Text messages (SMS) through GOV.UK Notify's own client library. With no NOTIFY_API_KEY the
text is written to the console and the log instead, as emails are in development.

Two kinds of failure, told apart because they need different handling:
- the provider refused this message (a 4xx: not a mobile number, a trial key's limits): trying
  again sends nothing, so the reminder is marked failed at once with Notify's reason;
- the provider could not be reached or failed (a 5xx, a timeout, connection refused, 429 too
  many requests): TextNotSentYet, an OSError like the mail server's, so the task retries it.
"""

import logging
import sys
from collections import deque

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from core.phones import phone_e164

logger = logging.getLogger(__name__)

# Texts "sent" without a key, newest last: the console backend's copy, for tests and demos.
outbox: deque = deque(maxlen=200)


class TextRefused(Exception):
    """The provider will not send this text: retrying does not help."""


class TextNotSentYet(OSError):
    """The provider is down or busy: try again later."""


def _client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )


def send_text(*, phone: str, body: str, reference: str = "") -> str:
    """Send one text; returns the provider's id for it ('console' without a key)."""
    number = phone_e164(phone)
    if not settings.NOTIFY_API_KEY:
        outbox.append({"to": number, "body": body, "reference": reference})
        sys.stdout.write(f"Text message to {number}:\n{body}\n{'-' * 40}\n")
        logger.info("Text message to %s (no NOTIFY_API_KEY, not sent): %s", number, body)
        return "console"
    try:
        response = _client().send_sms_notification(
            phone_number=number,
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": body},
            reference=reference or None,
        )
    except APIError as error:
        if 400 <= error.status_code < 500 and error.status_code != 429:
            raise TextRefused(f"The text provider refused the text to {phone}: {_reason(error)}") from error
        raise TextNotSentYet(
            f"The text provider did not take the text ({error.status_code}): {_reason(error)}"
        ) from error
    return str((response or {}).get("id", ""))


def _reason(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):  # Notify: {"errors": [{"error": ..., "message": ...}]}
        return "; ".join(
            str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message
        )
    return str(message)
