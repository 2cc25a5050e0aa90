"""The benchmark's parts: the Bot API stand-in as a process of its own
(``python -m standins.telegram_botapi``), and bench/dialogue.py against it with warm-up
residents, one at a time, printing the figures the README quotes."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from standins.telegram_botapi import DEFAULT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
STARTUP_S = 120


@asynccontextmanager
async def standin_alone() -> AsyncIterator[str]:
    """The stand-in started as an operator would; yields its URL, stops it with SIGTERM."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "standins.telegram_botapi", "--port", "0", cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(STARTUP_S):
            line = await proc.stdout.readline()
        announced = json.loads(line)
        assert announced["token"] == DEFAULT_TOKEN
        yield str(announced["url"])
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            assert await proc.wait() == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.mark.timeout(STARTUP_S + 60)
async def test_the_standin_runs_alone_and_serves_files_and_keyboards() -> None:
    async with standin_alone() as url, aiohttp.ClientSession() as http:
        api = f"{url}/bot{DEFAULT_TOKEN}"
        async with http.post(f"{url}/_standin/files", params={"count": "2"}, data=b"jpeg") as r:
            ids = (await r.json())["file_ids"]
        assert len(ids) == 2 and ids[0] != ids[1]
        async with http.post(f"{api}/getFile", json={"file_id": ids[1]}) as r:
            path = (await r.json())["result"]["file_path"]
        async with http.get(f"{url}/file/bot{DEFAULT_TOKEN}/{path}") as r:
            assert await r.read() == b"jpeg"
        keyboard = {"inline_keyboard": [[{"text": "فرد", "callback_data": "ind"}]]}
        sent = {"chat_id": 42, "text": "هل تقدّم الطلب بصفتك فردًا؟", "reply_markup": keyboard}
        async with http.post(f"{api}/sendMessage", json=sent) as r:
            assert (await r.json())["ok"] is True
        async with http.get(f"{url}/_standin/chats/42") as r:
            chat = await r.json()
        assert chat["keyboard"] == keyboard
        assert chat["texts"] == ["هل تقدّم الطلب بصفتك فردًا؟"]
        async with http.post(f"{url}/bot0:wrong/getMe") as r:
            assert r.status == 401


async def _bench_against_the_standin_alone(script: str, *args: str) -> dict[str, Any]:
    """`script` run with `args` against the stand-in in a process of its own (bounded by
    240 s); the JSON line it printed."""
    async with standin_alone() as url:
        bench = await asyncio.create_subprocess_exec(
            sys.executable, script, *args, "--api", url, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(240):
            out, err = await bench.communicate()
    assert bench.returncode == 0, err.decode()[-2000:]
    figures: dict[str, Any] = json.loads(out)
    return figures


@pytest.mark.timeout(STARTUP_S + 240)
async def test_the_dialogue_bench_files_every_request_against_the_standin_alone() -> None:
    figures = await _bench_against_the_standin_alone(
        "bench/dialogue.py", "--users", "3", "--warmup", "1", "--sequential"
    )
    assert figures["api"] == "separate process"
    assert figures["users"] == 3 and figures["warmup"] == 1 and figures["sequential"] is True
    assert figures["requests_created"] == 3
    assert figures["updates"] == 3 * figures["updates_per_person"]
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["cpu_ms_per_update"] > 0 and figures["peak_rss_mb"] > 10
    # reported, not bounded: the very first update is a warm-up resident's, and a time
    # compared with the counted ones is a timed test (it failed on noise: 19.8 > 17.4 ms)
    assert figures["first_update_ms"] > 0
    # the SQL each kind of update sends, one at a time: the filing at «confirm», nothing
    # at the taps that only move the dialogue
    by_kind = figures["sql_statements_by_kind"]
    confirm = next(v for k, v in by_kind.items() if k.startswith("tap:confirm"))
    assert confirm >= 5 and by_kind["contact"] == 0
    assert 0 < figures["sql_statements_per_update"] < confirm
    # and the Redis round trips: the claim-and-load and the save of every turn, and a
    # photo's daily quota besides
    trips = figures["redis_roundtrips_by_kind"]
    assert trips["contact"] == 2 and trips["photo"] == 3


@pytest.mark.timeout(STARTUP_S + 240)
async def test_the_aiogram_fsm_baseline_files_every_request_with_the_same_script() -> None:
    figures = await _bench_against_the_standin_alone(
        "bench/aiogram_fsm.py", "--users", "3", "--warmup", "1"
    )
    assert figures["bench"] == "aiogram_fsm" and figures["requests_created"] == 3
    # the same dialogue as ours: /start, 3 taps, ID, contact, description, 2 photos,
    # done, confirm
    assert figures["updates_per_person"] == 11
