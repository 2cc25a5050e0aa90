"""``GET /healthz``, ``GET /readyz`` and ``GET /metrics`` for load balancers, orchestrators
and Prometheus.

- /healthz: the process lives and its loop answers, and what the process itself runs is
  up; the body names the process, which tells apart the workers sharing one port. A
  dependency someone else runs (a configured Redis, the database) being away does not
  count: restarting the process would not bring it back, and /readyz says it. The embedded
  Valkey of ``make run`` (bot.embedded_redis) is this process's own child: once it has
  stopped and could not be started again, /healthz answers 503 naming ``redis``, so a
  supervisor restarts the process (whose start then says why in one line).
- /readyz: Redis and the database each answer within a second, and the process is not
  shutting down; otherwise 503 with the failing ones named in the body, so a load balancer
  sends webhooks to another worker (an embedded server down for good is named as such). A staff group the bot cannot post to (removed, rights
  taken away: bot.outbox.staff_group) is shown under ``staff_group`` with the setting or
  right to change, but leaves the worker ready: residents are still served and the cards
  wait, so taking every worker out of the balancer would only make things worse.
- /metrics: bot.metrics in the Prometheus text format; the outbox figures are read from
  the database at each scrape.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import embedded_redis
from bot.metrics import (
    CHANNELS,
    CONTENT_TYPE,
    WEBHOOK_QUEUE_DEPTH,
    RequestFigures,
    exposition,
    refresh_outbox,
)

log = logging.getLogger(__name__)

#: How long a dependency may take to answer before the process is not ready.
READY_TIMEOUT_S: Final = 1.0


@dataclass
class Health:
    """What the checks look at; `draining` is set when the server begins to stop."""

    redis: Redis
    sessions: async_sessionmaker[AsyncSession]
    #: channel -> its webhook queue depth now
    depths: dict[str, Callable[[], int]]
    draining: bool = False
    #: the staff group's current problem (condition, detail, fix, since), None when fine
    staff_problem: Callable[[], Awaitable[dict[str, str] | None]] | None = None
    #: open and overdue requests by department, read at a scrape (cached briefly)
    requests: RequestFigures | None = None
    #: when draining must be over (time.monotonic()), once a signal began it
    drain_until: float | None = None
    #: why the embedded Redis this process tends is down for good, None while it is not
    embedded_down: Callable[[], str | None] = embedded_redis.down


HEALTH_KEY: Final = web.AppKey("health", Health)


def add_health(app: web.Application, health: Health) -> None:
    """Serve the three endpoints from `app`; readiness turns 503 as the app shuts down."""
    app[HEALTH_KEY] = health

    async def on_shutdown(app: web.Application) -> None:
        health.draining = True

    app.on_shutdown.append(on_shutdown)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)


def begin_drain(app: web.Application, within_s: float) -> None:
    """A stop was asked for (SIGTERM): from now on /readyz answers 503 «draining» and the
    webhooks answer 503 to new calls (the platforms deliver them again, to another worker
    or to the next process), while the server still listens. What was accepted has
    `within_s` seconds to be finished (see :func:`drain_left`)."""
    health = app[HEALTH_KEY]
    health.draining = True
    health.drain_until = time.monotonic() + within_s


def draining(app: web.Application) -> bool:
    """Whether `app` is shutting down: webhooks accept nothing new."""
    health = app.get(HEALTH_KEY)
    return health is not None and health.draining


def drain_left(app: web.Application, default_s: float) -> float:
    """Seconds left to finish the accepted updates: what remains of the drain begun by
    :func:`begin_drain`, else `default_s` (a stop without a signal, as in the tests)."""
    health = app.get(HEALTH_KEY)
    if health is None or health.drain_until is None:
        return default_s
    return max(0.0, health.drain_until - time.monotonic())


async def _healthz(request: web.Request) -> web.Response:
    health = request.app[HEALTH_KEY]
    queued = sum(depth() for depth in health.depths.values())
    # the pid tells the workers sharing one port apart (bot.supervisor)
    body: dict[str, object] = {"ok": True, "queued": queued, "pid": os.getpid()}
    down = health.embedded_down()
    if down is not None:
        body |= {"ok": False, "failing": [f"redis: {down}"]}
        return web.json_response(body, status=503)
    return web.json_response(body)


async def _redis_answers(redis: Redis) -> None:
    await redis.ping()


async def _database_answers(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await session.execute(text("SELECT 1"))


async def _answers(what: str, check: asyncio.Future[None] | asyncio.Task[None]) -> str | None:
    """None when `check` ends well within the timeout; else why not (never the error's
    text: a connection URL may hold a password)."""
    try:
        await asyncio.wait_for(check, READY_TIMEOUT_S)
    except TimeoutError:
        return f"{what}: no answer within {READY_TIMEOUT_S:g} s"
    except Exception as exc:
        return f"{what}: {type(exc).__name__}"
    return None


async def _readyz(request: web.Request) -> web.Response:
    health = request.app[HEALTH_KEY]
    if health.draining:
        return web.json_response({"ready": False, "failing": ["draining"]}, status=503)
    down = health.embedded_down()
    results = await asyncio.gather(
        _answers("redis", asyncio.ensure_future(_redis_answers(health.redis))),
        _answers("database", asyncio.ensure_future(_database_answers(health.sessions))),
    )
    failing = [result for result in results if result is not None]
    if down is not None:  # what is wrong, rather than what the ping ran into
        failing = [f"redis: {down}", *(f for f in failing if not f.startswith("redis:"))]
    if failing:
        log.warning("not ready: %s", "; ".join(failing))
        return web.json_response({"ready": False, "failing": failing}, status=503)
    body: dict[str, object] = {"ready": True}
    if health.staff_problem is not None:
        problem = await _staff_problem(health.staff_problem)
        if problem is not None:
            body["staff_group"] = problem
    return web.json_response(body)


async def _staff_problem(
    read: Callable[[], Awaitable[dict[str, str] | None]],
) -> dict[str, str] | None:
    try:
        return await asyncio.wait_for(read(), READY_TIMEOUT_S)
    except Exception as exc:  # Redis answered the ping just before: say so, stay ready
        return {"condition": "unknown", "detail": type(exc).__name__}


async def _metrics(request: web.Request) -> web.Response:
    health = request.app[HEALTH_KEY]
    for channel in CHANNELS:
        depth = health.depths.get(channel)
        WEBHOOK_QUEUE_DEPTH.labels(channel).set(depth() if depth else 0)
    try:
        await asyncio.wait_for(refresh_outbox(health.sessions), READY_TIMEOUT_S)
    except Exception as exc:  # the other figures are still worth serving
        log.warning("outbox figures not read for /metrics: %s", type(exc).__name__)
    if health.requests is not None:
        try:
            await asyncio.wait_for(health.requests.refresh(), READY_TIMEOUT_S)
        except Exception as exc:
            log.warning("request figures not read for /metrics: %s", type(exc).__name__)
    return web.Response(body=exposition(), headers={"Content-Type": CONTENT_TYPE})
