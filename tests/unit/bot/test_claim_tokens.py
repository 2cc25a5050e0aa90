"""The event claims' tokens (bot.redis_store.dialogue): a claim found with this call's own
token is taken as this call's (a retried round trip), so no two calls, in one process or in
two, may draw the same one."""

from __future__ import annotations

import os

from bot.redis_store.dialogue import _claim_token


def test_two_claims_never_share_a_token() -> None:
    drawn = [_claim_token() for _ in range(1000)]
    assert len(set(drawn)) == len(drawn)


def test_a_forked_worker_draws_other_tokens_than_its_parent() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its first token, then out without pytest's teardown
        os.write(write, _claim_token())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 100)
    os.close(read)
    parent = _claim_token()
    assert child and child != parent
    assert child.split(b".")[0] != parent.split(b".")[0]  # another process's prefix
