"""Local stand-ins for the platforms the bot talks to (Telegram Bot API, ...).

They are real HTTP servers on 127.0.0.1 that speak the platform's wire format, so the
bot's own client code (aiogram, ...) runs unchanged against them in tests, benchmarks and
offline demos. They record every call for assertions.
"""
