"""Phone numbers: normalised to E.164 so one person's number compares equal however typed."""

from __future__ import annotations

import phonenumbers

from domain.normalize import clean_input, stray_letters

DEFAULT_REGION = "SA"


class InvalidPhoneNumber(ValueError):
    pass


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


def mask_phone(e164: str) -> str:
    """Keeps the country code and last two digits: enough to recognise, useless to misuse."""
    if len(e164) < 6:
        return "*" * len(e164)
    return e164[:4] + "*" * (len(e164) - 6) + e164[-2:]
