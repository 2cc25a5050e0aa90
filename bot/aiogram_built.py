"""Every aiogram type and method built at import (bot.aiogram_lazy.build_all).

Listed in bot.worker_start.PRELOAD: the supervisor's forkserver builds them once (as
aiogram's own import did, ~6 s of CPU, before the first worker), and each worker forked
from it inherits them built. Without it a forked worker built what it used on its first
updates, ~2.7 s of CPU more per replacement (measured: a worker replacing a killed one
used 3.75 s of CPU before /readyz, against 1.0 s)."""

from bot.aiogram_lazy import build_all

BUILT = build_all()
