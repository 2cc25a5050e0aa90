"""The workers' memory during a load run: the peak USS and PSS of each worker process.

RSS counts every page a process maps, the pages shared with its siblings included, so N
workers forked from one supervisor (or N processes loading the same libraries) do not
use N times one's RSS. USS counts the pages only that process holds (what killing it
frees); PSS splits each shared page between the processes sharing it, so the PSS of all
the workers adds up to what they hold together (issue 12: "USS/PSS under --workers 2").
Read with psutil (``memory_full_info``, from /proc/<pid>/smaps), every
:data:`SAMPLE_EVERY_S` seconds while the residents run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

import psutil

#: How often the workers' memory is read: smaps of a 200 MB process takes ~10 ms to read.
SAMPLE_EVERY_S: Final = 0.5
_MB: Final = 1024 * 1024


@dataclass
class MemoryPeaks:
    """The highest USS and PSS seen of any one worker, and of all workers together (MB)."""

    uss_mb: float = 0.0
    pss_mb: float = 0.0
    pss_total_mb: float = 0.0
    samples: int = 0
    _stop: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def sample(self, pids: Iterable[int]) -> None:
        """Reads each process in ``pids`` once; a process gone meanwhile is left out."""
        total = 0.0
        for pid in pids:
            with contextlib.suppress(psutil.Error):
                info = psutil.Process(pid).memory_full_info()
                self.uss_mb = max(self.uss_mb, info.uss / _MB)
                self.pss_mb = max(self.pss_mb, info.pss / _MB)
                total += info.pss / _MB
        self.pss_total_mb = max(self.pss_total_mb, total)
        self.samples += 1

    async def watch(self, pids: Callable[[], Iterable[int]]) -> None:
        """Samples ``pids()`` (asked again each time: a killed worker is replaced) until
        :meth:`stop`; the reading runs in a thread, off the load's event loop."""
        while not self._stop.is_set():
            await asyncio.to_thread(self.sample, list(pids()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), SAMPLE_EVERY_S)

    def stop(self) -> None:
        self._stop.set()

    def figures(self) -> dict[str, float | int]:
        """The run's figures, rounded to 0.1 MB."""
        return {
            "peak_uss_mb_per_worker": round(self.uss_mb, 1),
            "peak_pss_mb_per_worker": round(self.pss_mb, 1),
            "peak_pss_mb_all_workers": round(self.pss_total_mb, 1),
            "memory_samples": self.samples,
        }
