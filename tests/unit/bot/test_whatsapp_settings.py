"""WhatsApp settings: all four or none, a missing one named in one line."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

FOUR = {
    "TAWASUL_WHATSAPP_PHONE_ID": "106540352242922",
    "TAWASUL_WHATSAPP_TOKEN": "EAAtoken",
    "TAWASUL_WHATSAPP_APP_SECRET": "secret",
    "TAWASUL_WHATSAPP_VERIFY_TOKEN": "verify",
}


def test_all_four_enable_whatsapp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FOUR.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TAWASUL_WHATSAPP_API_URL", "http://127.0.0.1:9/v23.0/")
    settings = load_settings()
    assert settings.whatsapp_enabled
    assert settings.whatsapp_api_url == "http://127.0.0.1:9/v23.0"
    assert settings.whatsapp_template_lang == "ar" and settings.whatsapp_template_name is None


def test_none_leaves_whatsapp_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in FOUR:
        monkeypatch.delenv(name, raising=False)
    assert not load_settings().whatsapp_enabled


@pytest.mark.parametrize("left_out", list(FOUR))
def test_a_missing_one_is_named(monkeypatch: pytest.MonkeyPatch, left_out: str) -> None:
    for name, value in FOUR.items():
        if name == left_out:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert left_out in message and "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TAWASUL_WHATSAPP_TEMPLATE_LANG", "arabic"),
        ("TAWASUL_WHATSAPP_API_URL", "graph.facebook.com"),
    ],
)
def test_malformed_values_are_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert name in str(caught.value)


def test_every_missing_one_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the fresh-clone tester: with the token alone, only the phone id was named;
    the app secret and the verify token would have come one start at a time."""
    for name in FOUR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TAWASUL_WHATSAPP_TOKEN", "abc")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message and "abc" not in message
    for name in ("PHONE_ID", "APP_SECRET", "VERIFY_TOKEN"):
        assert f"TAWASUL_WHATSAPP_{name}" in message.partition("but")[2], message
    # an empty one counts as missing
    monkeypatch.setenv("TAWASUL_WHATSAPP_PHONE_ID", "")
    with pytest.raises(SettingsError) as again:
        load_settings()
    assert "TAWASUL_WHATSAPP_PHONE_ID" in str(again.value).partition("but")[2]
