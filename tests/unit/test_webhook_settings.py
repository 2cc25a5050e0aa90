"""The Telegram webhook settings stop start-up with one clear line when they cannot work."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

TOKEN = "123456789:AAHstandinTOKENforTawasulTests0000000"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(str(tmp_path))  # no .env of the developer's
    monkeypatch.setenv("TAWASUL_TELEGRAM_TOKEN", TOKEN)
    for name in ("TAWASUL_TELEGRAM_WEBHOOK_URL", "TAWASUL_TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_polling_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().telegram_webhook is False


def test_url_and_secret_turn_the_webhook_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWASUL_TELEGRAM_WEBHOOK_URL", "https://bot.example.sa/telegram/webhook")
    monkeypatch.setenv("TAWASUL_TELEGRAM_WEBHOOK_SECRET", "A-z_09" * 40)
    assert load_settings().telegram_webhook is True


@pytest.mark.parametrize(
    ("url", "secret", "named"),
    [
        ("http://bot.example.sa/telegram/webhook", "abc", "TAWASUL_TELEGRAM_WEBHOOK_URL"),
        ("bot.example.sa/telegram/webhook", "abc", "TAWASUL_TELEGRAM_WEBHOOK_URL"),
        ("https://bot.example.sa/telegram/webhook", "", "TAWASUL_TELEGRAM_WEBHOOK_SECRET"),
        ("https://bot.example.sa/telegram/webhook", "has space", "TAWASUL_TELEGRAM_WEBHOOK_SECRET"),
        ("https://bot.example.sa/telegram/webhook", "سر", "TAWASUL_TELEGRAM_WEBHOOK_SECRET"),
        ("https://bot.example.sa/telegram/webhook", "a" * 257, "TAWASUL_TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_a_webhook_that_cannot_work_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, url: str, secret: str, named: str
) -> None:
    monkeypatch.setenv("TAWASUL_TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("TAWASUL_TELEGRAM_WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    line = str(stopped.value)
    assert named in line and "\n" not in line
