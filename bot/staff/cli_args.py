"""The arguments of ``tawasul staff``: the parser, and the request number and free text
(note, reason, question) read from an action's words.

An officer types the number where it comes to mind: ``accept 4512345671 تم التجديد`` and
``accept تم التجديد 4512345671`` are the same action. Nothing here prints: what is missing or
wrong is raised as :class:`BadWords`, answered by the caller in the officer's ``--lang``
(argparse's own "required" errors would be in English).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

from conversations.i18n import DEFAULT_LOCALE, LOCALES, Texts
from domain.request_number import InvalidRequestNumber, parse_request_number

#: The namespace attribute naming a verb's words (the number and the free text, any order).
_TEXT_DEST: Final = "_free_text"

Problem = Literal["no_number", "bad_number", "several_numbers", "no_text", "no_days"]


class BadWords(ValueError):
    """An action's words lack or confuse a required part; ``problem`` says which, and
    ``numbers`` are the request numbers found when there are several."""

    def __init__(self, problem: Problem, numbers: Sequence[str] = ()) -> None:
        super().__init__(problem)
        self.problem: Problem = problem
        self.numbers = tuple(numbers)


class _VerbParser(argparse.ArgumentParser):
    """An action's parser whose last argument is free text (a note, a reason, a question):
    its words may come before, between or after the options, as an officer types them.

    argparse fills positionals from the first run of words only, so with ``accept N
    --officer X the note`` the optional note was matched empty and ``the note`` left over
    as "unrecognized"; ``parse_intermixed_args`` would fix that but refuses parsers with
    subcommands. The words left over are therefore joined to the text here, in the order
    typed; a left-over option (``--ovr``) stays an error."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        dest = getattr(parsed, _TEXT_DEST, None)
        if dest is None:
            return parsed, extras
        options: list[str] = []
        words: list[str] = []
        for i, word in enumerate(extras):
            if word == "--":  # everything after it is text, even "-5" or "--x"
                words += extras[i + 1 :]
                break
            (options if word.startswith("-") and word != "-" else words).append(word)
        if words:
            setattr(parsed, dest, [*(getattr(parsed, dest) or []), *words])
        return parsed, options


def number_and_text(args: argparse.Namespace) -> tuple[str, str]:
    """The canonical request number (``""`` for ``list`` and ``export``) and the free text
    (its words joined by spaces, in the order typed; ``""`` when the action takes none).

    For an action with free text the number is whichever word parses as a request number
    (:func:`domain.request_number.parse_request_number`), before, between or after the
    text's words; the others are the text. Raises :class:`BadWords`: ``no_number`` (no
    word at all), ``bad_number`` (no word is a request number), ``several_numbers``
    (more than one is: which one is meant is not guessed), ``no_text`` (a question or a
    reason is required and only blanks were given)."""
    dest = getattr(args, _TEXT_DEST, None)
    if dest is None:
        typed = getattr(args, "number", None)
        if args.staff_action in ("list", "export"):
            return "", ""
        if not typed or not typed.strip():
            raise BadWords("no_number")
        try:
            return parse_request_number(typed), ""
        except InvalidRequestNumber:
            raise BadWords("bad_number") from None
    words: list[str] = list(getattr(args, dest) or [])
    if not any(word.strip() for word in words):
        raise BadWords("no_number")
    found: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        try:
            found.append((i, parse_request_number(word)))
        except InvalidRequestNumber:
            continue
    if not found:
        raise BadWords("bad_number")
    if len({number for _, number in found}) > 1:
        raise BadWords("several_numbers", sorted({number for _, number in found}))
    # the same number typed twice is one number; the first is the request, the rest text
    index, number = found[0]
    text = " ".join(words[:index] + words[index + 1 :])
    if args.text_required and not text.strip():
        raise BadWords("no_text")
    return number, text


