"""Settings from the environment or ``.env``; a missing or malformed one stops start-up
with one clear line (the checks, and the line each gives: bot.settings_checks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.db.engine import with_pgbouncer
from bot.redis_ha import SentinelTarget, parse_sentinels
from bot.settings_checks import WHATSAPP_REQUIRED, SettingsChecks, read_holidays


class SettingsError(SystemExit):
    """Raised with the one line to print; a SystemExit so the CLI ends without a trace."""


class Settings(SettingsChecks):
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
    # the database user's password, kept out of TAWASUL_DATABASE_URL (a URL holds it only
    # escaped: «@», «/», «:» or «%» in it broke the compose file's URL); put into the URL
    # here, escaped (sqlalchemy_url)
    database_password: str | None = Field(default=None, validate_default=True)
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
    # whether a staff group the bot cannot reach (removed, Telegram not answering) makes
    # /readyz 503 ("required", as a dependency down) or is only shown in its body
    # ("report": WhatsApp stays served through a Telegram outage); bot.staff_reach
    ready_staff_group: Literal["required", "report"] = "required"
    # seconds between two getChat probes of the staff group for /readyz, across every
    # worker (the verdict is shared in Redis); a failed one is tried again within 5 s
    ready_staff_probe_s: float = Field(default=30.0, ge=1, le=3600)
    # failed probes in a row (each re-tried within 5 s) before Telegram not answering makes
    # /readyz 503: one 502 from the Bot API is a blip, not an outage
    ready_staff_failures: int = Field(default=3, ge=1, le=100)
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

    @property
    def whatsapp_enabled(self) -> bool:
        return all(getattr(self, name) for name in WHATSAPP_REQUIRED)

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

    @property
    def officers(self) -> frozenset[int]:
        return frozenset(int(p) for p in self.officer_ids.replace(",", " ").split())

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url
        if url and self.database_password:
            # escaped by SQLAlchemy, whatever the password holds
            with_password = make_url(url).set(password=self.database_password)
            url = with_password.render_as_string(hide_password=False)
        if url and self.database_pgbouncer:
            return with_pgbouncer(url)
        if url:
            return url
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


def holidays_of(settings: Settings) -> frozenset[dt.date] | None:
    """The operators' holidays when TAWASUL_HOLIDAYS_FILE is set; None means the shipped
    calendar."""
    return read_holidays(settings.holidays_file) if settings.holidays_file else None
