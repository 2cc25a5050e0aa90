"""The conversations layer's ports on Redis, shared by every worker.

- :mod:`bot.redis_store.dialogue`: the dialogue store (:class:`conversations.store.DialogueStore`),
  compare-and-set in a Lua script, event claims, the account's language key;
- :mod:`bot.redis_store.attempts`: failed status look-ups counted per account and number
  (:class:`conversations.ports.AttemptLimiter`);
- :mod:`bot.redis_store.errors`: Redis errors that mean «unreachable» turned into the port's
  :class:`conversations.store.StoreUnavailable`, so conversations/ needs no Redis type to
  tell an outage from a bug.
"""
