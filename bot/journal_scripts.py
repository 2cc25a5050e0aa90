"""The Lua scripts of the webhook journal (bot.webhook_journal): each one step on Redis, so
that two workers never both take a body, and no body is ever without a lease."""

from __future__ import annotations

from typing import Final

from bot.lease_hold import HELD_OFF_LUA

# The time in ms by Redis's clock, the one every worker shares.
NOW: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS[1] the journal hash, KEYS[2] the leases, KEYS[3] the id's done marker, KEYS[4] the
# id's keeper (who journalled it), then the persons' lines to join (bot.webhook_turns);
# ARGV[1] the id, ARGV[2] the body, ARGV[3] the lease in ms, ARGV[4] '1' to journal an id
# only once, ARGV[5] the calling keep's token ('' when no replica is waited for), ARGV[6]
# how long its mark lasts (ms), then with lines: the lines' TTL (ms) and one member per
# line. One script so that "not handled yet" and "not journalled yet" are checked and the
# body written with its lease in one step: two workers given the same update at once
# cannot both take it, and no body is ever without a lease; and with its places in line,
# each after everyone in that line, so that no body is journalled and not lined up (a
# worker that died between the two let the person's later messages go first). A body
# found journalled under the caller's own token is the caller's (an earlier try of the
# same keep): written again, so that the WAIT after it covers it (its places kept: NX).
KEEP: Final = (
    NOW
    + """
if ARGV[4] == '1' then
  if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
  if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
    if ARGV[5] == '' or redis.call('GET', KEYS[4]) ~= ARGV[5] then return 0 end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[5], 'PX', tonumber(ARGV[6])) end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
for i = 5, #KEYS do
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  local order = 1
  if last[2] then order = tonumber(last[2]) + 1 end
  redis.call('ZADD', KEYS[i], 'NX', order, ARGV[i + 3])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[7]))
end
return 1
"""
)

# KEYS[1] the journal hash, KEYS[2] the leases, KEYS[3] the id's done marker, KEYS[4] its
# keeper; ARGV[1] the id, ARGV[2] '1' to remember it as handled, ARGV[3] for how long (s).
# A script rather than MULTI so that WAIT can follow it in the same round trip (WAIT inside
# MULTI does not wait), and idempotent, so that it may be tried again.
CLOSE: Final = """
if ARGV[2] == '1' then redis.call('SET', KEYS[3], '1', 'EX', tonumber(ARGV[3])) end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[4])
return 1
"""

# KEYS[1] the leases, KEYS[2] and KEYS[3] the beat and the hold (bot.lease_hold); ARGV[1]
# the lease in ms, ARGV[2] the gap in ms (0: no beat), then the ids held by the caller.
RENEW: Final = (
    NOW
    + HELD_OFF_LUA
    + """
held_off(KEYS[2], KEYS[3], ARGV[2], ARGV[1], true)
for i = 3, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
end
return #ARGV - 2
"""
)

# KEYS[1] the journal hash, KEYS[2] the leases, KEYS[3] and KEYS[4] the beat and the hold;
# ARGV[1] the lease in ms, ARGV[2] at most how many, ARGV[3] the gap in ms (0: none).
# Returns id, body, id, body… of the bodies whose lease ran out (or that have none:
# journalled by an older version), each now leased to the caller; none while take-overs
# are held off after a silence (bot.lease_hold).
TAKE_OVER: Final = (
    NOW
    + HELD_OFF_LUA
    + """
if held_off(KEYS[3], KEYS[4], ARGV[3], ARGV[1], true) then return {} end
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
if redis.call('HLEN', KEYS[1]) > redis.call('ZCARD', KEYS[2]) then
  for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do
    if #ids >= tonumber(ARGV[2]) then break end
    if not redis.call('ZSCORE', KEYS[2], id) then table.insert(ids, id) end
  end
end
local out = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', KEYS[1], id)
  if body then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
    table.insert(out, id)
    table.insert(out, body)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
"""
)
