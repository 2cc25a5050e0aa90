"""Composition: settings in, the running parts out (Redis, database, engine)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.abuse.alert import flood_alert
from bot.abuse.blocks import BlockList
from bot.abuse.filing import FilingLimits
from bot.abuse.guard import InboundGuard, Screen
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.lost_files import SqlLostFiles
from bot.db.personal_data import SqlPersonalData
from bot.db.requests_repo import SqlRequestGateway
from bot.db.startup import prepare_data_dir, upgrade_alone
from bot.gateway import Gateway
from bot.media_intake import DailyQuota, MediaIntake
from bot.media_store import MediaStore
from bot.metrics import watch_redis, watch_sql
from bot.outbox.receipts import ReceiptQueue
from bot.receipt_cards import ReceiptCards
from bot.redis_conn import open_redis
from bot.redis_ha import replicas_to_wait
from bot.redis_migrate import migrate_keys
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings, holidays_of
from bot.staff.desk import StaffDesk
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    redis: Redis
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    gateway: SqlRequestGateway
    engine: Engine
    media: MediaStore
    desk: StaffDesk
    # the checks around every channel's downloads (steps that take files, daily allowance)
    intake: MediaIntake
    # the receipt cards: queued by the dialogue, drawn (in a process pool) and sent by the
    # outbox; the channels release them once the confirmation text is out
    receipts: ReceiptQueue
    cards: ReceiptCards
    # blocked people and the limits, checked by every channel before any work (bot.abuse)
    blocks: BlockList | None = None
    guard: InboundGuard | None = None

    @property
    def screen(self) -> Screen | None:
        return None if self.guard is None else self.guard.screen


@asynccontextmanager
async def build_services(settings: Settings, *, migrate: bool = True) -> AsyncIterator[Services]:
    prepare_data_dir(settings.data_dir)
    if migrate:
        await upgrade_alone(settings)
    db = make_engine(settings.sqlalchemy_url)
    watch_sql(db)  # failed statements counted for /metrics
    sessions = make_sessionmaker(db)
    holidays = holidays_of(settings)
    catalogue = load_catalogue()
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
    gateway = Gateway(requests, desk)
    cards = ReceiptCards(settings.data_dir / "receipts", catalogue)
    try:
        async with open_redis(
            settings.redis_url,
            settings.data_dir / "redis",
            sentinels=settings.redis_sentinel_target,
            cluster=settings.redis_cluster,
        ) as redis:
            watch_redis(redis)  # failed commands counted for /metrics
            if not settings.redis_url and settings.redis_sentinel_target is None:
                # `make run`'s embedded server: its keys are moved to their hash-tagged
                # names here (a deployment runs `tawasul redis migrate-keys`, README)
                await migrate_keys(redis)
            # behind Sentinel a turn is answered once the replica holds it (bot.redis_store)
            replicas = replicas_to_wait(settings.redis_sentinel_target)
            store = RedisDialogueStore(redis, ttl_s=settings.dialogue_ttl_s, replicas=replicas)
            gateway.limits = FilingLimits(
                redis,
                per_account=settings.requests_per_day,
                per_identity=settings.requests_per_identity_per_day,
            )
            blocks = BlockList(sessions, redis)
            guard = InboundGuard(
                redis,
                blocks,
                store,
                messages_per_minute=settings.messages_per_minute,
                new_chats_limit=settings.new_chats_limit,
                new_chats_window_s=settings.new_chats_window_s,
                alert=flood_alert(sessions),
                arabic_digits=settings.arabic_digits,
            )
            engine = Engine(
                store,
                INTAKE,
                catalogue,
                gateway,
                limiter=RedisAttemptLimiter(redis, max_failures=settings.status_lookups_per_hour),
                arabic_digits=settings.arabic_digits,
                receipts=receipts,
                # a photo lost while Redis is away: noted where every worker sees it
                lost_files=SqlLostFiles(sessions),
            )
            media = MediaStore(settings.data_dir)
            engine.personal_data = SqlPersonalData(
                sessions,
                media,
                settings.retention_days,
                dt.timedelta(hours=settings.media_grace_hours),
                exports=settings.data_dir / "exports",
            )
            quota = DailyQuota(redis, settings.media_daily_bytes)
            intake = MediaIntake(media, quota, wants=engine.wants_files)
            yield Services(
                settings,
                redis,
                db,
                sessions,
                requests,
                engine,
                media,
                desk,
                intake,
                receipts,
                cards,
                blocks,
                guard,
            )
    finally:
        cards.close()
        await db.dispose()
