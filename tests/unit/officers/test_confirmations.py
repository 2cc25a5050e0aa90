"""What an officer is told after an action, at either door: the same words where the action
is the same, each door's own way back where they differ, in Arabic and English."""

from __future__ import annotations

import pytest

from conversations.i18n import Texts
from officers.confirmations import Confirmations, Door

NUMBER = "4512345671"


def confirmations(locale: str, door: Door) -> Confirmations:
    texts = Texts(locale)
    return Confirmations(texts.gettext, texts.ngettext, door)


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_both_doors_say_the_same_where_the_action_is_the_same(locale: str) -> None:
    group, terminal = confirmations(locale, "group"), confirmations(locale, "terminal")
    for say in (
        lambda c: c.taken(NUMBER),
        lambda c: c.taken(NUMBER, previous="Noura"),
        lambda c: c.asked(NUMBER),
        lambda c: c.asked(NUMBER, other_language="English"),
        lambda c: c.undone(NUMBER),
        lambda c: c.kept(NUMBER),
        lambda c: c.not_found(NUMBER),
        lambda c: c.cannot_now(NUMBER, "Accepted"),
    ):
        assert say(group) == say(terminal)
        assert NUMBER in say(group)
        assert "%(" not in say(group)  # every placeholder filled


@pytest.mark.parametrize("locale", ["ar", "en"])
@pytest.mark.parametrize("seconds", [1, 2, 3, 11, 100])
def test_a_decision_says_when_the_person_is_told_and_how_to_undo_at_each_door(
    locale: str, seconds: int
) -> None:
    group, terminal = confirmations(locale, "group"), confirmations(locale, "terminal")
    for decided in (Confirmations.accepted, Confirmations.rejected):
        in_group = decided(group, NUMBER, "Noura", grace_s=seconds)
        at_terminal = decided(terminal, NUMBER, "Noura", grace_s=seconds)
        assert NUMBER in in_group and NUMBER in at_terminal
        assert "Noura" in in_group  # the whole group reads who decided
        assert "Noura" not in at_terminal  # the officer at the terminal knows
        assert "↩️" in in_group and "tawasul staff undo" in at_terminal
        assert "%(" not in in_group + at_terminal
    if seconds > 2:  # Arabic words one and two rather than writing the digit
        assert str(seconds) in group.accepted(NUMBER, "Noura", grace_s=seconds)


@pytest.mark.parametrize("door", ["group", "terminal"])
def test_without_a_grace_the_person_is_told_at_once(door: Door) -> None:
    confirm = confirmations("en", door)
    assert confirm.accepted(NUMBER, "Noura", grace_s=0).endswith("The person is being told.")
    assert "undo" not in confirm.rejected(NUMBER, "Noura", grace_s=0)


def test_each_door_names_its_own_way_to_take_over_and_to_unblock() -> None:
    group, terminal = confirmations("en", "group"), confirmations("en", "terminal")
    assert f"/takeover {NUMBER}" in group.already_with(NUMBER, "Noura")
    assert "--over" in terminal.already_with(NUMBER, "Noura")
    assert "an officer" in group.already_with(NUMBER, None)
    assert f"/unblock {NUMBER}" in group.blocked(NUMBER, "Noura", changed=True)
    assert f"tawasul staff unblock {NUMBER}" in terminal.blocked(NUMBER, "Noura", changed=True)
    assert "already blocked" in group.blocked(NUMBER, "Noura", changed=False)
    assert "by Sara" in group.unblocked(NUMBER, "Noura", changed=True, by="Sara")
    assert "not blocked" in terminal.unblocked(NUMBER, "Noura", changed=False)
    # a decided request: reopening comes first, each door its own way
    assert "↩️" in group.decided(NUMBER, "Rejected")
    assert f"tawasul staff reopen {NUMBER} REASON" in terminal.decided(NUMBER, "Rejected")
    arabic = confirmations("ar", "terminal").decided(NUMBER, "مرفوض")
    assert f"بُتّ في الطلب رقم {NUMBER} («مرفوض»)" in arabic
    assert f"tawasul staff reopen {NUMBER} السبب" in arabic


def test_the_group_says_who_reopened_and_when_it_is_due_the_terminal_only_that_it_is() -> None:
    assert "Noura" in confirmations("en", "group").reopened(NUMBER, "Noura")
    assert "seven working days" in confirmations("en", "group").reopened(NUMBER, "Noura")
    assert confirmations("en", "terminal").reopened(NUMBER, "Noura") == (
        f"Request {NUMBER} reopened and back under review."
    )


def test_arabic_is_written_in_arabic() -> None:
    text = confirmations("ar", "group").accepted(NUMBER, "نورة", grace_s=30)
    assert text.startswith(f"قُبِل الطلب {NUMBER} بقرار من نورة.")
    assert "Request" not in text
