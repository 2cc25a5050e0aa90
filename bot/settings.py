"""Settings from the environment or ``.env``; a missing or malformed one stops start-up
with one clear line."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.db.engine import with_pgbouncer
from bot.redis_ha import SentinelTarget, parse_sentinels
from domain.sla import parse_holidays


class SettingsError(SystemExit):
    """Raised with the one line to print; a SystemExit so the CLI ends without a trace."""


_WHATSAPP_REQUIRED = (
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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TAWASUL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: str | None = None
    telegram_api_url: str | None = None
    # a self-hosted Bot API server started with --local hands out files by path
    telegram_api_local: bool = False
    # Telegram by webhook (instead of polling) when the URL is set: the public HTTPS URL
    # Telegram posts to (ending in /telegram/webhook behind the reverse proxy), and the
    # secret it sends in X-Telegram-Bot-Api-Secret-Token. `tawasul webhook set` registers.
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = Field(default=None, validate_default=True)
    # connections Telegram opens at once to deliver updates (its limits: 1-100)
    telegram_webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # updates accepted by the webhook and waiting to be handled, per process; past it the
    # webhook answers 503 and Telegram delivers again later
    webhook_queue_size: int = Field(default=1000, ge=1)
    staff_chat_id: int | None = None
    officer_ids: str = ""
    # Forum topics per department in the staff group: "" sends every card to the group
    # itself; "auto" gives each department a topic, created on first use; a mapping such as
    # "passports=12,visas=15" uses those topics and creates the others on first use.
    staff_topics: str = ""
    redis_url: str | None = None
    # Redis behind Sentinel (instead of TAWASUL_REDIS_URL): the sentinels, host:port,...,
    # and the name they know the master by (`sentinel monitor NAME ...`); the password of
    # the master and replicas, and the sentinels' own when they have one
    redis_sentinels: str = ""
    redis_service: str | None = Field(default=None, validate_default=True)
    redis_password: str | None = None
    redis_sentinel_password: str | None = None
    # Redis Cluster: TAWASUL_REDIS_URL names one node (any), the others are found from it
    redis_cluster: bool = Field(default=False, validate_default=True)
    database_url: str | None = None
    # PostgreSQL reached through PgBouncer in transaction mode: no prepared statement is
    # kept or reused across transactions (bot.db.engine)
    database_pgbouncer: bool = Field(default=False, validate_default=True)
    data_dir: Path = Field(default=Path(".data"))
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    dialogue_ttl_s: int = Field(default=24 * 3600, ge=60)
    holidays_file: Path | None = None
    # Whether this process posts the staff group's 08:00 digest, reminders and escalations.
    # Every worker may (one Redis key per tick picks who does); "off" leaves it to the
    # others, and lets a test of something else run at any hour without a digest arriving.
    staff_schedule: bool = True
    # the weekly report (Sundays from 08:00 Riyadh time, the week's figures and chart) in
    # the staff group; off: only the daily digest and the warnings
    weekly_report: bool = True
    log_level: str = "INFO"
    # "json": one JSON object a line (time, level, logger, message, extras) for collectors
    log_format: Literal["text", "json"] = "text"
    # worker processes `tawasul run` keeps serving the one HTTP port (bot.supervisor);
    # 1 runs in this process, as `make run` always has
    workers: int = Field(default=1, ge=1, le=64)
    # seconds a stopping worker (SIGTERM) has to finish what it accepted; what is left
    # stays in the Redis journal for the next process
    drain_s: float = Field(default=20.0, ge=0, le=600)
    # seconds a supervised worker's event loop may go without running (its heartbeat,
    # bot.heartbeat) before the supervisor kills it and starts another
    worker_stall_s: float = Field(default=60.0, ge=5, le=3600)
    # whether `tawasul run` and `tawasul chat` bring the database to the newest revision
    # at start; off (production), a worker on an older database stops and says to run
    # `tawasul db upgrade`
    auto_migrate: bool = True
    # how quantities and dates are written in Arabic: Arabic-Indic (arab) or Western (latn)
    # digits; identifiers (request, identity, phone numbers) stay ASCII either way
    arabic_digits: Literal["arab", "latn"] = "arab"
    # seconds an officer's accept or reject waits before the person is told (it can be
    # undone until then)
    decision_grace_s: int = Field(default=60, ge=0, le=3600)
    # the bytes of photos and files one person may send in a (Riyadh) day; 0: no limit.
    # 100 MiB is ten files at the largest size a request takes, a whole request's worth
    media_daily_bytes: int = Field(default=100 * 1024 * 1024, ge=0)
    # files in the media store that joined no request are removed once this old (hours);
    # longer than a draft lives (TAWASUL_DIALOGUE_TTL_S) so a draft's files are never lost
    media_grace_hours: int = Field(default=72, ge=1)
    # decided requests lose their personal data (identity and phone numbers, description,
    # the person's words, files) this many days after the decision (Saudi PDPL)
    retention_days: int = Field(default=365, ge=1)
    # abuse limits, shared by every worker through Redis (bot/abuse); 0 turns one off.
    # messages (and taps) one person may send in a minute; beyond it one «slow down»
    messages_per_minute: int = Field(default=20, ge=0)
    # requests one chat, and one identity number, may file in 24 hours
    requests_per_day: int = Field(default=5, ge=0)
    requests_per_identity_per_day: int = Field(default=3, ge=0)
    # status look-ups of someone else's request per account and per number in an hour
    status_lookups_per_hour: int = Field(default=5, ge=1)
    # chats the bot has not seen before (for 30 days) admitted in TAWASUL_NEW_CHATS_WINDOW_S
    # seconds, all together; past it new chats are dropped before any work and the staff
    # group is alerted once
    new_chats_limit: int = Field(default=300, ge=0)
    new_chats_window_s: int = Field(default=600, ge=10)

    # WhatsApp runs when all four are set; validate_default so that one left out is named.
    whatsapp_phone_id: str | None = Field(default=None, validate_default=True)
    whatsapp_token: str | None = Field(default=None, validate_default=True)
    whatsapp_app_secret: str | None = Field(default=None, validate_default=True)
    whatsapp_verify_token: str | None = Field(default=None, validate_default=True)
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    # The approved template for notifications outside WhatsApp's 24-hour window.
    whatsapp_template_name: str | None = None
    whatsapp_template_lang: str = Field(default="ar", pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        head, _, tail = value.partition(":")
        if not head.isdigit() or len(tail) < 20:
            raise ValueError("expected the form 123456789:AA... given by @BotFather")
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith("https://") or len(value) <= len("https://"):
            raise ValueError(
                "Telegram posts only to https:// URLs, e.g. https://bot.example.sa/telegram/webhook"
            )
        return value

    @field_validator("telegram_webhook_secret")
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

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None:
            check_redis_url(value)
        return value

    @field_validator("redis_sentinels")
    @classmethod
    def _sentinels(cls, value: str) -> str:
        parse_sentinels(value)
        return value

    @field_validator("redis_service")
    @classmethod
    def _service(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = (value or "").strip() or None
        if value is None and info.data.get("redis_sentinels", "").strip():
            raise ValueError(
                "missing: the master's name the sentinels watch (sentinel monitor NAME ...), "
                "needed with TAWASUL_REDIS_SENTINELS"
            )
        return value

    @field_validator("redis_cluster")
    @classmethod
    def _cluster(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("redis_sentinels", "").strip():
            raise ValueError("a Redis Cluster is not behind Sentinel: set one of the two")
        if value and not info.data.get("redis_url"):
            raise ValueError("needs TAWASUL_REDIS_URL: one node of the cluster, redis://host:port")
        return value

    @property
    def redis_sentinel_target(self) -> SentinelTarget | None:
        """The sentinels to ask for the master, when TAWASUL_REDIS_SENTINELS is set."""
        nodes = parse_sentinels(self.redis_sentinels)
        if not nodes or self.redis_service is None:
            return None
        return SentinelTarget(
            nodes, self.redis_service, self.redis_password, self.redis_sentinel_password
        )

    @property
    def telegram_webhook(self) -> bool:
        """Whether Telegram updates come by webhook (else by polling)."""
        return bool(self.telegram_token and self.telegram_webhook_url)

    @property
    def http_port_given(self) -> bool:
        """Whether TAWASUL_HTTP_PORT was set (the web server then runs for health and
        metrics even when no webhook needs it)."""
        return "http_port" in self.model_fields_set

    @field_validator(*_WHATSAPP_REQUIRED)
    @classmethod
    def _whatsapp_given(cls, value: str | None) -> str | None:
        return value or None  # set but empty is not set

    @model_validator(mode="after")
    def _whatsapp_complete(self) -> Settings:
        """A half-configured WhatsApp stops start-up naming every setting missing, in one
        line (the fresh-clone tester, with only the token set, was told of the phone id
        alone, then would have met the app secret and the verify token one run at a time)."""
        given = [_env(n) for n in _WHATSAPP_REQUIRED if getattr(self, n)]
        missing = [_env(n) for n in _WHATSAPP_REQUIRED if not getattr(self, n)]
        if given and missing:
            raise ValueError(
                f"WhatsApp is half configured: {_listed(given)} "
                f"{'is' if len(given) == 1 else 'are'} set, but {_listed(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing (set all four, or none)"
            )
        return self

    @field_validator("whatsapp_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL such as https://graph.facebook.com/v21.0")
        return value.rstrip("/")

    @property
    def whatsapp_enabled(self) -> bool:
        return all(getattr(self, name) for name in _WHATSAPP_REQUIRED)

    @field_validator("holidays_file")
    @classmethod
    def _holidays_readable(cls, value: Path | None) -> Path | None:
        if value is not None:
            try:
                read_holidays(value)
            except OSError as exc:
                raise ValueError(f"cannot read {value}: {exc.strerror}") from None
        return value

    @field_validator("staff_topics")
    @classmethod
    def _topics(cls, value: str) -> str:
        if value.strip().lower() in ("", "auto"):
            return value.strip().lower()
        for part in value.replace(",", " ").split():
            department, sep, thread = part.partition("=")
            if not sep or not department or not thread.isdigit():
                raise ValueError(f"{part!r} is not department=topic_id (or use auto)")
        return value

    @property
    def staff_forum(self) -> bool:
        """Whether cards go to per-department forum topics."""
        return self.staff_topics != ""

    @property
    def staff_topic_ids(self) -> dict[str, int]:
        """The configured department → topic (message_thread_id) pairs."""
        if self.staff_topics in ("", "auto"):
            return {}
        pairs = (part.partition("=") for part in self.staff_topics.replace(",", " ").split())
        return {department: int(thread) for department, _, thread in pairs}

    @field_validator("officer_ids")
    @classmethod
    def _officers(cls, value: str) -> str:
        for part in value.replace(",", " ").split():
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram user id")
        return value

    @property
    def officers(self) -> frozenset[int]:
        return frozenset(int(p) for p in self.officer_ids.replace(",", " ").split())

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url")
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

    @field_validator("database_pgbouncer")
    @classmethod
    def _pgbouncer(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not str(info.data.get("database_url") or "").startswith(
            "postgresql+asyncpg://"
        ):
            raise ValueError(
                "PgBouncer is for PostgreSQL: set TAWASUL_DATABASE_URL=postgresql+asyncpg://…"
            )
        return value

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url and self.database_pgbouncer:
            return with_pgbouncer(self.database_url)
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tawasul.sqlite3').resolve()}"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        if not first["loc"]:  # several settings together (WhatsApp's four): it names them
            said = str(first.get("ctx", {}).get("error") or first["msg"])
            raise SettingsError(f"tawasul: {said}") from None
        name = "TAWASUL_" + str(first["loc"][0]).upper()
        raise SettingsError(f"tawasul: setting {name} is invalid: {first['msg']}") from None


@cache
def read_holidays(path: Path) -> frozenset[dt.date]:
    """The operators' holidays file (it replaces the shipped calendar)."""
    return parse_holidays(path.read_text(encoding="utf-8"), source=str(path))


def holidays_of(settings: Settings) -> frozenset[dt.date] | None:
    """The operators' holidays when TAWASUL_HOLIDAYS_FILE is set; None means the shipped
    calendar."""
    return read_holidays(settings.holidays_file) if settings.holidays_file else None