def add_staff_parser(sub: Any, texts: Texts | None = None) -> None:
    """Registers ``staff`` on the ``tawasul`` subparsers (``sub``), its help in ``texts``'
    language (Arabic by default: see :func:`help_locale`). argparse's own words («usage:»,
    «options», «show this help message and exit», its errors) stay in English."""
    _ = (texts or Texts(DEFAULT_LOCALE)).gettext
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the action it overrides; not given, the staff-level one stays
    common.add_argument(
        "--officer",
        default=argparse.SUPPRESS,
        metavar=_("NAME"),
        help=_("your name (for the request's history)"),
    )
    common.add_argument(
        "--lang", choices=("ar", "en"), default=argparse.SUPPRESS, help=_("output language")
    )

    staff = sub.add_parser(
        "staff",
        help=_("officers' actions on requests, without Telegram"),
        description=_("Officers' actions on requests, without Telegram."),
    )
    staff.add_argument(
        "--officer",
        default=None,
        metavar=_("NAME"),
        help=_("your name (default: the operating-system user)"),
    )
    staff.add_argument("--lang", choices=("ar", "en"), default="ar", help=_("output language"))
    actions = staff.add_subparsers(
        dest="staff_action", required=True, parser_class=_VerbParser, title=_("actions")
    )
    list_help = _("open requests, soonest due first")
    actions.add_parser("list", parents=[common], help=list_help, description=list_help)
    for name, help_ in (
        ("show", _("a request's details, with the paths of its files")),
        ("take", _("take a request")),
        ("undo", _("undo a decision the person has not been told of yet")),
        ("unblock", _("serve the person behind a request again")),
    ):
        p = actions.add_parser(name, parents=[common], help=help_, description=help_)
        # optional for argparse: a missing number is answered in the officer's language
        p.add_argument("number", nargs="?", metavar=_("NUMBER"), help=_("the request number"))
        if name != "unblock":
            _over_option(p, _)
    export_help = _("requests filed between two days and their decisions, as CSV (UTF-8 with BOM)")
    export = actions.add_parser(
        "export", parents=[common], help=export_help, description=export_help
    )
    # read in _export, so a bad or missing day is answered in the officer's language
    required_day = _("YYYY-MM-DD (required)")
    export.add_argument("--from", dest="first", default=None, help=required_day)
    export.add_argument("--to", dest="last", default=None, help=required_day)
    export.add_argument(
        "--output", default=None, help=_("a file to write to instead of the standard output")
    )
    export.add_argument(
        "--with-personal-data",
        action="store_true",
        help=_("add identity, establishment and phone numbers (recorded in the audit log)"),
    )
    for name, help_, words, required in (
        ("ask", _("ask the person for more information"), _("QUESTION"), True),
        ("accept", _("accept a request (an optional note for the person)"), _("NOTE"), False),
        (
            "reject",
            _("reject a request, with the reason the person will read"),
            _("REASON"),
            True,
        ),
        ("reopen", _("take a decided request back to review, with a reason"), _("REASON"), True),
        (
            "keep",
            _(
                "answer the person's request for reconsideration: the rejection stays (words given are the reason the person is told)"
            ),
            _("REASON"),
            False,
        ),
        (
            "block",
            _("stop serving the person behind a request (the reason is for the audit)"),
            _("REASON"),
            True,
        ),
        (
            "note",
            _("add an internal note to a request: officers see it, the person never does"),
            _("NOTE"),
            True,
        ),
    ):
        # «more-info» is what the staff group's button says; the action is the same
        aliases = ["more-info"] if name == "ask" else []
        p = actions.add_parser(
            name, parents=[common], help=help_, description=help_, aliases=aliases
        )
        # one list: the number may come before, among or after the words (number_and_text)
        p.add_argument(
            "words",
            nargs="*",
            metavar=f"{_('NUMBER')} {words}",
            help=_("the request number and the words, in any order"),
        )
        if name not in ("block", "note"):  # a note changes nothing: any officer may write one
            _over_option(p, _)
        if name in ("reject", "ask"):
            p.add_argument(
                "--anyway",
                action="store_true",
                help=_("send a reason not written in the language the person reads")
                if name == "reject"
                else _("send a question not written in the language the person reads"),
            )
        # staff_action: the alias typed is recorded as the action itself
        p.set_defaults(**{_TEXT_DEST: "words", "staff_action": name, "text_required": required})


def help_locale(argv: Sequence[str]) -> str:
    """The language of ``--help``: the ``--lang`` typed anywhere in ``argv`` (``--lang en``
    or ``--lang=en``) when it is one of ours, else Arabic, the officers' default (the
    same default as ``--lang``'s). argparse prints the help before ``--lang`` is parsed,
    so it is read here first."""
    for i, word in enumerate(argv):
        value = None
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--lang="):
            value = word.removeprefix("--lang=")
        if value in LOCALES:
            return value
    return DEFAULT_LOCALE


def _over_option(parser: argparse.ArgumentParser, _: Callable[[str], str]) -> None:
    # the desk's one rule (officers.desk_core.DeskCore._claim): the same for every action
    parser.add_argument(
        "--over",
        action="store_true",
        help=_("act on a request another officer has: it becomes yours, and they are told"),
    )
