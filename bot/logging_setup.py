"""Logging that never carries identity or phone numbers in clear, whatever the level.

Libraries log SQL parameters and payloads at DEBUG (aiosqlite does), so redaction happens
when a record is made, for every logger and handler, not only in our own messages.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from typing import Any

# 10-digit national, iqama, border and establishment numbers (request numbers never
# start with 1, 2, 3 or 7, so they stay readable), and mobile numbers in any usual form
_PERSONAL = re.compile(r"(?<!\d)(?:[1237]\d{9}|(?:\+?966|0)5\d{8})(?!\d)")
_QUIET = ("aiosqlite", "asyncio", "aiohttp.access")


def redact(text: str) -> str:
    return _PERSONAL.sub(
        lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 4) + m.group(0)[-2:], text
    )


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return record

    make.__dict__["tawasul_redacting"] = True
    return make


def install_redaction() -> None:
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "tawasul_redacting", False):
        logging.setLogRecordFactory(_redacting(factory))


def configure_logging(level: str) -> None:
    install_redaction()
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
