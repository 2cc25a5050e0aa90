"""``GET /healthz``, ``GET /readyz`` and ``GET /metrics`` for load balancers, orchestrators
and Prometheus.

- /healthz: the process lives and its loop answers, and what the process itself runs is
  up; the body names the process, which tells apart the workers sharing one port. A
  dependency someone else runs (a configured Redis, the database) being away does not
  count: restarting the process would not bring it back, and /readyz says it. The embedded
  Valkey of ``make run`` (bot.embedded_redis) is this process's own child: once it has
  stopped and could not be started again, /healthz answers 503 naming ``redis``, so a
  supervisor restarts the process (whose start then says why in one line).
- /readyz: Redis and the database each answer within a second, the staff group (when
  configured) can be reached, and the process is not shutting down; otherwise 503 with
  the failing ones named in the body, so a load balancer sends webhooks to another worker
  (an embedded server down for good is named as such). The staff group: bot.staff_reach
  (one ``getChat`` probe at most every TAWASUL_READY_STAFF_PROBE_S seconds across the
  workers, and what the cards' deliveries learnt), shown under ``staff_group`` with the
  setting or right to change and named ``staff_group: <condition>`` among the failing;
  with TAWASUL_READY_STAFF_GROUP=report it is shown but leaves the worker ready, for an
  operator who keeps WhatsApp served through a Telegram outage.
- /metrics: bot.metrics in the Prometheus text format; the outbox figures are read from
  the database at each scrape.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

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

if TYPE_CHECKING:
    from bot.staff_reach import StaffReach

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
    #: the staff group's reachability (None: no staff group configured)
    staff: StaffReach | None = None
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
        if health.staff is not None:
            await health.staff.close()

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
    # the three at once: a load balancer's check times out within a couple of seconds
    redis, database, problem = await asyncio.gather(
        _answers("redis", asyncio.ensure_future(_redis_answers(health.redis))),
        _answers("database", asyncio.ensure_future(_database_answers(health.sessions))),
        _staff_problem(health.staff),
    )
    failing = [result for result in (redis, database) if result is not None]
    if down is not None:  # what is wrong, rather than what the ping ran into
        failing = [f"redis: {down}", *(f for f in failing if not f.startswith("redis:"))]
    body: dict[str, object] = {}
    # the staff group's verdict lives in Redis: with Redis away there is none to read
    if health.staff is not None and not any(f.startswith("redis:") for f in failing):
        if problem is not None:
            body["staff_group"] = problem
            if health.staff.fails(problem):
                failing.append(f"staff_group: {problem.get('condition')}")
    if failing:
        log.warning("not ready: %s", "; ".join(failing))
        return web.json_response({"ready": False, "failing": failing, **body}, status=503)
    return web.json_response({"ready": True, **body})


async def _staff_problem(staff: StaffReach | None) -> dict[str, str] | None:
    """The staff group's problem, None when none is known (or no group is configured);
    a probe of Telegram is waited for half the readiness bound at most, then goes on
    alone (bot.staff_reach)."""
    if staff is None:
        return None
    try:
        return await asyncio.wait_for(staff.problem(READY_TIMEOUT_S / 2), READY_TIMEOUT_S)
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
