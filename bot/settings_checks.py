"""The checks on the settings (bot.settings): what is refused, each with the one line
that says what is expected. A mixin of validators, so that the settings themselves (what
there is, with defaults and why) read as one list; pydantic validates the fields in the
order bot.settings.Settings declares them, so a check reading ``info.data`` sees the
settings declared before its own (the webhook URL before its secret, the sentinels before
the service's name, each WhatsApp setting before the next)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.redis_ha import parse_sentinels
from domain.sla import parse_holidays

WHATSAPP_REQUIRED = (
    "whatsapp_phone_id",
    "whatsapp_token",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
)


#: The levels TAWASUL_LOG_LEVEL takes (the logging module's names).
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: The databases the bot runs on, by their SQLAlchemy URL's beginning (the async drivers
#: it installs): SQLite and PostgreSQL.
DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def check_redis_url(url: str) -> None:
    """Raises ValueError (its text one line for the operator) unless ``url`` is one
    redis-py's client takes: redis://, rediss:// (TLS) or unix:// (a socket path). Sentinel
    has settings of its own (TAWASUL_REDIS_SENTINELS), not a URL form."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme.startswith("redis+sentinel") or scheme == "sentinel":
        raise ValueError(
            "for Redis behind Sentinel set TAWASUL_REDIS_SENTINELS=host:port,... and "
            "TAWASUL_REDIS_SERVICE instead"
        )
    if scheme not in _REDIS_SCHEMES:
        raise ValueError(
            "expected redis://HOST:PORT/DB, rediss://HOST:PORT/DB (TLS) or unix:///PATH, "
            "e.g. redis://localhost:6379/0"
        )
    parsed = urlsplit(url)
    try:
        parsed.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        # the URL is not repeated: a password holding «@» or «/» would show in part
        raise ValueError(
            "the port is not a number: expected redis://HOST:PORT/DB, e.g. redis://localhost:6379/0"
        ) from None
    if scheme == "unix" and not parsed.path:
        raise ValueError("a unix:// URL needs the socket's path, e.g. unix:///run/redis.sock")
    if scheme != "unix" and not parsed.hostname:
        raise ValueError("no host: expected redis://HOST:PORT/DB, e.g. redis://localhost:6379/0")
    database = parsed.path.strip("/")
    if scheme != "unix" and database and not database.isdigit():
        raise ValueError(
            "the database after the host is not a number, e.g. redis://localhost:6379/0"
        )


def _env(field: str) -> str:
    return "TAWASUL_" + field.upper()


def _listed(names: list[str]) -> str:
    """«A», «A and B», «A, B and C»."""
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


@cache
def read_holidays(path: Path) -> frozenset[dt.date]:
    """The operators' holidays file (it replaces the shipped calendar)."""
    return parse_holidays(path.read_text(encoding="utf-8"), source=str(path))


