"""What start-up made is out of the garbage collector's full passes once the warm-up is
done (bot.warmup.freeze_start_up_heap): a full collection among the residents' updates
walks only what the updates made, so it no longer stops every update in flight for the
time it takes to walk the whole heap (issue 12: 0.3–2.3 s, most of the p99)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.warmup import GC_THRESHOLDS, freeze_start_up_heap


class Made:
    """An object start-up makes (a model, a compiled statement), tracked by the collector."""


@pytest.fixture
def thawed() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()  # the other tests' objects back where they were
    gc.set_threshold(*thresholds)


def _tracked(thing: object) -> bool:
    return any(o is thing for o in gc.get_objects())


@pytest.mark.usefixtures("thawed")
def test_what_start_up_made_is_not_walked_by_a_full_collection() -> None:
    at_start_up = [Made() for _ in range(1000)]
    assert _tracked(at_start_up[0])

    frozen = freeze_start_up_heap()

    assert frozen >= 1000
    # a full collection walks gc.get_objects(): the start-up's objects are not among them
    assert not _tracked(at_start_up[0])
    # what an update makes afterwards is collected as before
    later = Made()
    assert _tracked(later)
    gc.collect()
    assert not _tracked(at_start_up[-1])


@pytest.mark.usefixtures("thawed")
def test_garbage_made_at_start_up_is_freed_before_the_freeze() -> None:
    garbage = Made()
    garbage.itself = garbage  # type: ignore[attr-defined]  # a cycle: only gc frees it
    gone = weakref.ref(garbage)
    del garbage

    freeze_start_up_heap()

    # collected, not kept for good among the frozen objects
    assert gone() is None


@pytest.mark.usefixtures("thawed")
def test_after_start_up_young_collections_run_less_often() -> None:
    gc.set_threshold(700, 10, 10)  # Python's own

    freeze_start_up_heap()

    # an update's thousands of short-lived objects no longer set a collection off every 700
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700
