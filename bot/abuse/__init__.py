"""Abuse and floods (issue 14): people an officer blocked, and the limits that hold across
workers in the shared Redis (messages a minute, requests a day, new chats at once).

- :mod:`bot.abuse.blocks`: the block list, true in SQL, mirrored in Redis for the check;
- :mod:`bot.abuse.windows`: moving windows on the ``limits`` library, in the shared Redis;
- :mod:`bot.abuse.guard`: the check every channel makes before any work on a message;
- :mod:`bot.abuse.filing`: new requests a day, per chat and per identity number.
"""
