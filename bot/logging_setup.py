"""Logging that never carries identity or phone numbers in clear, whatever the level.

Libraries log SQL parameters and payloads at DEBUG (aiosqlite does), so redaction happens
when a record is made, for every logger and handler, not only in our own messages. The
exception text and traceback a formatter would add (``KeyError: '2000000006'``) are
formatted and redacted then too, and our own handlers redact the whole formatted line
once more, so nothing a formatter adds later escapes it.

``TAWASUL_LOG_FORMAT=json`` writes one JSON object a line for log collectors (time, level,
logger, message and any ``extra`` fields), with python-json-logger's formatter rather than
one of our own; every value in it, extras and traceback included, is redacted before it is
serialised (redacting the serialised line would turn a number field into invalid JSON).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pythonjsonlogger.json import JsonFormatter

# 10-digit national, iqama, border and establishment numbers (request numbers never
# start with 1, 2, 3 or 7, so they stay readable), and mobile numbers in any usual form
_PERSONAL = re.compile(r"(?<!\d)(?:[1237]\d{9}|(?:\+?966|0)5\d{8})(?!\d)")
_QUIET = ("aiosqlite", "asyncio", "aiohttp.access")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE = "tawasul.log"


def redact(text: str) -> str:
    """``text`` with every identity and mobile number masked but its first and last two
    digits (``2000000006`` -> ``20******06``)."""
    return _PERSONAL.sub(
        lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 4) + m.group(0)[-2:], text
    )


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    plain = logging.Formatter()

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        # Formatters reuse a record's exc_text once set, so a traceback formatted and
        # redacted here is what every handler prints.
        if record.exc_info and not record.exc_text:
            record.exc_text = plain.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    make.__dict__["tawasul_redacting"] = True
    return make


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record: message, exception and stack alike."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _redacted(value: Any) -> Any:
    """`value` with every identity and mobile number in it masked, however deep; a number
    that is one becomes its masked string."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        masked = redact(text)
        return value if masked == text else masked
    return value


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object a line: ``time`` (ISO 8601, UTC), ``level``, ``logger``,
    ``message``, then the record's extras, every value redacted."""

    def __init__(self) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            json_ensure_ascii=False,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = _redacted(super().process_log_record(log_data))
        return cleaned


def install_redaction() -> None:
    """Makes every log record from now on redacted at creation (idempotent)."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "tawasul_redacting", False):
        logging.setLogRecordFactory(_redacting(factory))


def configure_logging(
    level: str, *, file: Path | None = None, fmt: Literal["text", "json"] = "text"
) -> None:
    """Root logging at ``level``, redacted. With ``file``, records go to that file only,
    created owner-only (the terminal chat: no log lines between the bot's words);
    without it, to stderr (a service's journal). `fmt` "json" writes JSON lines
    (:class:`RedactingJsonFormatter`) instead of text. Calling it again replaces the
    handler it added before, and leaves other handlers (pytest's) alone."""
    install_redaction()
    handler: logging.Handler
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.touch(mode=0o600)
        file.chmod(0o600)
        handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    formatter = RedactingJsonFormatter() if fmt == "json" else RedactingFormatter(_FORMAT)
    handler.setFormatter(formatter)
    handler.__dict__["tawasul_handler"] = True
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "tawasul_handler", False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
