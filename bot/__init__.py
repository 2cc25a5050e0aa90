"""The bot's adapters: channels, persistence, the outbox, the web server, the CLI.

aiogram's Telegram models build their schemas on first use rather than all at import,
whoever imports aiogram first (bot.aiogram_lazy: 126 MB off every worker's memory)."""

from bot import aiogram_lazy

aiogram_lazy.install()
