"""The officers' use cases, channel-neutral: what an officer is told, what a report says,
and the rules of the desk, written once for both doors to them (the Telegram staff group
and the ``tawasul staff`` CLI, in :mod:`bot.staff`).

Like :mod:`conversations` for residents, this layer knows no channel, no SQL and no
clock of its own: it takes the words (``gettext`` bound to the officer's language), the
figures and the instant from its callers and returns texts and decisions. Imports point
``bot -> officers -> domain``; nothing here imports :mod:`bot`, aiogram or SQLAlchemy
(``tests/unit/officers/test_layering.py`` checks).
"""
