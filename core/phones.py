"""Phone numbers: checked and written one way with Google's libphonenumber (the `phonenumbers`
package), UK numbers by default and international ones with their +country code."""

import phonenumbers

DEFAULT_REGION = "GB"
INVALID_PHONE = (
    "Enter a phone number we can call, such as 07700 900123 or 0113 496 0000, or an international "
    "number starting with + and the country code."
)
# Ofcom keeps these UK ranges for drama and examples: they never ring a real person, so demos
# and tests use them, but libphonenumber calls them invalid (they are not allocated).
OFCOM_DRAMA_PREFIXES = (
    "+447700900", "+441632960", "+442079460", "+441134960", "+441144960", "+441154960",
    "+441174960", "+441184960", "+441214960", "+441314960", "+441414960", "+441514960",
    "+441614960", "+442890180", "+442920180", "+443069990", "+448081570", "+449098790",
)


class InvalidPhone(ValueError):
    pass


def parse_phone(text: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse((text or "").strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(INVALID_PHONE) from error
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    drama = len(e164) == 13 and e164.startswith(OFCOM_DRAMA_PREFIXES)
    if not (phonenumbers.is_valid_number(number) or drama):
        raise InvalidPhone(INVALID_PHONE)
    return number


def clean_phone(text: str) -> str:
    """'07700900123' -> '07700 900123'; '+33 1 23 45 67 89' stays international. Empty stays
    empty. Raises InvalidPhone."""
    if not (text or "").strip():
        return ""
    number = parse_phone(text)
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_e164(text: str) -> str:
    """'+447700900123': the form text-message providers want."""
    return phonenumbers.format_number(parse_phone(text), phonenumbers.PhoneNumberFormat.E164)


def can_take_texts(text: str) -> bool:
    """A mobile number (texts to a landline are not delivered)."""
    try:
        number = parse_phone(text)
    except InvalidPhone:
        return False
    kind = phonenumbers.number_type(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return kind in mobile or e164.startswith("+447700900")
