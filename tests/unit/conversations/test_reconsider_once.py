"""A second tap on «Ask to reconsider» (found by the fresh-clone tester: the button stays
after its one use) is answered politely, does nothing else, and tells the channel the
button is spent so that it can take it off the message (Telegram)."""

from __future__ import annotations

from conversations.events import Choice

from .fakes import Chat
from .test_intake import RESIDENT, _to_identity
from .test_stray_files import NUMBER, SayGateway, _chat

RECON = f"recon:{NUMBER}"


async def _reconsidered(chat: Chat, gateway: SayGateway) -> None:
    await chat.tap(RECON)
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]


async def test_a_second_tap_is_refused_politely_and_spends_the_button() -> None:
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await _reconsidered(chat, gateway)
    await chat.send(Choice(chat.origin(), RECON))
    assert "لا يُطلب ذلك إلا مرة واحدة" in chat.said
    assert chat.last[0].spent == (RECON,)
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]  # nothing else asked


async def test_a_second_tap_mid_request_leaves_the_request_as_it_was() -> None:
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await _reconsidered(chat, gateway)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    asked = chat.last[-1].text
    await chat.tap(RECON)
    assert "لا يُطلب ذلك إلا مرة واحدة" in chat.said
    assert "share_contact" in chat.choice_ids  # the phone step's buttons again
    await chat.text("إلغاء")  # the draft is still there to be asked about
    assert chat.choice_ids[:2] == ["discard", "keep"]
    # and tapped while they are asked whether to throw it away: that question stays
    await chat.tap(RECON)
    assert "لا يُطلب ذلك إلا مرة واحدة" in chat.said
    assert chat.choice_ids[:2] == ["discard", "keep"]
    await chat.tap("keep")
    assert chat.last[-1].text == asked


async def test_the_tapped_button_is_spent_on_its_message_once_the_reason_is_sent() -> None:
    """The tester's fault after 09949af: the button left the message only at a second tap.
    The channel's reference of the tapped message comes back with the reply to the reason,
    so the channel can take the button off that message; abandoned before a reason, no
    reply spends it, and it works again."""
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.send(Choice(chat.origin(), RECON, message="msg-41"))
    await chat.text("إلغاء")
    assert not [r for r in chat.last if r.spent]
    await chat.send(Choice(chat.origin(), RECON, message="msg-41"))
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]
    [spending] = [r for r in chat.last if r.spent]
    assert (spending.spent, spending.spent_on) == ((RECON,), "msg-41")
    assert "أُرسل طلب إعادة النظر" in spending.text


async def test_a_reason_without_the_tapped_message_spends_nothing() -> None:
    """A channel that gives no reference of the tapped message (WhatsApp, the terminal):
    nothing is said spent (a tap on the button later is refused, as before)."""
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap(RECON)
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    assert gateway.reasons and not [r for r in chat.last if r.spent or r.spent_on]


async def test_a_stored_rating_spends_its_five_buttons_on_the_tapped_message() -> None:
    """The satisfaction buttons stayed until a second tap was refused: the reply to the
    rating itself now says all five are spent (on the tapped message); the comment that
    follows spends nothing more."""
    rating_ids = tuple(f"rate:{NUMBER}:{n}" for n in (1, 2, 3, 4, 5))
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap(f"rate:{NUMBER}:4")
    assert ("rate", NUMBER, "4") in gateway.said
    assert sorted(chat.last[0].spent) == sorted(rating_ids)
    assert chat.last[0].spent_on is None
    await chat.tap("nocomment")
    assert not [r for r in chat.last if r.spent]
