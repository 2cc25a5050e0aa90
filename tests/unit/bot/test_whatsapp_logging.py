"""WhatsApp identifiers in logs: Saudi wa_ids are redacted by the logging set-up whatever
logs them; the channel itself names people only by a hash (a foreign number or a BSUID
would not be caught by the Saudi-number redaction)."""

from __future__ import annotations

import logging

import pytest

from bot.channels.whatsapp import masked
from bot.logging_setup import install_redaction, redact


@pytest.mark.parametrize("wa_id", ["966501234567", "+966501234567", "966551234567"])
def test_saudi_wa_ids_are_redacted(wa_id: str) -> None:
    assert wa_id not in redact(f"sending to {wa_id} now")
    assert wa_id[-8:] not in redact(f"to={wa_id}")


def test_a_library_logging_a_wa_id_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    with caplog.at_level(logging.DEBUG, logger="pywa_async.api"):
        logging.getLogger("pywa_async.api").debug("POST /messages %s", {"to": "966501234567"})
    assert "966501234567" not in caplog.text and "01234567" not in caplog.text


@pytest.mark.parametrize("key", ["SA.13491208655302741918", "201001234567", "wamid.HBgMOTY2NTAx"])
def test_the_channel_names_people_by_a_hash(key: str) -> None:
    shown = masked(key)
    assert key not in shown and shown.startswith("wa:") and len(shown) == 13
    assert masked(key) == shown  # stable, so one conversation can be followed
