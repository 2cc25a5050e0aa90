"""A process that runs the bot's event loop (every `tawasul run`, bench/dialogue.py) uses at
most two glibc malloc arenas unless its environment chose (bot.event_loop.cap_malloc_arenas):
a lone `tawasul run` under systemd had glibc's default, up to 8 per core, each thread that
allocated beside another holding memory of its own. Counted from glibc's malloc_info(3)
after eight threads allocate at once; each case in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

_THREADS_ALLOCATE = """
    import asyncio, ctypes, os, re, tempfile, threading
    from bot import event_loop

    def work():
        for _ in range(3000):
            kept = [bytearray(2000) for _ in range(50)]

    async def main():
        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    event_loop.run(main(), loop="asyncio")
    libc = ctypes.CDLL(None)
    libc.fdopen.restype = ctypes.c_void_p
    libc.fdopen.argtypes = [ctypes.c_int, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    with tempfile.TemporaryFile() as out:
        stream = libc.fdopen(os.dup(out.fileno()), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        out.seek(0)
        print(len(re.findall(rb"<heap nr=", out.read())))
"""

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="glibc's malloc arenas",
)


def _arenas(env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_THREADS_ALLOCATE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(done.stdout.split()[-1])


@glibc
def test_the_event_loops_process_uses_two_arenas_when_the_environment_says_nothing() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert _arenas(env) <= 2  # before: 5-6 on the 2-core machine


@glibc
def test_the_environments_choice_is_kept() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert _arenas(env | {"MALLOC_ARENA_MAX": "8"}) > 2