class SettingsChecks(BaseSettings):
    """The validators of :class:`bot.settings.Settings` (which declares the fields)."""

    @field_validator("telegram_token", check_fields=False)
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        head, _, tail = value.partition(":")
        if not head.isdigit() or len(tail) < 20:
            raise ValueError("expected the form 123456789:AA... given by @BotFather")
        return value

    @field_validator("telegram_webhook_url", check_fields=False)
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith("https://") or len(value) <= len("https://"):
            raise ValueError(
                "Telegram posts only to https:// URLs, e.g. https://bot.example.sa/telegram/webhook"
            )
        return value

    @field_validator("telegram_webhook_secret", check_fields=False)
    @classmethod
    def _webhook_secret(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = value or None
        if value is None:
            if info.data.get("telegram_webhook_url"):
                raise ValueError(
                    "missing: the webhook needs it as well as TAWASUL_TELEGRAM_WEBHOOK_URL"
                )
            return None
        # Telegram's rule for secret_token
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("1 to 256 characters, each A-Z, a-z, 0-9, _ or - (Telegram's rule)")
        return value

    @field_validator("redis_url", check_fields=False)
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None:
            check_redis_url(value)
        return value

    @field_validator("redis_sentinels", check_fields=False)
    @classmethod
    def _sentinels(cls, value: str) -> str:
        parse_sentinels(value)
        return value

    @field_validator("redis_service", check_fields=False)
    @classmethod
    def _service(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = (value or "").strip() or None
        if value is None and info.data.get("redis_sentinels", "").strip():
            raise ValueError(
                "missing: the master's name the sentinels watch (sentinel monitor NAME ...), "
                "needed with TAWASUL_REDIS_SENTINELS"
            )
        return value

    @field_validator("redis_cluster", check_fields=False)
    @classmethod
    def _cluster(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("redis_sentinels", "").strip():
            raise ValueError("a Redis Cluster is not behind Sentinel: set one of the two")
        if value and not info.data.get("redis_url"):
            raise ValueError("needs TAWASUL_REDIS_URL: one node of the cluster, redis://host:port")
        return value

    @field_validator(*WHATSAPP_REQUIRED, check_fields=False)
    @classmethod
    def _whatsapp_given(cls, value: str | None) -> str | None:
        return value or None  # set but empty is not set

    @model_validator(mode="after")
    def _whatsapp_complete(self) -> Self:
        """A half-configured WhatsApp stops start-up naming every setting missing, in one
        line (the fresh-clone tester, with only the token set, was told of the phone id
        alone, then would have met the app secret and the verify token one run at a time)."""
        given = [_env(n) for n in WHATSAPP_REQUIRED if getattr(self, n)]
        missing = [_env(n) for n in WHATSAPP_REQUIRED if not getattr(self, n)]
        if given and missing:
            raise ValueError(
                f"WhatsApp is half configured: {_listed(given)} "
                f"{'is' if len(given) == 1 else 'are'} set, but {_listed(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing (set all four, or none)"
            )
        return self

    @field_validator("whatsapp_api_url", check_fields=False)
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL such as https://graph.facebook.com/v21.0")
        return value.rstrip("/")

    @field_validator("holidays_file", check_fields=False)
    @classmethod
    def _holidays_readable(cls, value: Path | None) -> Path | None:
        if value is not None:
            try:
                read_holidays(value)
            except OSError as exc:
                raise ValueError(f"cannot read {value}: {exc.strerror}") from None
        return value

    @field_validator("staff_topics", check_fields=False)
    @classmethod
    def _topics(cls, value: str) -> str:
        if value.strip().lower() in ("", "auto"):
            return value.strip().lower()
        for part in value.replace(",", " ").split():
            department, sep, thread = part.partition("=")
            if not sep or not department or not thread.isdigit():
                raise ValueError(f"{part!r} is not department=topic_id (or use auto)")
        return value

    @field_validator("officer_ids", check_fields=False)
    @classmethod
    def _officers(cls, value: str) -> str:
        for part in value.replace(",", " ").split():
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram user id")
        return value

    @field_validator("log_level", check_fields=False)
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url", check_fields=False)
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None and not value.startswith(DATABASE_SCHEMES):
            scheme = value.partition(":")[0]
            raise ValueError(
                f"{scheme!r} databases are not supported; use SQLite "
                "(sqlite+aiosqlite:///PATH) or PostgreSQL (postgresql+asyncpg://USER@HOST/DB)"
            )
        return value

    @field_validator("database_password", check_fields=False)
    @classmethod
    def _database_password(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return None
        url = str(info.data.get("database_url") or "")
        if not url.startswith("postgresql+asyncpg://"):
            raise ValueError(
                "a password is for PostgreSQL: set TAWASUL_DATABASE_URL=postgresql+asyncpg://"
                "USER@HOST/DB"
            )
        try:
            password = make_url(url).password
        except ArgumentError:
            raise ValueError("TAWASUL_DATABASE_URL is not a URL") from None
        if password is not None:
            raise ValueError(
                "TAWASUL_DATABASE_URL has a password too: keep it in one of the two (here, "
                "unescaped)"
            )
        return value

    @field_validator("database_pgbouncer", check_fields=False)
    @classmethod
    def _pgbouncer(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not str(info.data.get("database_url") or "").startswith(
            "postgresql+asyncpg://"
        ):
            raise ValueError(
                "PgBouncer is for PostgreSQL: set TAWASUL_DATABASE_URL=postgresql+asyncpg://…"
            )
        return value
