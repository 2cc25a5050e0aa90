"""Issue 15.9: an officer's name carrying a bidi override (U+202E) cannot reorder a staff
message: in Telegram HTML it is isolated with its controls dropped, at the terminal the
controls are shown as visible marks. Names reach staff messages as mentions, as the officer
taking a request over, and in decision notes."""

from __future__ import annotations

from bot.staff.announce import Announcer
from bot.staff.views import HTML, PLAIN, mention
from conversations.formatting import FSI, PDI
from conversations.i18n import Texts
from domain.catalogue import load_catalogue
from officers.officer import Officer

RLO = "\u202e"
NAME = f"{RLO}Sara 0501234567"


def _isolated(html: str) -> bool:
    return RLO not in html and f"{FSI}Sara 0501234567{PDI}" in html


def test_a_mention_isolates_the_name_in_html_and_shows_the_control_at_the_terminal() -> None:
    texts = Texts("ar")
    assert _isolated(mention("officer:42", NAME, HTML, texts))  # a Telegram mention link
    assert _isolated(mention("terminal:sara", NAME, HTML, texts))  # a plain name
    for actor in ("officer:42", "terminal:sara"):
        shown = mention(actor, NAME, PLAIN, texts)
        assert RLO not in shown and "⟦U+202E⟧" in shown


def test_taking_over_names_both_officers_isolated() -> None:
    announcer = Announcer(load_catalogue(), locale="ar")
    text = announcer.taken_over("5038329651", "officer:7", NAME, Officer(8, NAME))
    assert RLO not in text
    assert text.count(f"{FSI}Sara 0501234567{PDI}") == 2
