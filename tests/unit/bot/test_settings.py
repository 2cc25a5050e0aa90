"""A missing or malformed setting stops start-up with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("TAWASUL_TELEGRAM_TOKEN", "not-a-token", "TAWASUL_TELEGRAM_TOKEN"),
        ("TAWASUL_HTTP_PORT", "eighty", "TAWASUL_HTTP_PORT"),
        ("TAWASUL_OFFICER_IDS", "12, abc", "TAWASUL_OFFICER_IDS"),
        ("TAWASUL_HOLIDAYS_FILE", "/nonexistent/holidays.json", "TAWASUL_HOLIDAYS_FILE"),
        ("TAWASUL_ARABIC_DIGITS", "indian", "TAWASUL_ARABIC_DIGITS"),
    ],
)
def test_bad_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert named in message and "\n" not in message


def test_cli_prints_the_line_and_exits_non_zero(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "TAWASUL_HTTP_PORT": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert (
        done.stderr.strip().splitlines() == [done.stderr.strip()]
        and "TAWASUL_HTTP_PORT" in done.stderr
    )


def test_officer_ids_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWASUL_OFFICER_IDS", "12, 34 56")
    assert load_settings().officers == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "arab"), ("latn", "latn"), ("arab", "arab")]
)
def test_arabic_digits_default_to_arabic_indic(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str
) -> None:
    if value is None:
        monkeypatch.delenv("TAWASUL_ARABIC_DIGITS", raising=False)
    else:
        monkeypatch.setenv("TAWASUL_ARABIC_DIGITS", value)
    assert load_settings().arabic_digits == expected


@pytest.mark.parametrize(
    "url", ["redis://user:s3cr@t/pw@localhost:six/0", "redis://:s3cr@t@localhost:6379/x/y"]
)
def test_a_bad_redis_url_is_refused_without_its_password(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """Found by the review: the line repeated the URL with the password cut at its first
    «@» or «/», so the rest of a password holding one showed on stderr."""
    monkeypatch.setenv("TAWASUL_REDIS_URL", url)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "TAWASUL_REDIS_URL" in message
    assert "s3cr" not in message and "pw" not in message and "t@" not in message
