"""Killing the delivery process between commit and send loses nothing and sends nothing
twice to the person.

The worker is a real process (``tests/integration/outbox_worker.py``: settings from the
environment, the services and ``build_delivery`` as ``tawasul run`` wires them) killed
with SIGKILL at a chosen point of a send, which the Bot API stand-in holds open:

- before Telegram has the message: after a restart (once the dead worker's lease has run
  out) every notification arrives exactly once, in order;
- after Telegram accepted it but before the worker recorded it: that one notification
  arrives twice. This is the window the dispatcher documents: no Bot API call takes an
  idempotency key, so it can be made narrow (one row, marked right after its own send)
  but not closed. The test pins it down so that it cannot silently grow.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.integration.outbox_support import STAFF_CHAT, Rig, rig

SARA, KHALID = 5_100_000_001, 5_100_000_002
LEASE_S = 2.0
STARTUP_S = 180
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


async def start_worker(
    r: Rig, db_url: str, redis_url: str, data_dir: Path
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TAWASUL_DATABASE_URL": db_url,
        "TAWASUL_REDIS_URL": redis_url,
        "TAWASUL_DATA_DIR": str(data_dir),
        "TAWASUL_TELEGRAM_TOKEN": r.api.token,
        "TAWASUL_TELEGRAM_API_URL": r.api.url,
        "TAWASUL_STAFF_CHAT_ID": str(STAFF_CHAT),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.outbox_worker", str(LEASE_S),
        cwd=data_dir,  # no stray .env from the repository
        env=env,
        stdin=asyncio.subprocess.PIPE,  # the worker ends when this test's process does
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        # a fresh interpreter importing the whole bot: slow on a busy machine
        async with asyncio.timeout(STARTUP_S):
            assert (await proc.stdout.readline()).strip() == b"ready"
    except BaseException:
        await kill(proc)  # or it delivers on, into the next tests' databases
        raise
    return proc


async def kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()  # SIGKILL: no clean-up of any kind
    await proc.wait()


async def test_killed_before_telegram_has_it_every_notification_arrives_once(
    r: Rig, db_url: str, redis_url: str, tmp_path: Path
) -> None:
    await r.notify(SARA, "تم استلام طلبك", "طلبك قيد الدراسة")
    (khalid_row,) = await r.notify(KHALID, "تم استلام طلبك يا خالد")
    gate = r.api.hold("sendMessage", chat_id=SARA)  # Sara's first notification, in flight

    worker = await start_worker(r, db_url, redis_url, tmp_path)
    try:
        await asyncio.wait_for(gate.arrived.wait(), 60)
        claimed_at = time.monotonic()
        # Khalid's own send runs beside Sara's; the kill comes once it is recorded, so
        # what is tested is Sara's row, not the documented window on Khalid's
        async with asyncio.timeout(30):
            while (await r.row(khalid_row)).sent_at is None:  # noqa: ASYNC110 (a DB row, no event to wait on)
                await asyncio.sleep(0.05)
    finally:
        await kill(worker)
    gate.release()
    await asyncio.sleep(0.2)
    assert gate.dropped  # the killed worker's request never reached "Telegram"
    first = (await r.rows())[0]
    assert first.sent_at is None and first.claimed_until is not None  # a dead worker's claim

    worker = await start_worker(r, db_url, redis_url, tmp_path)
    try:
        await r.settled(within=60)
    finally:
        await kill(worker)
    assert r.api.texts(SARA) == ["تم استلام طلبك", "طلبك قيد الدراسة"]
    assert r.api.texts(KHALID) == ["تم استلام طلبك يا خالد"]
    resent = r.api.calls_for(SARA, "sendMessage")[0].at
    assert resent - claimed_at >= LEASE_S - 0.5  # only once the dead worker's lease ran out
    assert {row.delivery_status for row in await r.rows()} == {"sent"}


async def test_killed_after_telegram_accepted_it_that_one_notification_comes_twice(
    r: Rig, db_url: str, redis_url: str, tmp_path: Path
) -> None:
    await r.notify(SARA, "تم استلام طلبك", "طلبك قيد الدراسة")
    # Telegram accepts Sara's first notification; the answer never reaches the worker
    gate = r.api.hold("sendMessage", chat_id=SARA, after=True)

    worker = await start_worker(r, db_url, redis_url, tmp_path)
    try:
        await asyncio.wait_for(gate.arrived.wait(), 60)
    finally:
        await kill(worker)
    gate.release()

    worker = await start_worker(r, db_url, redis_url, tmp_path)
    try:
        await r.settled(within=60)
    finally:
        await kill(worker)
    assert r.api.texts(SARA) == ["تم استلام طلبك", "تم استلام طلبك", "طلبك قيد الدراسة"]
