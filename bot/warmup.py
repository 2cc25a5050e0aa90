"""Warm-up at start-up: what a process's first resident would pay, paid once before the
first update.

Much of a turn's cost the first time is one-off: aiogram's method and type models build
their pydantic schemas (``Response[Message]`` and its kin are made on first use), the
gettext catalogues and Babel's locale data are read, SQLAlchemy configures its mappers
and compiles each statement once per engine, the catalogue's and the knowledge base's
word indexes are built, Lua scripts are loaded into Redis. Measured, that made the
first update of a process take over 500 ms and the first «confirm» as long again.

Rather than list those caches one by one (a list that would rot as the code changes),
:func:`warm_up` runs one whole resident dialogue, /start to «confirm», through the real
Telegram channel code, the engine and the database, with these precautions so it leaves
nothing behind and nothing reaches anyone:

- the Bot API is a small one in this process on loopback (bot.warmup_api; not the tests'
  stand-in, which a worker does not import);
- every database write is inside one transaction that is rolled back (the sessions are
  bound to it with savepoints). On PostgreSQL that is the real engine, so its statement
  cache is warm too, and nobody waits for it (rows not yet committed block no one else's).
  On SQLite it is a throwaway database in the warm-up's temporary directory, with the
  same tables (the models' metadata): a transaction on the shared file held its one write
  lock for the whole dialogue (a second, tens on a loaded machine), so the other workers'
  writes waited on it, and when one of them wrote first the warm-up's filing failed with
  «database is locked» (an ERROR and a traceback at every first start of ``--workers 2``:
  fresh-clone tester, report 12 §17). What the real SQLite engine misses is compiling its
  statements once (about a millisecond each) and its first connection, at the first turns;
- its Redis keys are under their own prefix (and the day's media allowance key of a
  made-up user), deleted afterwards;
- media go to a temporary directory; metrics do not count its updates.

:func:`warm_cards` starts the receipt cards' process (``tawasul run`` runs it beside the
warm-up, and its web server does not wait for it): the card is drawn after the turn by the
outbox, but the process's start, imports and fonts, paid at the first card, would take a
core from the first residents' updates.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import gc
import io
import logging
import secrets
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Update
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import Services
from bot.channels.telegram import build_dispatcher, follow_ups_settled, make_bot
from bot.db.engine import make_engine
from bot.db.models import Base
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_intake import DailyQuota, MediaIntake
from bot.media_store import MediaStore
from bot.outbox.receipts import ReceiptQueue
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import holidays_of
from bot.staff.desk import StaffDesk
from bot.warmup_api import TOKEN, Updates, WarmUpBotApi
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.formatting import format_due_date
from conversations.i18n import LOCALES, translations
from domain.catalogue import Catalogue, Service, load_catalogue

log = logging.getLogger(__name__)
#: Set while the warm-up's own dialogue runs (a context variable, so the tasks it starts
#: see it and the real residents' turns running meanwhile do not).
_WARMING: contextvars.ContextVar[bool] = contextvars.ContextVar("tawasul_warming", default=False)


def _not_warming(record: logging.LogRecord) -> bool:
    """Drops the «request NNN filed» line of the warm-up's own request (rolled back, it
    never exists; found by the fresh-clone tester in the start-up log)."""
    return not _WARMING.get()


#: A dialogue that has not reached «confirm» in this many updates has changed shape;
#: the warm-up stops there (what it did is still paid once).
MAX_UPDATES = 30
_IDENTITY = {"resident": "2000000006", "citizen": "1000000008"}
_DESCRIPTION = "تجربة تهيئة عند بدء التشغيل، لا تُرسل إلى أحد."
_NAV = frozenset({"back", "cancel", "help"})


class WarmUpIncomplete(RuntimeError):
    """The scripted dialogue found no way forward (the flow changed); logged, not fatal."""


def _service(catalogue: Catalogue) -> Service:
    for service in catalogue.services:
        if (
            "individual" in service.applicants
            and not service.questions
            and service.min_attachments <= 1
        ):
            return service
    raise WarmUpIncomplete("no service an individual files without questions")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 190, 170)).save(out, format="JPEG")
    return out.getvalue()


async def warm_up(services: Services) -> float:
    """Runs one resident's whole dialogue as described in the module's docstring and
    returns the seconds it took. Never raises for the dialogue itself: a warm-up that
    stops early is logged and start-up goes on (it only costs the first resident time)."""
    started = time.perf_counter()
    prefix = f"tawasul:warmup:{secrets.token_hex(6)}"
    user = 10**15 + secrets.randbelow(10**14)  # a made-up resident's Telegram id
    quota = DailyQuota(services.redis, services.settings.media_daily_bytes)
    logging.getLogger("bot.db.requests_repo").addFilter(_not_warming)
    warming = _WARMING.set(True)
    try:
        _languages()
        with tempfile.TemporaryDirectory(prefix="tawasul-warmup-") as tmp:
            async with _connection(services.db, Path(tmp)) as connection:
                outer = await connection.begin()
                try:
                    sessions = async_sessionmaker(
                        bind=connection,
                        expire_on_commit=False,
                        join_transaction_mode="create_savepoint",
                    )
                    await _dialogue(services, sessions, prefix, user, quota, Path(tmp))
                finally:
                    await outer.rollback()
    except Exception:
        log.warning("start-up warm-up stopped early; the first resident pays the rest",
                    exc_info=True)  # fmt: skip
    finally:
        _WARMING.reset(warming)
        await _forget(services, prefix, quota, user)
    took = time.perf_counter() - started
    log.info("warm-up took %.2f s", took)
    return took


#: The collector's thresholds once start-up is done (Python's are 700, 10, 10): a young
#: collection every 5,000 allocations rather than 700. An update allocates thousands of
#: objects, nearly all freed by reference counting, so at 700 the collector ran ~300 young
#: and ~27 middle collections in a run of ``bench/dialogue.py --users 200 --warmup 50``,
#: 2.3-3.0 s of pauses at load 6-7; at these ~25 and none, 0.6-0.7 s, with 8% less CPU an
#: update, p99 0.76-0.86x and the same peak RSS (two interleaved pairs, issue 12). What
#: waits longer for a collection is only garbage in cycles, a few MB at most.
GC_THRESHOLDS: tuple[int, int, int] = (5000, 20, 10)


def freeze_start_up_heap() -> int:
    """Puts what start-up made (modules, aiogram's models, the catalogues, SQLAlchemy's
    compiled statements: ~285,000 objects after :func:`warm_up`) out of the garbage
    collector's reach, once, before the first update; returns how many objects are frozen.

    A full (generation 2) collection walks every object the collector tracks. Measured
    with ``bench/dialogue.py --users 200 --warmup 50`` (issue 12), two of them fell among
    the counted residents' updates and each stopped the event loop for 0.3–2.3 s (the
    more, the busier the machine): every update in flight waited that long, which was
    most of the p99. Frozen, the start-up's objects are skipped; a full collection then
    walks only what the updates made since (0.16 s at the same load). This is
    :func:`gc.freeze`'s documented use; what start-up made and later drops is still freed
    by reference counting, only cycles among those objects are never collected. Garbage
    already there is collected first, so it is not kept for good. The collector's
    thresholds become :data:`GC_THRESHOLDS`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return gc.get_freeze_count()


