"""Leases that a Sentinel failover must not hand to a second worker.

A webhook body in hand is leased to its worker, which renews the lease every sixth of it
(bot.webhook_journal); a body whose lease ran out is taken over and replayed by another
worker, as a dead worker's must be. Behind Sentinel a failover refuses every write for about
ten seconds (``min-replicas-to-write 1``: the new master takes writes once the old one,
demoted, replicates it), as long as a lease: the renewals of live workers are refused with
everything else, and when writes come back every body in hand has run out. The first sweep
then took over bodies their holders were still answering, and the person was answered twice
(seen in bench/load.py's failover runs).

So every sweep and renewal leaves a beat (Redis's own time, in ms) beside the journal, and a
take-over that finds the last beat older than a gap (half a lease: with workers alive there is
one every sixth of a lease) knows Redis took no writes for that long; it holds every take-over
off for one whole lease, in which the live holders' renewals land. The price: after such a
silence (a failover; or every worker stopped, then one started) a dead worker's bodies are
taken over one lease later than otherwise. No beat at all (a journal never swept) is no gap:
nobody holds anything to protect. Without Sentinel (``gap`` 0) nothing of this runs.
"""

from __future__ import annotations

from typing import Final

#: Lua, after ``local now`` (bot.webhook_journal._NOW): ``held_off(beat_key, hold_key, gap_ms,
#: hold_ms, beat)`` says whether take-overs are held off now, leaving a beat when `beat`.
HELD_OFF_LUA: Final = """
local function held_off(beat_key, hold_key, gap, hold, beat)
  gap = tonumber(gap)
  if gap <= 0 then return false end
  local last = redis.call('GET', beat_key)
  if last and now - tonumber(last) > gap then
    redis.call('SET', hold_key, '1', 'PX', tonumber(hold))
  end
  if beat then redis.call('SET', beat_key, now) end
  return redis.call('EXISTS', hold_key) == 1
end
"""


def gap_ms(lease_s: float, replicas: int) -> int:
    """The longest silence (ms) of the journal's beats after which take-overs are held off:
    half a lease behind Sentinel (`replicas` > 0), 0 (never) otherwise."""
    return max(1, round(lease_s * 500)) if replicas else 0


def beat_keys(journal_key: str) -> tuple[str, str]:
    """The beat's and the hold's keys of the journal `journal_key` (in its Redis Cluster
    slot: the journal's hash tag)."""
    return f"{journal_key}:beat", f"{journal_key}:hold"
