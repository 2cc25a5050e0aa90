"""Phone numbers: normalised to E.164 so one person's number compares equal however typed."""

from __future__ import annotations

import phonenumbers

from domain.normalize import clean_input, stray_letters

DEFAULT_REGION = "SA"


class InvalidPhoneNumber(ValueError):
    """A number that cannot be taken. ``reason``: "invalid" (no valid number of any
    country), "landline" (a valid fixed line, where a mobile is asked), "local" (not a
    Saudi number, and not written with its country code)."""

    def __init__(self, text: str, reason: str = "invalid") -> None:
        super().__init__(text)
        self.reason = reason


# the types phonenumbers gives a mobile; FIXED_LINE_OR_MOBILE where a country's plan does
# not tell the two apart (the United States, Canada...)
_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Returns the number in E.164 (``+9665XXXXXXXX``); raises InvalidPhoneNumber, also
    for a letter inside the number («0501234567x», «050ABC4567»): phonenumbers drops a
    trailing letter and reads letters as a keypad's (vanity numbers), so it would keep a
    number the person never typed."""
    if stray_letters(text):
        raise InvalidPhoneNumber(text)
    raw = clean_input(text).replace(" ", "")
    # Telegram's contact payload drops the plus sign: 9665... is international, not local.
    if raw.isdigit() and not raw.startswith("0") and len(raw) > 10:
        raw = "+" + raw
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(text) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(text)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def written_internationally(text: str) -> bool:
    """Whether ``text`` gives its number with a country code: a leading «+» or «00»
    (the international prefix dialled from Saudi Arabia and most of the world)."""
    raw = clean_input(text).replace(" ", "").lstrip("\u200e\u200f")
    return raw.startswith(("+", "00"))


def normalise_mobile(text: str, region: str = DEFAULT_REGION) -> str:
    """A mobile number a person types as theirs, in E.164: a Saudi mobile however typed
    (``05XXXXXXXX``, ``5XXXXXXXX``, ``+9665…``, ``009665…``), or a mobile of any other
    country written with its country code (``+971…``, ``0020…``): residents may keep a
    mobile of their home country (DESIGN.md: a resident files for themselves).

    Raises :class:`InvalidPhoneNumber` with ``reason`` "invalid" (a number of no
    country, or a letter inside it), "landline" (a valid fixed-line number, Saudi or
    not) or "local" (a number valid in no country as typed, typed without a country
    code: a foreign number in its own national form, «01001234567»). Validity and the
    line type are phonenumbers' (Google's libphonenumber metadata)."""
    try:
        phone = normalise_phone(text, region)
    except InvalidPhoneNumber as exc:
        international = written_internationally(text)
        raise InvalidPhoneNumber(text, "invalid" if international else "local") from exc
    if phonenumbers.number_type(phonenumbers.parse(phone)) not in _MOBILE_TYPES:
        raise InvalidPhoneNumber(text, "landline")
    return phone


def mask_phone(e164: str) -> str:
    """Keeps the country code and last two digits: enough to recognise, useless to misuse."""
    if len(e164) < 6:
        return "*" * len(e164)
    return e164[:4] + "*" * (len(e164) - 6) + e164[-2:]
