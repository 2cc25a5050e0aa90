"""Imported by the supervisor's forkserver only (bot.worker_start.PRELOAD): builds the aiogram
models a worker uses (bot.channels.aiogram_models) once, there, so every worker forked from
it inherits them built and shares their memory with the others, as it inherited all of
aiogram's before they were built on first use (bot.aiogram_lazy). Without it each worker,
a replacement for a killed one included, would build them again before it serves (~0.5 s of
CPU, ~20 MB each)."""

from bot.channels.aiogram_models import pin_response_models

pin_response_models()
