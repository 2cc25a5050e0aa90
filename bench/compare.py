"""Our bot against the aiogram-FSM baseline, interleaved, on one machine in one run.

Starts the Bot API stand-in as a process of its own, then runs bench/dialogue.py and
bench/aiogram_fsm.py in turn (ours, baseline, ours, baseline, ...; each a fresh process
with the same options) against it, so that a machine whose load changes during the run
weighs on both alike. Prints one JSON line: for each bench the median of every figure over
its runs and the runs themselves, and ``throughput_ratio`` (our median updates/s over the
baseline's). Both run with ``MALLOC_ARENA_MAX=2`` unless the environment sets it, as a
worker is deployed. With ``--before DIR`` (a checkout of an earlier commit, e.g. ``git
worktree add --detach DIR main`` with its catalogues compiled) that tree's
bench/dialogue.py runs in each round too, first, with DIR first on PYTHONPATH, so a change
is measured against what it changes in the same run: the line then also has
``before_ratio`` (ours over before, updates/s) and ``before_cpu_ratio``. Rounds run one after another; nothing runs concurrently with a bench but the
stand-in (and the Redis server).

Usage: python bench/compare.py [--rounds 3] [--users 200] [--warmup 50] [--sequential]
                               [--redis URL] [--loop uvloop|asyncio] [--before DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCHES = ("dialogue", "aiogram_fsm")


async def _standin() -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "standins.telegram_botapi", "--port", "0",
        cwd=HERE.parent, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 120)
    return proc, str(json.loads(line)["url"])


def _environment(tree: Path | None = None) -> dict[str, str]:
    """What both benches run with: this environment, with MALLOC_ARENA_MAX=2 unless set,
    as a worker is deployed (bot/supervisor.py, deploy/, the Makefile's run); glibc reads
    it only as a process starts, so it is given here, alike to ours and the baseline.
    With ``tree`` (``--before``) that checkout's packages come first on PYTHONPATH."""
    env = {"MALLOC_ARENA_MAX": "2"} | dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    return env


async def _bench(name: str, options: list[str], tree: Path | None = None) -> dict[str, Any]:
    root = HERE.parent if tree is None else tree
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(root / "bench" / f"{name.removeprefix('before_')}.py"), *options,
        cwd=root, stdout=asyncio.subprocess.PIPE, env=_environment(tree),
    )  # fmt: skip
    out, _ = await proc.communicate()
    try:
        result: dict[str, Any] = json.loads(out)
    except ValueError:
        raise SystemExit(f"compare: {name} failed ({proc.returncode})") from None
    if proc.returncode != 0:
        # it measured, but not every resident filed (SQLite «database is locked» under
        # load): kept, and said, rather than the other rounds thrown away
        result["exit_code"] = proc.returncode
    return result


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [
        k
        for k, v in runs[0].items()
        if isinstance(v, int | float) and not isinstance(v, bool) and k != "exit_code"
    ]
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}


async def compare(args: argparse.Namespace) -> dict[str, Any]:
    standin, url = await _standin()
    options = ["--users", str(args.users), "--warmup", str(args.warmup), "--api", url]
    if args.sequential:
        options.append("--sequential")
    if args.redis:
        options += ["--redis", args.redis]
    if args.loop:
        options += ["--loop", args.loop]
    before: Path | None = args.before
    benches = (("before_dialogue",) if before is not None else ()) + BENCHES
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in benches}
    try:
        for _ in range(args.rounds):
            for name in benches:
                tree = before if name == "before_dialogue" else None
                result = await _bench(name, options, tree)
                print(json.dumps(result), file=sys.stderr)
                runs[name].append(result)
    finally:
        standin.terminate()
        await standin.wait()
    medians = {name: _medians(found) for name, found in runs.items()}
    ours, baseline = medians["dialogue"], medians["aiogram_fsm"]
    versus: dict[str, Any] = {}
    if before is not None:
        earlier = medians["before_dialogue"]
        versus = {
            "before": str(before),
            "before_ratio": round(ours["updates_per_s"] / earlier["updates_per_s"], 2),
            "before_cpu_ratio": round(ours["cpu_ms_per_update"] / earlier["cpu_ms_per_update"], 2),
        }
    return {
        "bench": "compare",
        "rounds": args.rounds,
        "users": args.users,
        "warmup": args.warmup,
        "sequential": args.sequential,
        "throughput_ratio": round(ours["updates_per_s"] / baseline["updates_per_s"], 2),
        "cpu_ratio": round(ours["cpu_ms_per_update"] / baseline["cpu_ms_per_update"], 2),
        **versus,
        "median": medians,
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each bench (3)")
    parser.add_argument("--users", type=int, default=200, help="counted residents (200)")
    parser.add_argument("--warmup", type=int, default=50, help="residents not counted (50)")
    parser.add_argument("--sequential", action="store_true", help="one resident at a time")
    parser.add_argument("--redis", default=None, help="Redis URL (default: embedded Valkey)")
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default=None,
        help="the event loop of both (default: each its own, see bench/harness.py)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        metavar="DIR",
        help="also run DIR's bench/dialogue.py each round (a checkout of an earlier commit)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    print(json.dumps(asyncio.run(compare(args))))


if __name__ == "__main__":
    main()