@contextlib.asynccontextmanager
async def _connection(db: AsyncEngine, tmp: Path) -> AsyncIterator[AsyncConnection]:
    """Where the warm-up's dialogue writes (see the module's text): a connection of `db`,
    or on SQLite one of a throwaway database under `tmp`, which shares no lock with the
    other workers."""
    if db.dialect.name != "sqlite":
        async with db.connect() as connection:
            yield connection
        return
    throwaway = make_engine(f"sqlite+aiosqlite:///{tmp / 'warmup.sqlite3'}")
    try:
        async with throwaway.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with throwaway.connect() as connection:
            yield connection
    finally:
        await throwaway.dispose()


def _languages() -> None:
    """The warm-up's dialogue runs in Arabic: each other language's catalogue, Babel's names
    of its days and months and a Hijri date are read now, not at that language's first
    resident (their first «confirm» shows the due date)."""
    some_day = dt.date(2026, 3, 1)  # any day: what is read is the same
    for locale in LOCALES:
        translations(locale)
        format_due_date(some_day, locale)


async def warm_cards(services: Services) -> None:
    """Starts the receipt cards' process and has it load its drawing now, not at the first
    card (which would take a core from the event loop for a second or two at that moment).
    Never raises: a failure is logged and the first card starts the process instead."""
    try:
        log.info("receipt cards' process ready in %.2f s", await services.cards.warm())
    except Exception:
        log.warning("the receipt cards' process could not be started; the first card will",
                    exc_info=True)  # fmt: skip


