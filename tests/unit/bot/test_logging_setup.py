"""Identity and phone numbers are masked in every log record, whoever logs them."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from bot.logging_setup import configure_logging, install_redaction, redact
from bot.settings import SettingsError, load_settings


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


def test_tracebacks_and_exception_text_are_redacted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log_file = tmp_path / "tawasul.log"
    configure_logging("INFO", file=log_file)
    accounts = {"1000000008": "+966501234567"}
    try:
        try:
            accounts["2000000006"]
        except KeyError as exc:
            raise RuntimeError(f"no account for 0551234567 ({exc})") from exc
    except RuntimeError:
        logging.getLogger("bot.channels.telegram").exception("turn failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    # our file handler's formatter, and any other handler's (pytest's here), alike
    for text in (written, caplog.text):
        assert "turn failed" in text and "KeyError" in text and "Traceback" in text
        for secret in ("2000000006", "0551234567", "551234567"):
            assert secret not in text
    assert "20******06" in written
    assert log_file.stat().st_mode & 0o777 == 0o600


def test_an_exception_message_logged_as_an_argument_is_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("x").error("failed: %s", KeyError("2000000006"))
    assert "2000000006" not in caplog.text and "failed" in caplog.text


def test_json_lines_carry_the_record_and_its_extras_without_personal_numbers(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "tawasul.log"
    configure_logging("INFO", file=log_file, fmt="json")
    try:
        log = logging.getLogger("bot.channels.telegram")
        log.info(
            "filed for %s from %s, %s",
            "2000000006",
            "+966501234567",
            "طلب جديد",
            extra={"identity": "1000000008", "phone": 966551234567, "items": 3,
                   "people": {"worker": ["2000000006"]}},
        )  # fmt: skip
        try:
            raise KeyError("0551234567")
        except KeyError:
            log.exception("turn failed for %s", "1010101010")
    finally:
        configure_logging("INFO", file=tmp_path / "text.log")  # back to text for the rest
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "bot.channels.telegram"
    assert dt.datetime.fromisoformat(first["time"]).tzinfo is not None
    # the words stay readable (not \\u escapes), the numbers are masked, extras kept
    assert first["message"] == "filed for 20******06 from +9*********67, طلب جديد"
    assert first["identity"] == "10******08" and first["phone"] == "96********67"
    assert first["items"] == 3 and first["people"] == {"worker": ["20******06"]}
    assert second["level"] == "ERROR" and "KeyError" in second["exc_info"]
    for secret in ("2000000006", "501234567", "1000000008", "551234567", "1010101010"):
        assert secret not in log_file.read_text(encoding="utf-8")


def test_the_log_format_setting_takes_text_or_json_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TAWASUL_LOG_FORMAT", "json")
    assert load_settings().log_format == "json"
    monkeypatch.delenv("TAWASUL_LOG_FORMAT")
    assert load_settings().log_format == "text"
    monkeypatch.setenv("TAWASUL_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="TAWASUL_LOG_FORMAT"):
        load_settings()
