"""After a refusal (conversations.flows.refusals, eligibility): the person's explanation
is acknowledged with what they can do instead, and the refused service is not offered
again in the conversation unless the answer that refused it changes (tester 11, fault
7: the visit-visa extension's nationality question came back in a loop). Also the
helper's two leftovers: a bare family word right after the «شخص آخر» refusal answers it,
and a place typed at the first question or as the first message is kept for «أين صاحب
الإقامة الآن؟», credited to the person's words."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import DESCRIPTION, PHONE, RESIDENT

NATIONALITY = "ما جنسية الزائر؟"
REFUSAL = "تمديد تأشيرة الزيارة عبر تواصل متاح للجنسيتين السورية واليمنية فقط"
UNDERSTOOD = "أتفهّم ذلك، ويؤسفني أن الطلب لا يُقدَّم من هنا"
# what to do instead, from seed 003 (a branch, after an Absher appointment)
INSTEAD = "حجز موعد عبر أبشر، ثم مراجعة أقرب فرع للجوازات"
CHANGE = f"وإن كانت إجابتك عن «{NATIONALITY}» غير ذلك في الحقيقة، فيُرجى كتابتها («الجنسية السورية» أو «الجنسية اليمنية»)"
EXPLANATION = "امي جات زيارة عائلية وتبي تمدد شهر ثاني لانها مريضة"
BORDER = "3000000001"
FOR_WHOM = "لمن هذا الطلب؟"
WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)
IDENTITY = "كتابة رقم هوي"  # the writer's own («هويتك») or the holder's («هوية صاحب الطلب»)
SOMEONE_ELSE_REFUSED = "لا يُقبل الطلب إلا من صاحب الشأن نفسه"
KEPT_FOR_SELF = "فهمتُ أنك خارج المملكة، وإن كان الطلب لك أنت فسأعتمد ذلك جوابًا عن مكان صاحب الإقامة"
NOT_THE_HOLDER = "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة."


def _chat() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


async def _file(chat: Chat) -> None:
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")


async def _refused_visit(chat: Chat) -> None:
    """The tester's way on Telegram (fault 7), to the nationality's refusal."""
    await chat.command("start")
    await chat.text("ابي تمديد زيارة امي")
    await chat.text("١")
    assert chat.said == NATIONALITY
    await chat.text(BORDER)
    await chat.text("مصريه")
    assert REFUSAL in chat.said and "other" in chat.choice_ids


async def test_the_explanation_after_the_refusal_is_answered_not_offered_the_service() -> None:
    chat, gateway = _chat()
    await _refused_visit(chat)
    await chat.text(EXPLANATION)
    assert "s:visit_visa_extension" not in chat.choice_ids  # before: offered again
    assert "أيّ هذه الخدمات هي المطلوبة؟" not in chat.said
    assert UNDERSTOOD in chat.said and INSTEAD in chat.said and CHANGE in chat.said
    assert "«جنسية أخرى»" in chat.said
    assert "other" in chat.choice_ids  # another service, still
    # named again at the services: the same answer, never the question again (the loop)
    await chat.tap("other")
    await chat.text("تمديد زيارة")
    assert UNDERSTOOD in chat.said and not chat.said.endswith(NATIONALITY)
    assert "q:syrian" not in chat.choice_ids
    assert not gateway.submissions


@pytest.mark.parametrize("asked", ["طيب وش الحل", "وش اسوي؟", "what should I do"])
async def test_what_now_after_the_refusal_says_what_to_do_instead(asked: str) -> None:
    # the lead's probe: «طيب وش الحل» got «لم أتمكن من تحديد الخدمة المقصودة»
    chat, _gateway = _chat()
    await _refused_visit(chat)
    await chat.text(asked)
    assert UNDERSTOOD in chat.said and INSTEAD in chat.said, chat.said
    assert "لم أتمكن" not in chat.said and "other" in chat.choice_ids, chat.said


async def test_the_refused_service_tapped_again_is_not_asked_again() -> None:
    chat, _gateway = _chat()
    await _refused_visit(chat)
    await chat.tap("other")
    await chat.tap("g:visas")
    await chat.tap("s:visit_visa_extension")  # from the group's menu
    assert UNDERSTOOD in chat.said and "q:syrian" not in chat.choice_ids


@pytest.mark.parametrize("typed", ["سورية", "هي يمنية"])
async def test_a_changed_nationality_after_the_explanation_goes_on(typed: str) -> None:
    chat, gateway = _chat()
    await _refused_visit(chat)
    await chat.text(EXPLANATION)
    await chat.text(typed)
    assert f"سجّلتُ إجابة «{NATIONALITY}»" in chat.said
    await _file(chat)  # the border number kept before is used
    submission = gateway.submissions[0]
    assert submission.service_id == "visit_visa_extension"
    assert submission.eligibility["nationality"] in ("syrian", "yemeni")


async def test_back_from_the_refusal_changes_the_answer_and_the_service_is_offered_again() -> None:
    chat, gateway = _chat()
    await _refused_visit(chat)
    await chat.text("رجوع")
    assert chat.said == NATIONALITY
    await chat.tap("q:yemeni")  # changed: the refusal no longer stands
    await chat.text("رجوع")
    await chat.text("رجوع")
    await chat.text("تمديد زيارة")
    # the words of the one service offered pick it: its question, no refusal again
    assert "q:yemeni" in chat.choice_ids and UNDERSTOOD not in chat.said, chat.said
    assert not gateway.submissions


async def test_other_services_are_still_offered_after_a_refusal() -> None:
    chat, _gateway = _chat()
    await _refused_visit(chat)
    await chat.text("ابي تأشيرة خروج وعودة لامي")
    assert "s:exit_reentry_visa" in chat.choice_ids
    assert "s:visit_visa_extension" not in chat.choice_ids and UNDERSTOOD not in chat.said


# session 12, task 5: a nationality change inside a sentence lifts the refusal

NOTED_SYRIAN = f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{NATIONALITY}»: «الجنسية السورية»."
KEPT_WORDS = "احتفظتُ بما كتبته، وسيكون في خطوة الوصف"
CHANGED_SENTENCES = [
    "عفوا غلطت امي سورية الجنسية وجات زيارة عائلية وتبي تمدد شهر ثاني",
    "امي جات زيارة عائلية وهي سورية مو مصرية وتبي تمدد شهر ثاني لانها مريضة",
]


@pytest.mark.parametrize("make", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize("sentence", CHANGED_SENTENCES, ids=["sorry-syrian", "syrian-not-egyptian"])
async def test_a_nationality_changed_in_a_sentence_lifts_the_refusal(
    make: type[Chat], sentence: str
) -> None:
    gateway = MemoryGateway()
    chat = make(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _refused_visit(chat)
    await chat.text(sentence)
    assert UNDERSTOOD not in chat.said and REFUSAL not in chat.said  # before: refused again
    assert chat.said.startswith(NOTED_SYRIAN) and KEPT_WORDS in chat.said, chat.said
    await _file(chat)
    filed = gateway.submissions[0]
    assert filed.service_id == "visit_visa_extension"
    assert filed.eligibility == {"nationality": "syrian"}


async def test_a_sentence_that_says_the_visitor_is_not_syrian_keeps_the_refusal() -> None:
    chat, _gateway = _chat()
    await _refused_visit(chat)
    await chat.text("امي جات زيارة عائلية وهي مصرية مو سورية وتبي تمدد شهر ثاني")
    assert UNDERSTOOD in chat.said and "q:syrian" not in chat.choice_ids
    await chat.text("هي يمنية مو مصرية، غلطت في الجنسية")
    assert chat.said.startswith(
        f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{NATIONALITY}»: «الجنسية اليمنية»."
    ), chat.said


# review 12, §2: a country named as a place, or the writer's own nationality beside the
# visitor's, is not the visitor's nationality
PLACE_SENTENCES = [
    "امي مصرية بس جات من سوريا زيارة عائلية وتبي تمدد شهر",
    "انا سوري وامي مصرية وجات زيارة عائلية وتبي تمدد",
    "امي مصرية وساكنة في اليمن وجات زيارة وتبي تمدد شهر ثاني",
]


@pytest.mark.parametrize("make", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize(
    "sentence", PLACE_SENTENCES, ids=["from-syria", "writer-syrian", "in-yemen"]
)
async def test_a_country_named_as_a_place_keeps_the_refusal(
    make: type[Chat], sentence: str
) -> None:
    gateway = MemoryGateway()
    chat = make(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _refused_visit(chat)
    await chat.text(sentence)
    # before: «بحسب ما ورد في رسالتك، سجّلتُ إجابة «ما جنسية الزائر؟»: «سوري»» and on
    assert "بحسب ما ورد في رسالتك" not in chat.said, chat.said
    assert UNDERSTOOD in chat.said, chat.said
    assert gateway.submissions == []


async def test_the_service_named_again_with_a_country_as_a_place_keeps_the_refusal() -> None:
    chat, _gateway = _chat()
    await _refused_visit(chat)
    await chat.tap("other")
    await chat.text("ابي تمديد زيارة امي المصرية اللي جات من سوريا")
    # the service named again brings the refusal back, not «سوري» by the country's name
    assert NOTED_SYRIAN not in chat.said and UNDERSTOOD in chat.said, chat.said


async def test_a_nationality_changed_with_the_service_named_again_at_the_groups() -> None:
    chat, gateway = _chat()
    await _refused_visit(chat)
    await chat.tap("other")
    await chat.text("ابي امدد زيارة امي وهي سورية الجنسية مو مصرية")
    assert UNDERSTOOD not in chat.said and "s:visit_visa_extension" in chat.choice_ids
    await chat.tap("s:visit_visa_extension")
    assert NOTED_SYRIAN in chat.said and not chat.said.endswith(NATIONALITY), chat.said
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"nationality": "syrian"}


async def test_a_nationality_changed_in_a_sentence_in_english() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("extend my mother's visit visa")
    await chat.tap("s:visit_visa_extension")
    await chat.tap("q:other")
    await chat.text("sorry, my mother is actually Syrian and she needs one more month")
    assert chat.said.startswith(
        "As you said, I have noted the answer to «What is the visitor's nationality?»: «Syrian»."
    ), chat.said
    assert "I understand, and I am sorry" not in chat.said


async def test_the_explanation_in_english() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("extend my mother's visit visa")
    await chat.tap("s:visit_visa_extension")
    await chat.tap("q:other")
    await chat.text("she came on a family visit and is ill, she needs one more month")
    assert "I understand, and I am sorry this cannot be filed here" in chat.said
    assert "book an appointment through Absher" in chat.said
    assert "(«Syrian» or «Yemeni»)" in chat.said
    assert "s:visit_visa_extension" not in chat.choice_ids


async def test_words_that_change_whose_after_the_refusal_go_on() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:someone_else")
    await chat.text("ابي اجدد اقامة زوجتي الله يخليك")  # whose, changed in a sentence
    assert "s:iqama_renew" in chat.choice_ids and UNDERSTOOD not in chat.said
    await chat.tap("s:iqama_renew")
    assert f"«{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in chat.said


# ---- a bare family word right after the «شخص آخر» refusal -----------------------------


@pytest.mark.parametrize("typed", ["اخوي", "أخوي", "ابوي"])
async def test_a_bare_family_word_after_the_refusal_answers_whose(typed: str) -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:someone_else")
    assert SOMEONE_ELSE_REFUSED in chat.said
    await chat.text(typed)  # before: a filler («يا اخوي»), searched as a service
    assert "لم أتمكن من تحديد الخدمة" not in chat.said
    assert f"سجّلتُ إجابة «{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in chat.said
    assert chat.said.endswith(WHERE)
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "family", "location": "inside"}


async def test_a_family_word_as_a_filler_is_not_an_answer_after_the_refusal() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:someone_else")
    await chat.text("يا اخوي")
    assert f"سجّلتُ إجابة «{FOR_WHOM}»" not in chat.said
    # and at the question itself a bare «اخوي» is not read as its answer either
    await chat.text("رجوع")
    assert chat.said == FOR_WHOM
    await chat.text("اخوي")
    assert "لم أفهم إجابتك" in chat.said and "سجّلتُ" not in chat.said


# ---- a place typed before the location question ---------------------------------------


async def test_a_place_typed_at_the_first_question_is_kept_for_where() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.text("انا في مصر")
    assert KEPT_FOR_SELF in chat.said
    assert "ind" in chat.choice_ids  # the first question, still
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    assert f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in chat.said
    assert IDENTITY in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "outside"}


async def test_a_place_typed_as_the_first_message_is_kept_for_where() -> None:
    chat, gateway = _chat()
    await chat.text("انا في الرياض")  # no /start: the first message
    assert "فهمتُ أنك داخل المملكة" in chat.said and "ind" in chat.choice_ids
    await chat.text("فرد")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    assert f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{WHERE_SELF}»: «داخل المملكة»" in chat.said
    assert "الموقع الذي شاركته" not in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "inside"}


# session 12, task 4: a place alone named a service (the catalogue's synonym «تجديد اقامة
# وانا برا المملكة»); now only the place is kept, and the first question follows

PLACE_ONLY = ["السلام عليكم انا برا المملكه", "انا برا المملكة", "السلام عليكم انا خارج المملكة"]


@pytest.mark.parametrize("make", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize("first", PLACE_ONLY, ids=["greeting-bara", "bara", "greeting-kharij"])
async def test_a_place_alone_as_the_first_message_names_no_service(
    make: type[Chat], first: str
) -> None:
    gateway = MemoryGateway()
    chat = make(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await chat.text(first)
    assert not any(c.startswith("s:") for c in chat.choice_ids), chat.choice_ids
    assert "هل هذه هي الخدمة المطلوبة؟" not in chat.said
    assert KEPT_FOR_SELF in chat.said and chat.choice_ids[:2] == ["ind", "est"]
    if first.startswith("السلام"):
        assert chat.said.startswith("وعليكم السلام ورحمة الله وبركاته."), chat.said
    await chat.tap("ind")
    assert chat.said.startswith("ما الخدمة المطلوبة؟"), chat.said
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in chat.said
    await chat.text(RESIDENT)
    if make is Chat:
        await chat.contact(PHONE)
    else:
        await chat.text("0501234567")
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.service_id == "iqama_renew"
    assert filed.eligibility == {"for_whom": "self", "location": "outside"}


async def test_a_place_alone_at_the_groups_names_no_service() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا برا المملكه")
    assert not any(c.startswith("s:") for c in chat.choice_ids), chat.choice_ids
    assert KEPT_FOR_SELF in chat.said and "g:residency" in chat.choice_ids


async def test_a_place_said_with_the_need_still_names_it() -> None:
    chat, _gateway = _chat()
    await chat.text("السلام عليكم ابي اجدد اقامتي وانا برا المملكة")
    assert "s:iqama_renew" in chat.choice_ids


async def test_a_place_alone_in_english() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("I'm outside the kingdom")
    assert not any(c.startswith("s:") for c in chat.choice_ids), chat.choice_ids
    assert (
        "I have noted that you are outside the Kingdom. If the request is for you yourself,"
        in chat.said
    ), chat.said


# review 11, item 8: a husband in Egypt files for his wife, who is in Riyadh


async def test_the_writers_place_is_not_the_wifes() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.text("انا في مصر")
    assert KEPT_FOR_SELF in chat.said and "احتفظتُ بذلك لطلبك" not in chat.said
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة زوجتي")
    await chat.tap("s:iqama_renew")
    assert f"سجّلتُ إجابة «{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in chat.said
    assert NOT_THE_HOLDER in chat.said and chat.said.endswith(WHERE)  # asked, not taken
    assert "«خارج المملكة»" not in chat.said and IDENTITY not in chat.said
    await chat.tap("q:inside")
    assert IDENTITY in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "family", "location": "inside"}


@pytest.mark.parametrize("first", ["انا في مصر", "I'm in Egypt", "انا برا"])
async def test_the_writers_place_counts_for_the_writers_own_iqama(first: str) -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.text(first)
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert "q:inside" not in chat.choice_ids  # not asked: on to the identity number
    assert NOT_THE_HOLDER not in chat.said and "iqama holder is now" not in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "outside"}


async def test_the_writers_place_said_at_whose_is_not_the_wifes() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.text("انا في مصر")  # at «لمن هذا الطلب؟»
    await chat.text("لزوجتي")
    assert NOT_THE_HOLDER in chat.said and chat.said.endswith(WHERE)
    assert IDENTITY not in chat.said


async def test_a_place_said_of_the_holder_still_counts() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة زوجتي وهي خارج المملكة")
    await chat.tap("s:iqama_renew")
    assert f"إجابة «{WHERE}»: «خارج المملكة»" in chat.said and IDENTITY in chat.said
    assert NOT_THE_HOLDER not in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "family", "location": "outside"}


@pytest.mark.parametrize("before", [(), ("ابي اجدد اقامة",)])
async def test_a_place_typed_where_the_service_is_chosen_is_kept_for_where(
    before: tuple[str, ...],
) -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    for typed in before:  # at the groups, or at the suggested services
        await chat.text(typed)
    await chat.text("انا في مصر")
    assert "لم أتمكن من تحديد الخدمة" not in chat.said  # before: and the place lost
    assert KEPT_FOR_SELF in chat.said
    if not before:
        await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    assert f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "outside"}
