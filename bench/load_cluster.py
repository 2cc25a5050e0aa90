"""The deployment bench/load.py drives: real `tawasul run` worker processes on loopback
ports, a real Redis with its append-only file on (or, with ``sentinel``, a master, a replica
and two sentinels, the set tests/redis_topologies.py starts for the Sentinel tests), a real
database (the SQLite file in the
shared data directory, or a throwaway PostgreSQL cluster), and the faults done to them.

Every worker is started the way an operator starts one in production: the database is
migrated first by `tawasul db upgrade` (a deploy step), then each `tawasul run` process gets
the Telegram webhook settings and its own TAWASUL_HTTP_PORT; the bench in front of them plays
the load balancer. Or (``supervised``) one `tawasul run --workers N` serves one port: its
supervisor (bot.supervisor) starts the N workers, starts again one that dies and stops them
all at its SIGTERM, and the bench only plays Telegram. Nothing here is faked: a fault is a
real SIGKILL, a real Redis restart, a real database outage, a real ``SENTINEL FAILOVER``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import aiohttp

from bench.load_database import Database
from bench.load_logs import port_taken, tail
from tests.proc_tree import workers_of
from tests.redis_topologies import SERVICE as SENTINEL_SERVICE
from tests.redis_topologies import SentinelSet
from tests.servers import RedisServer, free_port, real_clock_env

ROOT: Final = Path(__file__).resolve().parents[1]
WEBHOOK_SECRET: Final = "load_bench-secret"
#: Where the staff cards go (a supergroup id as Telegram writes them).
STAFF_CHAT: Final = -1001234500001
#: Start-up of a worker (imports, the warm-up dialogue, then the web server) on a loaded
#: 2-core machine: about 10 s of CPU (7 of them importing aiogram, whose 440 pydantic models
#: are all built at import), so 12 s on a quiet machine, 36-60 s at a load average of 11,
#: and from one to five minutes at 14-22, when 360 s (the bound before) was once too short.
#: A bound for a start that is stuck, not a measure of one.
START_TIMEOUT_S: Final = 600.0
#: How long a worker (or the supervisor, its workers) may take to stop after SIGTERM: the
#: drain (20 s at most), the supervisor's margin (bot.supervisor.STOP_MARGIN_S), and
#: closing on a loaded machine.
STOP_TIMEOUT_S: Final = 90.0


#: Starts of one worker on a new port when its port was taken meanwhile (see until_ready).
PORT_TRIES: Final = 3


class ClusterError(RuntimeError):
    pass


@dataclass
class Worker:
    """One `tawasul run` process serving the webhook on `port`."""

    index: int
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None


@dataclass
class Cluster:
    """Redis (one server, or a Sentinel set), the database and the workers, with the Bot
    API stand-in's address."""

    data_dir: Path
    api_url: str
    api_token: str
    redis: RedisServer | SentinelSet
    database: Database
    staff_group: bool = False
    log_level: str = "WARNING"
    workers: list[Worker] = field(default_factory=list)
    http: aiohttp.ClientSession | None = None
    #: one `tawasul run --workers N` on one port (its workers are the supervisor's
    #: children), rather than N `tawasul run` processes each on a port of its own
    supervised: bool = False
    #: the workers wanted (under the supervisor, its --workers)
    worker_count: int = 0

    def env(self, port: int) -> dict[str, str]:
        env = {k: v for k, v in real_clock_env().items() if not k.startswith("TAWASUL_")}
        env |= {
            "TAWASUL_TELEGRAM_TOKEN": self.api_token,
            "TAWASUL_TELEGRAM_API_URL": self.api_url,
            "TAWASUL_TELEGRAM_WEBHOOK_URL": "https://bot.example.sa/telegram/webhook",
            "TAWASUL_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TAWASUL_HTTP_HOST": "127.0.0.1",
            "TAWASUL_HTTP_PORT": str(port),
            "TAWASUL_DATABASE_URL": self.database.url,
            "TAWASUL_DATA_DIR": str(self.data_dir),
            "TAWASUL_LOG_LEVEL": self.log_level,
            # the migration is `tawasul db upgrade`, run once before the workers start
            "TAWASUL_AUTO_MIGRATE": "false",
            # every simulated resident files with the same synthetic iqama number, and all
            # are chats the bot has never seen: the abuse limits on both would refuse them
            "TAWASUL_REQUESTS_PER_IDENTITY_PER_DAY": "0",
            "TAWASUL_NEW_CHATS_LIMIT": "0",
            # the 08:00 digest would land in the staff group whenever the bench runs
            "TAWASUL_STAFF_SCHEDULE": "off",
            "PYTHONPATH": str(ROOT),
        }
        if isinstance(self.redis, SentinelSet):
            env["TAWASUL_REDIS_SENTINELS"] = self.redis.setting
            env["TAWASUL_REDIS_SERVICE"] = SENTINEL_SERVICE
        else:
            env["TAWASUL_REDIS_URL"] = self.redis.url
        if self.staff_group:
            env["TAWASUL_STAFF_CHAT_ID"] = str(STAFF_CHAT)
        return env

    @property
    def server(self) -> RedisServer:
        """The one Redis server (the `redis` fault); raises ClusterError behind Sentinel."""
        if not isinstance(self.redis, RedisServer):
            raise ClusterError("the Redis restart needs one server, not a Sentinel set")
        return self.redis

    @property
    def sentinels(self) -> SentinelSet:
        """The Sentinel set (the `failover` fault); raises ClusterError without one."""
        if not isinstance(self.redis, SentinelSet):
            raise ClusterError("a failover needs the Sentinel set (--sentinel)")
        return self.redis

    async def migrate(self) -> None:
        """`tawasul db upgrade`, the deploy step before any worker starts."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "db", "upgrade", cwd=ROOT, env=self.env(8080),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise ClusterError(f"tawasul db upgrade failed:\n{out.decode()[-2000:]}")

    async def start_workers(self, count: int) -> None:
        self.worker_count = count
        if self.supervised:
            # one process on one port: the supervisor; its workers log to its standard error
            self.workers = [Worker(0, free_port(), self.data_dir / "supervisor.log")]
        else:
            self.workers = [
                Worker(i, free_port(), self.data_dir / f"worker-{i}.log") for i in range(count)
            ]
        for worker in self.workers:
            await self.spawn(worker)
        await asyncio.gather(*(self.until_ready(w) for w in self.workers))

    async def spawn(self, worker: Worker) -> None:
        more = ["--workers", str(self.worker_count)] if self.supervised else []
        with worker.log.open("ab") as log:
            worker.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", *more, cwd=ROOT,
                env=self.env(worker.port), stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        worker.starts += 1

    async def until_ready(self, worker: Worker, timeout_s: float = START_TIMEOUT_S) -> float:
        """Seconds until `worker` answers /readyz with 200 (under the supervisor: and each
        of its `worker_count` workers has answered on the port, its web server up, which
        it starts after its warm-up); raises ClusterError."""
        assert self.http is not None
        started = time.monotonic()
        last = "no answer"
        answered: set[int] = set()  # the pids that answered /healthz (supervised)
        while time.monotonic() - started < timeout_s:
            if worker.process is not None and worker.process.returncode is not None:
                if port_taken(worker.log) and worker.starts < PORT_TRIES:
                    # free_port() found it free, then another process on this shared
                    # machine took it before the worker bound it: a new port, a new start
                    worker.port = free_port()
                    await self.spawn(worker)
                    continue
                raise ClusterError(f"worker {worker.index} exited:\n{tail(worker.log)}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                # a new connection each time, so that any of the port's workers may take it
                async with self.http.get(
                    f"{worker.base}/readyz",
                    headers={"Connection": "close"},
                    timeout=aiohttp.ClientTimeout(total=2),
                ) as ready:
                    if ready.status == 200 and await self._all_answered(worker, answered):
                        return time.monotonic() - started
                    last = f"{ready.status} {(await ready.text())[:300]}"
            await asyncio.sleep(0.1)
        raise ClusterError(
            f"worker {worker.index} not ready in {timeout_s:.0f} s (/readyz: {last}):\n"
            f"{tail(worker.log)}"
        )

    async def _all_answered(self, worker: Worker, answered: set[int]) -> bool:
        """Unsupervised: True. Supervised: asks /healthz once more on a new connection
        (its body names the worker that answered) and says whether every current worker
        of the supervisor has answered since the wait began."""
        if not self.supervised:
            return True
        assert self.http is not None and worker.process is not None
        async with self.http.get(
            f"{worker.base}/healthz",
            headers={"Connection": "close"},
            timeout=aiohttp.ClientTimeout(total=2),
        ) as health:
            if health.status == 200:
                answered.add(int((await health.json())["pid"]))
        current = workers_of(worker.process.pid)
        return len(current) == self.worker_count and current <= answered

    async def kill_supervised(self, supervisor: Worker) -> tuple[int, int]:
        """SIGKILL to one of the supervisor's workers; returns once the supervisor has
        started another in its place: (the killed pid, the new one). Raises ClusterError
        when none is started within START_TIMEOUT_S."""
        assert supervisor.process is not None
        before = workers_of(supervisor.process.pid)
        if not before:
            raise ClusterError("the supervisor has no worker to kill")
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if supervisor.process.returncode is not None:
                raise ClusterError(f"the supervisor exited:\n{tail(supervisor.log)}")
            new = workers_of(supervisor.process.pid) - before
            if new and victim not in workers_of(supervisor.process.pid):
                return victim, min(new)
            await asyncio.sleep(0.05)
        raise ClusterError(f"no worker started in place of {victim}:\n{tail(supervisor.log)}")

    async def all_ready(self, timeout_s: float = START_TIMEOUT_S) -> float:
        """Seconds until every worker is ready (Redis and the database answer)."""
        started = time.monotonic()
        await asyncio.gather(*(self.until_ready(w, timeout_s) for w in self.workers))
        return time.monotonic() - started

    async def kill(self, worker: Worker) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine or the OOM killer ends it."""
        if worker.process is not None and worker.process.returncode is None:
            worker.process.send_signal(signal.SIGKILL)
            await worker.process.wait()

    def worker_pids(self) -> set[int]:
        """The pids of the processes serving updates now: the workers, or under the
        supervisor its worker processes (the supervisor itself serves none)."""
        pids: set[int] = set()
        for worker in self.workers:
            if worker.alive and worker.process is not None:
                pid = worker.process.pid
                pids |= workers_of(pid) if self.supervised else {pid}
        return pids

    async def stop_workers(self) -> list[int | None]:
        """SIGTERM to every worker (the clean stop), their exit codes."""
        for worker in self.workers:
            if worker.alive:
                assert worker.process is not None
                worker.process.send_signal(signal.SIGTERM)
        codes: list[int | None] = []
        for worker in self.workers:
            if worker.process is None:
                codes.append(None)
                continue
            try:
                async with asyncio.timeout(STOP_TIMEOUT_S):
                    codes.append(await worker.process.wait())
            except TimeoutError:
                await self.kill(worker)
                codes.append(None)
        return codes


@contextlib.asynccontextmanager
async def cluster(
    data_dir: Path,
    api_url: str,
    api_token: str,
    *,
    workers: int,
    postgres: bool,
    staff_group: bool = False,
    log_level: str = "WARNING",
    sentinel: bool = False,
    supervised: bool = False,
) -> AsyncIterator[Cluster]:
    """Redis (AOF on; or a master, a replica and two sentinels), the database migrated, and
    `workers` ready workers (`supervised`: under one `tawasul run --workers`); all stopped
    on exit (workers first, with SIGTERM)."""
    redis: RedisServer | SentinelSet = (
        await asyncio.to_thread(SentinelSet.start)
        if sentinel
        else RedisServer.start(persistent=True)
    )
    database: Database | None = None
    running: Cluster | None = None
    try:
        database = await asyncio.to_thread(Database.start, data_dir, postgres)
        running = Cluster(data_dir, api_url, api_token, redis, database, staff_group, log_level)
        running.supervised = supervised
        running.http = aiohttp.ClientSession()
        await running.migrate()
        await running.start_workers(workers)
        yield running
    finally:
        if running is not None:
            await running.stop_workers()
            if running.http is not None:
                await running.http.close()
        if database is not None:
            database.stop()
        redis.stop()
