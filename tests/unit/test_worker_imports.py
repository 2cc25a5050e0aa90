"""A worker's memory: the libraries only some work needs are not imported by the modules
every Telegram worker loads (issue 12, peak RSS below 250 MB with 200 residents at once).
Alembic migrates in a deploy step, the receipt card is drawn in its own process, HEIC
photos are rare, the /stats chart is drawn on an officer's ask, and pywa (with httpx) only
when WhatsApp is configured."""

from __future__ import annotations

import subprocess
import sys

# what bench/dialogue.py and `tawasul run` load to serve Telegram residents and officers
WORKER_MODULES = (
    "bot.app",
    "bot.channels.telegram",
    "bot.warmup",
    "bot.outbox.wiring",
    "bot.outbox.receipts",
    "bot.staff.router",
    "bot.staff.commands",
    # what `tawasul run` imports besides, WhatsApp configured or not
    "bot.runner",
    "bot.web",
    "bot.db.startup",
    "bot.channels.poll_lease",
    "bot.db.accounts",
    "bot.media_sweep",
    "bot.retention",
    "bot.staff.schedule",
)
NOT_IN_A_WORKER = (
    "alembic",  # bot.db.migrate imports it when it migrates
    "bot.receipt",  # the card's drawing: in the cards' process pool
    "qrcode",
    "arabic_reshaper",
    "bidi",
    "PIL.ImageFont",
    "pillow_heif",  # bot.media_intake imports it for a file that can be HEIF
    "matplotlib",  # bot.staff.chart imports it to draw
    "sqlalchemy.dialects.postgresql",  # ~2 MB: bot.db.engine.postgresql_insert, on PostgreSQL
    "pywa",  # WhatsApp's client, with httpx: when WhatsApp is served (bot.whatsapp_runtime)
    "pywa_async",
    "httpx",
    # the tests' Bot API stand-in and update builders: the warm-up has its own small Bot API
    # (bot.warmup_api)
    "standins",
)


def _loaded(modules: tuple[str, ...], wanted: tuple[str, ...]) -> list[str]:
    code = (
        f"import sys\nfor m in {modules!r}: __import__(m)\n"
        f"print(' '.join(m for m in {wanted!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_a_worker_does_not_import_what_it_hands_off_or_rarely_needs() -> None:
    assert _loaded(WORKER_MODULES, NOT_IN_A_WORKER) == []


def test_the_cards_process_and_a_migration_do_import_them() -> None:
    """The test above would pass with the names misspelt: the same check sees them here."""
    assert _loaded(("bot.receipt", "alembic.command"), NOT_IN_A_WORKER[:5]) == [
        "alembic",
        "bot.receipt",
        "qrcode",
        "arabic_reshaper",
        "bidi",
    ]


def test_the_whatsapp_runtime_does_import_pywa() -> None:
    """The names of the first test's WhatsApp entries, checked the same way."""
    assert _loaded(("bot.whatsapp_runtime",), NOT_IN_A_WORKER[-4:-1]) == list(
        NOT_IN_A_WORKER[-4:-1]
    )


def test_the_benchmark_does_import_the_standin() -> None:
    """The stand-in's entry above, checked the same way (bench/ runs it for its residents)."""
    assert _loaded(("bench.standin_api",), ("standins",)) == ["standins"]


def test_postgresql_insert_does_import_the_dialect() -> None:
    """The dialect's entry above, checked the same way."""
    code = "from bot.db.engine import postgresql_insert; postgresql_insert()"
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print('sqlalchemy.dialects.postgresql' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["True"]
