"""A staff message past Telegram's 4096 (counted on the text shown) cut into valid parts."""

from __future__ import annotations

import html
import re

from bot.staff.split import MAX_VISIBLE, split_html, visible_length
from bot.staff.views import HTML


def _shown(part: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", part))


def test_the_length_is_what_telegram_counts() -> None:
    assert visible_length("<b>a &amp; b</b>") == 5
    assert visible_length(HTML.t("<" * 10)) == 10  # 40 characters of HTML
    assert visible_length("😀") == 2  # UTF-16 units


def test_a_text_that_fits_is_whole() -> None:
    text = "<b>الطلب</b>\n" + "س" * 4000
    assert split_html(text) == [text]


def test_escapes_count_once_so_no_part_is_cut_short_or_too_long() -> None:
    words = ("<b>مرحبا</b> & " * 700).strip()  # 2 to 5 times longer as HTML
    text = HTML.b("الوصف:") + "\n" + HTML.quote(words) + "\n" + HTML.b("سجل الطلب:")
    parts = split_html(text)
    assert len(parts) == 3
    assert all(visible_length(p) <= MAX_VISIBLE for p in parts)
    # nothing lost but the spaces or line breaks cut at, no entity cut in two
    assert "".join(_shown(p) for p in parts).replace(" ", "").replace("\n", "") == _shown(
        text
    ).replace(" ", "").replace("\n", "")
    for part in parts:
        assert not re.search(r"&[a-z]*$", part)
        # each part is HTML on its own: what opens, closes
        opened = re.findall(r"<(b|blockquote|code|a)\b", part)
        closed = re.findall(r"</(b|blockquote|code|a)>", part)
        assert sorted(opened) == sorted(closed), part[:80]
    assert parts[0].startswith("<b>الوصف:</b>") and parts[1].startswith("<blockquote>")


def test_a_cut_is_at_a_line_break_then_a_space() -> None:
    lines = [f"• سطر رقم {n} " + "ك" * 60 for n in range(120)]
    parts = split_html("\n".join(lines))
    assert all(visible_length(p) <= MAX_VISIBLE for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines
    one_line = " ".join(["كلمة"] * 2000)
    parts = split_html(one_line)
    assert all(visible_length(p) <= MAX_VISIBLE for p in parts)
    assert " ".join(parts).split(" ") == one_line.split(" ")
    no_space = "ب" * 9000
    assert "".join(split_html(no_space)) == no_space
