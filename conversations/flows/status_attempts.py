"""How many look-ups a chat and a request number may try: the attempts (kept by the
limiter, in Redis, so every worker counts them), the refusals when none is left, and
the one answer for a number that does not exist and a wrong identity number alike, so
that numbers cannot be probed.
"""

from __future__ import annotations

from conversations.flow import Ctx, Outcome, Retry
from conversations.ports import AttemptLimiter


async def refused(ctx: Ctx, limiter: AttemptLimiter, number: str, wait_s: int) -> Outcome:
    """A look-up of ``number`` refused by the limiter. The person stays at the identity
    step, so an identity number typed next is taken for this look-up (refused while a
    pause lasts, checked once it is over), never for a new request. When this chat used
    up its own attempts it is told so; when only the number's own limit, shared by every
    chat and worker, is full, strangers' wrong identity numbers may be the cause: the
    person is told the inquiry about this number is paused for its protection, without
    being blamed. Found by the fresh-clone testers: a person who had made no attempt read
    «after several failed attempts», and the identity number they typed next started a
    new request; and (tester 13, §10) after the chat's own refusal the look-up ended, the
    chat's window, begun earlier, closed before the number's, and the relative's identity
    number typed next started a draft. The chat that filed it is never refused
    (``lookup`` shows it its own request before any attempt is counted)."""
    account = attempt_keys(ctx, number)[0]
    answers = ctx.state.answers
    answers.pop("paid", None)
    answers.pop("left", None)
    answers["number"] = number
    ctx.state.step = "identity"
    if await limiter.blocked_for(account) > 0:
        return Retry(wait_message(ctx, wait_s))
    return Retry(number_paused_message(ctx, number, wait_s))


def number_paused_message(ctx: Ctx, number: str, seconds: int) -> str:
    """The refusal of a look-up while the request number (not this chat) has no attempt
    left: it does not say the person got anything wrong (others' attempts count too), and
    it says where its owner can always see it."""
    ngettext = ctx.texts.ngettext
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "To protect request %(number)s, inquiries about it are paused for a while, after wrong identity numbers were typed for it several times. Please try again in %(count)d minute. If you filed it, you can see its status at any time from the chat you filed it from.",
        "To protect request %(number)s, inquiries about it are paused for a while, after wrong identity numbers were typed for it several times. Please try again in %(count)d minutes. If you filed it, you can see its status at any time from the chat you filed it from.",
        minutes,
    ) % {"number": number, "count": minutes}


def attempt_keys(ctx: Ctx, number: str) -> tuple[str, str]:
    return (f"acct:{ctx.origin.channel}:{ctx.origin.user_key}", f"num:{number}")


async def paused_for(ctx: Ctx, limiter: AttemptLimiter) -> int:
    """Seconds until this chat's status look-ups may be tried again (0 when they are not
    paused): the lock-out lives in the limiter (Redis), so every worker sees it."""
    return await limiter.blocked_for(attempt_keys(ctx, "")[0])


def not_found_message(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    # the same words whether the number exists or not
    return _(
        "We couldn't find a request with this number and identity number. Please check both and try again."
    )


def wait_message(ctx: Ctx, seconds: int) -> str:
    """The refusal of a look-up while the account or the number has no attempt left."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "For your protection, status inquiries are paused after several failed attempts. Please try again in %(count)d minute.",
        "For your protection, status inquiries are paused after several failed attempts. Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
