"""Load test with faults: many residents filing requests at once through real `tawasul run`
workers by Telegram webhook, while a worker is killed, Redis restarts, the database goes
away, the Sentinels fail over to the replica, or the Bot API refuses calls.

What runs (bench/load_cluster.py; the faults: bench/load_faults.py): a real Redis with its append-only file on (with
--sentinel: a master, a replica and two sentinels, the workers finding the master through
the sentinels), a real database (SQLite by default, PostgreSQL with --postgres), `tawasul
db upgrade`, then --workers `tawasul run` processes with the webhook settings, each on its own loopback port.
The bench is Telegram and the load balancer at once: it POSTs real Update JSON with the
secret header, round-robin over the workers' ports, and delivers again (to the next port,
with the same update_id) whatever was not answered 200, as Telegram does. With
--supervisor it starts one `tawasul run --workers N` instead, on one port, and is Telegram
only: the supervisor (bot.supervisor) runs the N workers on the port, and the kill fault
SIGKILLs one of them and leaves it to the supervisor to start another. The bot's replies
reach the Bot API stand-in (standins/), in this process, which tells each resident.

Each resident reads the bot's last message and answers it as a person would, until the
message with their request number: /start, "individual", the service's group, the service,
the identity number, "share my number", the description, an album of two photos, "done",
"confirm". A reply with no buttons (an apology while something is down) makes the resident
say the same thing again, as a person would.

Prints one JSON line:
{"bench":"load","workers":2,"residents":N,"database":"sqlite","faults":[...],
 "updates_sent":..,"updates_per_s":..,"p50_ms":..,"p99_ms":..,"replies":..,
 "updates_answered":..,"updates_unanswered":..,"redeliveries":..,"apologies":..,
 "residents_filed":..,"lost_residents":..,"duplicate_replies":..,"duplicate_reply_texts":[..],
 "replies_resent_after_kill":..,
 "duplicate_requests":.., "staff_cards":..,"staff_digests":..,"staff_cards_missing":..,
 "duplicate_staff_cards":..,"outbox_unsent":..,"worker_errors":..,
 "recovery":[{"fault":"kill","down_s":..,"ready_s":..,"in_hand":..,"start_cpu_s":..,
               "recover_s":..},...]}

p50/p99: from the first delivery of an update (an album: its first photo) to the first reply the bot sends for it.
in_hand (kill): the turns the killed worker had accepted and not answered when it died
(--supervisor: the turns any worker had, as the port does not say which took what; the
killed one's are counted afterwards in bodies_replayed, from the workers' INFO lines).
With --supervisor, down_s is from the SIGKILL to the supervisor's starting a new worker,
ready_s from then to the new worker answering on the port with /readyz 200, and start_cpu_s
the CPU seconds (user and system) the new worker had used by then.
recover_s: from the moment the fault was lifted until every update sent before then had
been answered and every worker was ready again. The failover is lifted when the sentinels
agree on the new master and the old one replicates it (down_s: from SENTINEL FAILOVER to
then; with min-replicas-to-write 1 the new master takes no write before).

Usage (from the repository's root): python -m bench.load [--residents 100] [--workers 2]
    [--supervisor] [--postgres] [--sentinel] [--faults kill,redis,failover,db,api] [--down 2]
    [--think 0]
    [--reply-timeout 90] [--staff-group] [--log-level WARNING] [--deadline 600]
    [--keep-logs DIR]
Exits 1 when a resident was lost, a turn unanswered, a photo missing or anything duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load_cluster import STAFF_CHAT, cluster
from bench.load_faults import FAULTS, REPLAYED, ApiOutage, fault_schedule, recovery
from bench.load_logs import keep_logs, worker_lines
from bench.load_memory import MemoryPeaks
from bench.load_people import PHOTOS, Deliveries, Recorder, Resident, pick_service
from bench.load_rows import drain_outbox
from bot.channels.telegram_render import DEFAULT_REMOVAL_TEXT as REMOVAL_TEXT
from standins.telegram_updates import TgUser, UpdateFactory

#: How long the outbox may take to send what is left once the residents are done, and
#: more per request with a staff group: Telegram lets a bot post 20 messages a minute in a
#: group (3 s each), and a request's card is followed by its album, which costs one message
#: per file (bot.outbox.telegram_staff). 3.2 s a request was too short when few digests
#: formed: one run of 40 stopped waiting with an album row unsent (README, Load and faults).
OUTBOX_DRAIN_S = 60.0
STAFF_CARD_S = 3.2 * (1 + PHOTOS)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    faults = [f for f in args.faults.split(",") if f] if args.faults else []
    service = pick_service()
    outage = ApiOutage()
    with tempfile.TemporaryDirectory(prefix="tawasul-load-") as tmp:
        api = Recorder()
        async with api:
            api.add_policy(outage)
            async with cluster(
                Path(tmp),
                api.url,
                api.token,
                workers=args.workers,
                postgres=args.postgres,
                staff_group=args.staff_group,
                log_level=args.log_level,
                sentinel=args.sentinel,
                supervised=args.supervisor,
            ) as running:
                deliveries = Deliveries(running)
                updates = UpdateFactory(first_update_id=random.randrange(10**8, 10**9))
                base = random.randrange(10**9, 5 * 10**9)
                people = [
                    Resident(
                        TgUser(base + i, f"مقيم {i}"),
                        api,
                        deliveries,
                        updates,
                        service,
                        think_s=args.think,
                        reply_timeout_s=args.reply_timeout,
                    )
                    for i in range(args.residents)
                ]
                expected = sum(p.expected_replies for p in people)

                def in_hand(worker: int) -> int:
                    return sum(1 for p in people if p.waiting_on(worker))

                schedule = asyncio.create_task(
                    fault_schedule(
                        faults, running, outage, args.down, deliveries, api, expected, in_hand
                    )
                )
                memory = MemoryPeaks()
                watching = asyncio.create_task(memory.watch(running.worker_pids))
                started = time.monotonic()
                try:
                    async with asyncio.timeout(args.deadline):
                        await asyncio.gather(
                            *(p.file(i * args.ramp / len(people)) for i, p in enumerate(people))
                        )
                except TimeoutError:
                    pass
                elapsed = time.monotonic() - started
                memory.stop()
                await watching
                deliveries.finished = True
                done_faults = await schedule
                users = {str(p.user.id) for p in people}
                wait = OUTBOX_DRAIN_S + (STAFF_CARD_S * len(people) if args.staff_group else 0)
                drain_started = time.monotonic()
                rows = await drain_outbox(running.database.url, users, wait)
                drained_s = time.monotonic() - drain_started
                staff = api.sent_to(STAFF_CHAT)
                exit_codes = await running.stop_workers()
                errors = worker_lines(running.workers, "ERROR")
                tracebacks = worker_lines(running.workers, "Traceback")
                ignored = worker_lines(running.workers, "duplicate telegram event ignored")
                replayed = worker_lines(running.workers, "accepted bodies of a stopped worker")
                if args.keep_logs:
                    await asyncio.to_thread(keep_logs, running.workers, Path(args.keep_logs))

    timed = [t for p in people for t in p.timed]
    kills = [f["killed_at"] for f in done_faults if f["killed_at"] is not None]
    repeats = [p.duplicates(kills) for p in people]
    latencies = sorted(t.replied - t.sent for t in timed if t.replied is not None)
    filed = [p for p in people if p.number is not None]
    numbers = {p.number for p in filed if p.number is not None}
    # each request the staff group was told of, once per message telling it: by its own
    # card, or in a digest of several (the group's budget short: bench.load_people)
    cards = [n for m in staff for n in m.requests_announced if n in numbers]
    digests = sum(1 for m in staff if not m.numbers_in_first_line and m.requests_announced)
    return {
        "bench": "load",
        "workers": args.workers,
        # one `tawasul run --workers N` on one port, or N processes each on its own
        "supervisor": args.supervisor,
        "residents": args.residents,
        "database": "postgresql" if args.postgres else "sqlite",
        "redis": "sentinel" if args.sentinel else "one server, AOF",
        "faults": faults,
        "seconds": round(elapsed, 1),
        "updates_sent": deliveries.sent,
        "updates_per_s": round(deliveries.sent / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": (
            round(statistics.quantiles(latencies, n=100)[98] * 1000, 1)
            if len(latencies) > 1
            else None
        ),
        "replies": sum(len(api.sent_to(p.chat)) for p in people),
        "replies_expected": expected,
        "turns_answered": len(latencies),
        "turns_unanswered": len(timed) - len(latencies),
        "redeliveries": deliveries.redeliveries,
        "apologies": sum(p.apologies for p in people),
        # what those messages without buttons said, each text with how often
        "apology_texts": dict(
            collections.Counter(t for p in people for t in p.apology_texts).most_common(5)
        ),
        "residents_filed": len(filed),
        "lost_residents": len(people) - len(filed),
        # the last messages of residents who gave up after MAX_TURNS turns (bench.load_people)
        "stuck_residents": [p.stuck for p in people if p.stuck][:3],
        # after «confirm», messages with their identity number and no request number
        "identity_only_after_confirm": [t for p in people for t in p.identity_only][:5],
        "requests_in_db": sum(rows.requests.values()),
        "residents_without_request": sum(
            1 for p in people if rows.requests.get(str(p.user.id), 0) == 0
        ),
        "duplicate_requests": sum(n - 1 for n in rows.requests.values() if n > 1),
        # each resident sends an album of two photos; a request with fewer lost some
        "files_missing": sum(
            max(0, PHOTOS * n - rows.files.get(user, 0)) for user, n in rows.requests.items()
        ),
        # whose requests lack a photo (their Telegram user ids)
        "files_missing_users": [
            user for user, n in rows.requests.items() if rows.files.get(user, 0) < PHOTOS * n
        ][:5],
        "keyboard_removals": sum(
            1 for p in people for m in api.sent_to(p.chat) if m.text == REMOVAL_TEXT
        ),
        "duplicate_replies": sum(twice for twice, _resent, _texts in repeats),
        "duplicate_reply_texts": [t for _twice, _resent, texts in repeats for t in texts][:5],
        # the documented window (conversations.replays): answered by the killed worker,
        # which died before closing the update, and answered again by its replay
        "replies_resent_after_kill": sum(resent for _twice, resent, _texts in repeats),
        "staff_cards": len(cards) if args.staff_group else None,
        # the staff-group messages that were digests (each announcing several requests)
        "staff_digests": digests if args.staff_group else None,
        "staff_cards_missing": len(numbers - set(cards)) if args.staff_group else 0,
        "duplicate_staff_cards": len(cards) - len(set(cards)),
        # the messages asked of the group as its 20 a minute counts them (cards, digests,
        # each photo of an album; refused calls too): what bounds the outbox's drain
        "staff_group_units": group_units(api, STAFF_CHAT) if args.staff_group else None,
        "outbox_unsent": rows.unsent,
        "outbox_left": rows.left,
        # seconds the outbox took, once the residents were done, to send what was left
        "outbox_drain_s": round(drained_s, 1),
        "api_calls_refused": outage.refused,
        "worker_errors": len(errors),
        "worker_error_lines": errors[:5],
        "worker_tracebacks": tracebacks[:3],
        # seen at --log-level INFO: an update whose id the engine had claimed already
        "engine_duplicates_ignored": len(ignored),
        # seen at --log-level INFO: the accepted updates a dead worker held, which another
        # took over from the journal (None: the log level hides them)
        "bodies_replayed": (
            sum(int(m.group(1)) for line in replayed for m in REPLAYED.finditer(line))
            if args.log_level.upper() in ("INFO", "DEBUG")
            else None
        ),
        "unanswered_kinds": sorted(
            kind for p in people for t in p.timed if t.replied is None for kind in t.kinds
        ),
        "exit_codes": exit_codes,
        "recovery": recovery(done_faults, timed),
        # while the residents ran (bench.load_memory): what one worker holds alone (USS),
        # its share of the pages shared with its siblings (PSS), and all of theirs
        **memory.figures(),
    }


def failures(result: dict[str, Any]) -> list[str]:
    """What the run shows went wrong, in words (empty when nothing did)."""
    problems = []
    for key in (
        "lost_residents",
        "residents_without_request",
        "duplicate_requests",
        "duplicate_replies",
        "duplicate_staff_cards",
        "files_missing",
        "outbox_unsent",
        "turns_unanswered",
        "staff_cards_missing",
    ):
        if result[key]:
            problems.append(f"{key}={result[key]}")
    return problems


def group_units(api: Recorder, chat: int) -> int:
    """The calls to `chat` as messages against a group's limit: an album one per file."""
    units = 0
    for call in api.calls_for(chat):
        media = call.params.get("media")
        if isinstance(media, str):
            with contextlib.suppress(ValueError):
                media = json.loads(media)
        units += len(media) if isinstance(media, list) else 1
    return units


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--residents", type=int, default=100, help="simulated residents")
    parser.add_argument("--workers", type=int, default=2, help="`tawasul run` processes")
    parser.add_argument(
        "--supervisor",
        action="store_true",
        help="one `tawasul run --workers N` on one port (the supervisor), not N processes",
    )
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL cluster, not SQLite")
    parser.add_argument(
        "--sentinel",
        action="store_true",
        help="Redis as a master, a replica and two sentinels (needed by the failover fault)",
    )
    parser.add_argument(
        "--faults", default="", help=f"comma-separated, in order, from {','.join(FAULTS)}"
    )
    parser.add_argument("--down", type=float, default=2.0, help="seconds each fault lasts")
    parser.add_argument(
        "--ramp", type=float, default=2.0, help="seconds over which residents start"
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a resident takes to answer each message"
    )
    parser.add_argument(
        "--reply-timeout",
        type=float,
        default=90.0,
        help="seconds without an answer before an update counts as unanswered (default 90)",
    )
    parser.add_argument(
        "--staff-group",
        action="store_true",
        help="cards to a staff group too (Telegram: 20 a minute, so the outbox drains slowly)",
    )
    parser.add_argument(
        "--log-level", default="WARNING", help="the workers' TAWASUL_LOG_LEVEL (INFO: more)"
    )
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds before giving up")
    parser.add_argument(
        "--keep-logs", default="", help="a directory to copy the workers' logs to (redacted)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.residents <= 5000:
        parser.error("--residents must be 1..5000")
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be 1..16")
    unknown = {f for f in args.faults.split(",") if f} - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    chosen = set(args.faults.split(","))
    if "failover" in chosen and not args.sentinel:
        parser.error("the failover fault needs --sentinel")
    if "redis" in chosen and args.sentinel:
        parser.error("the redis fault restarts one server: not with --sentinel (use failover)")
    result = asyncio.run(run(args))
    print(json.dumps(result, ensure_ascii=False))
    problems = failures(result)
    if problems:
        print("load: " + ", ".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
