"""The bot's adapters: channels, persistence, the outbox, the web server, the CLI.

aiogram's Telegram types are built when first used rather than all at import, whoever
imports aiogram first (bot.aiogram_lazy: 7 s of CPU off every interpreter's start)."""

from bot import aiogram_lazy

aiogram_lazy.install()
