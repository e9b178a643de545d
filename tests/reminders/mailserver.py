"""A fake mail server for tests: refuses the first N messages, then accepts into mail.outbox."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    failures_left = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