async def _forget(services: Services, prefix: str, quota: DailyQuota, user: int) -> None:
    keys = [key async for key in services.redis.scan_iter(match=f"{prefix}:*", count=500)]
    keys.append(quota._key("telegram", str(user)))  # the key it wrote
    try:
        await services.redis.delete(*keys)
    except Exception:
        log.warning("could not delete the warm-up's Redis keys", exc_info=True)


async def _dialogue(
    services: Services,
    sessions: async_sessionmaker[AsyncSession],
    prefix: str,
    user: int,
    quota: DailyQuota,
    media_dir: Path,
) -> None:
    settings = services.settings
    catalogue = load_catalogue()
    holidays = holidays_of(settings)
    # the same parts as bot.app.build_services, on the rolled-back sessions
    receipts = ReceiptQueue(sessions)
    # the receipt's rows are written in the filing's own transaction
    requests = SqlRequestGateway(sessions, holidays=holidays, receipts=receipts)
    desk = StaffDesk(
        sessions,
        catalogue,
        holidays=holidays,
        arabic_digits=settings.arabic_digits,
        decision_grace_s=settings.decision_grace_s,
    )
    engine = Engine(
        RedisDialogueStore(services.redis, ttl_s=60, prefix=prefix),
        INTAKE,
        catalogue,
        Gateway(requests, desk),
        limiter=RedisAttemptLimiter(services.redis, prefix=f"{prefix}:fail"),
        arabic_digits=settings.arabic_digits,
        receipts=receipts,
    )
    intake = MediaIntake(MediaStore(media_dir), quota, wants=engine.wants_files)
    dispatcher = build_dispatcher(
        engine.handle, intake, follow_ups=receipts, measured=False, fetching=engine.handle
    )
    async with WarmUpBotApi() as api:
        bot = make_bot(TOKEN, api.url)
        try:
            await _script(api, dispatcher, bot, user, _service(catalogue))
        finally:
            await follow_ups_settled(dispatcher)  # the receipt's release, not awaited
            await bot.session.close()


async def _script(
    api: WarmUpBotApi, dispatcher: Dispatcher, bot: Any, user: int, service: Service
) -> None:
    """Presses what each step's keyboard offers, as bench/harness.py's residents do."""
    updates = Updates(user, first_update_id=secrets.randbelow(10**9))
    photo = _jpeg()
    kind = "resident" if "resident" in service.identity_kinds else "citizen"
    sent: set[str] = set()

    async def feed(raw: dict[str, Any]) -> None:
        await dispatcher.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))

    stamped: dict[str, str] = {}

    def tap(data: str) -> dict[str, Any]:
        # a button's callback data carries its message's stamp («ind~70a766»): the tap
        # sends it whole, as Telegram does
        full = stamped.get(data, data)
        return updates.callback(full, api.last_message(user))

    await feed(updates.text("/start"))
    for _ in range(MAX_UPDATES):
        markup = api.last_keyboard(user) or {}
        raw_ids = [
            str(b.get("callback_data")) for row in markup.get("inline_keyboard", []) for b in row
        ]
        stamped.clear()
        stamped.update((i.split("~", 1)[0], i) for i in raw_ids)
        ids = list(stamped)
        if "keyboard" in markup:
            sent.add("phone")
            raw = updates.contact("966501234567")
        elif "confirm" in ids:
            await feed(tap("confirm"))
            return
        elif step := next(
            (s for s in ("ind", f"g:{service.group}", f"s:{service.id}") if s in ids), None
        ):
            raw = tap(step)
        elif "done" in ids:
            if "photo" in sent:
                raw = tap("done")
            else:
                sent.add("photo")
                file_id = f"AgACAgQAAxkBAAI{secrets.token_urlsafe(30)}"  # Telegram's shape
                api.add_file(file_id, photo)
                raw = updates.photo(file_id, len(photo), 1280, 960)
        elif ids and set(ids) <= _NAV and "identity" not in sent:
            sent.add("identity")
            raw = updates.text(_IDENTITY[kind])
        elif ids and set(ids) <= _NAV and "phone" in sent and "description" not in sent:
            sent.add("description")
            raw = updates.text(_DESCRIPTION)
        else:
            raise WarmUpIncomplete(f"no way forward from {ids!r}")
        await feed(raw)
    raise WarmUpIncomplete(f"not at «confirm» after {MAX_UPDATES} updates")
