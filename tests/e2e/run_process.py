"""`tawasul run` as a real process, for the end-to-end tests of the runtime (one worker or
a supervisor with several): its environment against the Bot API stand-in, its start with
the log in a file, readiness polled rather than slept for, and an orderly or forced stop.

The log goes to a file, not a pipe: a pipe nobody reads fills up (64 KiB) and blocks the
process at its next log line. Every wait is bounded by the caller's figure; none sleeps
longer than a fifth of a second between looks.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from standins.telegram_botapi import TelegramBotAPIStandin

ROOT = Path(__file__).resolve().parents[2]
#: Start-up (imports, migrations, the warm-up) of interpreters on the 2-core machine shared
#: by several test runs: a bound, not what it takes (10-60 s).
STARTUP_S = 150.0
#: What a stop may take beyond the drain bound on a loaded machine (closing, exiting).
STOP_MARGIN_S = 15.0
WEBHOOK_URL = "https://bot.example.sa/telegram/webhook"


def run_env(
    api: TelegramBotAPIStandin,
    port: int,
    redis_url: str,
    data: Path,
    *,
    secret: str | None,
    **extra: str,
) -> dict[str, str]:
    """The environment of `tawasul run` on the stand-in `api`, serving `port`, with
    `data` as its data directory: by webhook with `secret`, by polling when it is None;
    `extra` settings (TAWASUL_*) added or overriding. Nothing of the caller's TAWASUL_*
    leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env |= {
        "TAWASUL_TELEGRAM_TOKEN": api.token,
        "TAWASUL_TELEGRAM_API_URL": api.url,
        "TAWASUL_HTTP_PORT": str(port),
        "TAWASUL_REDIS_URL": redis_url,
        "TAWASUL_DATA_DIR": str(data),
        "TAWASUL_LOG_LEVEL": "INFO",
        "TAWASUL_STAFF_SCHEDULE": "off",
    }
    if secret is not None:
        env |= {
            "TAWASUL_TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
            "TAWASUL_TELEGRAM_WEBHOOK_SECRET": secret,
        }
    return env | extra


@dataclass
class Run:
    """One `tawasul run` process and the file its standard error goes to."""

    proc: asyncio.subprocess.Process
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tail(self, chars: int = 3000) -> str:
        return self.log()[-chars:]

    async def until_logged(self, text: str, times: int = 1, *, within_s: float) -> None:
        """Until `text` is in the log `times` times; raises TimeoutError, or AssertionError
        when the process ends first."""
        await until(lambda: self.log().count(text) >= times, within_s, alive=self)

    async def stop(self, within_s: float) -> int:
        """SIGTERM, then its exit code within `within_s` (killed, and TimeoutError raised,
        past it)."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(within_s):
                return await self.proc.wait()
        except TimeoutError:
            self.kill()
            await self.proc.wait()
            raise

    def kill(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()


async def start_run(env: dict[str, str], log_path: Path, *args: str) -> Run:
    """`tawasul run ARGS` with `env`, its standard error appended to `log_path`."""
    with log_path.open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", *args, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    return Run(proc, log_path)


@contextlib.asynccontextmanager
async def running(env: dict[str, str], log_path: Path, *args: str) -> AsyncIterator[Run]:
    """:func:`start_run`, killed on the way out if the test did not stop it (a failed
    assertion must not leave a bot serving)."""
    run = await start_run(env, log_path, *args)
    try:
        yield run
    finally:
        if run.proc.returncode is None:
            run.kill()
            await run.proc.wait()


async def run_once(env: dict[str, str], log_path: Path, *args: str, within_s: float) -> Run:
    """`tawasul run ARGS` expected to stop by itself (a refusal), waited for."""
    async with running(env, log_path, *args) as run:
        async with asyncio.timeout(within_s):
            await run.proc.wait()
    return run


async def until(
    predicate: Callable[[], bool | Awaitable[bool]],
    within_s: float,
    *,
    every_s: float = 0.1,
    alive: Run | None = None,
) -> None:
    """Until `predicate()` holds, looking every `every_s`; TimeoutError past `within_s`.
    With `alive`, AssertionError (with its log) as soon as that process has ended."""
    async with asyncio.timeout(within_s):
        while True:
            result = predicate()
            if not isinstance(result, bool):
                result = await result
            if result:
                return
            if alive is not None and alive.proc.returncode is not None:
                raise AssertionError(f"exited with {alive.proc.returncode}:\n{alive.tail()}")
            await asyncio.sleep(every_s)


async def get_json(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any]]:
    """A GET on a new connection each time (so that any worker may take it)."""
    async with http.get(url, headers={"Connection": "close"}) as response:
        return response.status, await response.json()


async def until_ready(
    http: aiohttp.ClientSession, base: str, within_s: float, *, run: Run | None = None
) -> None:
    """Until `base`/readyz answers 200 (connection refusals while starting are waited
    through); with `run`, fails at once when that process ends instead."""

    async def ready() -> bool:
        try:
            return (await get_json(http, f"{base}/readyz"))[0] == 200
        except (aiohttp.ClientError, ValueError):
            return False

    await until(ready, within_s, alive=run)


async def answering_pid(http: aiohttp.ClientSession, base: str) -> int:
    """The pid of the worker that answered /healthz."""
    status, body = await get_json(http, f"{base}/healthz")
    assert status == 200
    pid = body["pid"]
    assert isinstance(pid, int)
    return pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
