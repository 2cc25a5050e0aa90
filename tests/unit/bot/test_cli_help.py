"""`tawasul staff --help` and its verbs' help in the officer's language: Arabic by default,
English with ``--lang en`` (found by the fresh-clone tester: English only)."""

from __future__ import annotations

import re

import pytest

from bot.cli import main
from bot.staff.cli import ACTIONS
from bot.staff.cli_args import help_locale

ARABIC = re.compile("[\u0600-\u06ff]")


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("verb", [*ACTIONS, "more-info"])
def test_each_verbs_help_is_in_arabic_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    arabic = _help(capsys, "staff", verb, "--help")
    # the description and every option's help: every line past usage that explains
    # something (argparse's own headings and its -h line stay English)
    explained = [
        line
        for line in arabic.split("\n\n", 1)[1].splitlines()
        if line.strip() and not line.endswith(":") and "show this help" not in line
    ]
    assert explained and all(ARABIC.search(line) for line in explained), arabic
    english = _help(capsys, "staff", "--lang", "en", verb, "-h")
    assert not ARABIC.search(english), english
    assert _help(capsys, "staff", verb, "-h", "--lang=en") == english  # anywhere, either form


def test_the_staff_help_lists_the_verbs_in_arabic(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys, "staff", "--help")
    assert "إجراءات الموظفين على الطلبات" in shown
    assert "إعادة طلب بُتّ فيه إلى الدراسة" in shown  # reopen
    assert "--officer الاسم" in shown
    assert "officers' actions" in _help(capsys, "--help", "--lang", "en")


@pytest.mark.parametrize(
    ("argv", "locale"),
    [
        ([], "ar"),
        (["staff", "ask", "-h"], "ar"),
        (["staff", "--lang", "en", "-h"], "en"),
        (["staff", "ask", "--lang=en"], "en"),
        (["staff", "--lang", "fr", "-h"], "ar"),  # not one of ours: the default
        (["staff", "--lang"], "ar"),
    ],
)
def test_the_help_language(argv: list[str], locale: str) -> None:
    assert help_locale(argv) == locale
