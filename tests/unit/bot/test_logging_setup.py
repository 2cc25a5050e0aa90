"""Identity and phone numbers are masked in every log record, whoever logs them."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import install_redaction, redact


@pytest.mark.parametrize(
    "secret",
    ["1000000008", "2000000006", "3123456789", "7001234567", "+966501234567", "0501234567",
     "966501234567"],
)  # fmt: skip
def test_personal_numbers_are_masked(secret: str) -> None:
    masked = redact(f"filed by {secret}.")
    assert secret not in masked and "filed by " in masked


def test_request_numbers_and_other_numbers_stay_readable() -> None:
    assert redact("request 6418407042 took 12 ms") == "request 6418407042 took 12 ms"


def test_records_from_any_logger_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("params %r", ("2000000006", "+966501234567"))
    assert "2000000006" not in caplog.text and "501234567" not in caplog.text
    assert "params" in caplog.text
