"""People's names: every letter, accent and script, apostrophes, hyphens and spaces, but no
invisible characters.

Invisible characters are refused, not stripped: direction marks and overrides (U+202A-U+202E,
U+2066-U+2069, U+200E/U+200F) can make a name display as something else (a spoofing trick), and
silently removing zero-width or control characters would save a name other than the one the
person sees and typed. So the person is told and types it again. Spaces of any kind (tabs, line
breaks, non-breaking spaces) are visible gaps, so they become single ordinary spaces.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

INVISIBLE_IN_NAME = (
    "This name contains an invisible character (such as a direction mark, a zero-width space or "
    "a control character), often pasted in with the name. Type the name again without it."
)
# Control (Cc), format (Cf: direction marks, zero-width characters, soft hyphens), private-use,
# unassigned and surrogate code points.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs"}
# Zero-width (non-)joiners shape letters in Persian, Arabic and Indic scripts (and emoji): allowed
# only between two letters, marks or symbols.
_JOINERS = {"\u200c", "\u200d"}


def _joins_visible_characters(value: str, index: int) -> bool:
    if index == 0 or index == len(value) - 1:
        return False
    return all(unicodedata.category(c)[0] in "LMS" for c in (value[index - 1], value[index + 1]))


def invisible_characters(value: str) -> list[str]:
    """The characters in `value` a name may not hold (after spaces are made ordinary)."""
    found = []
    for index, char in enumerate(value):
        if char.isspace():
            continue
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            if char in _JOINERS and _joins_visible_characters(value, index):
                continue
            found.append(char)
    return found


def clean_name(value: str) -> str:
    """A name as it is kept: NFC (so "Zoë" is one way round), single spaces, trimmed. Raises
    ValidationError for invisible characters."""
    value = unicodedata.normalize("NFC", value or "")
    if invisible_characters(value):
        raise ValidationError(INVISIBLE_IN_NAME, code="invisible_characters")
    return " ".join(value.split())


def validate_name(value: str) -> None:
    """Model field validator (the admin and full_clean): the same rule as clean_name."""
    if invisible_characters(unicodedata.normalize("NFC", value or "")):
        raise ValidationError(INVISIBLE_IN_NAME, code="invisible_characters")


class NameField(forms.CharField):
    """A form field for a person's name (full or preferred)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_name(super().to_python(value))
