"""A supervisor's temporary directories (bot.supervisor_dirs): named with its pid, and
removed at a later supervisor's start only when nothing can be using them. Before, a
supervisor killed by SIGKILL left its ``tawasul-metrics-…`` and ``tawasul-beats-…`` in
/tmp for good (note 12), named without a pid, so nothing could tell whose they were."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import supervisor_dirs
from bot.supervisor_dirs import BEATS_PREFIX, METRICS_PREFIX, OWNER_LOCK

ROOT = Path(__file__).resolve().parents[2]

#: A process that makes both directories as a supervisor does, says where, and waits.
_SUPERVISOR = """
import sys, time
from pathlib import Path
from bot import supervisor_dirs
root = Path(sys.argv[1])
for prefix in (supervisor_dirs.METRICS_PREFIX, supervisor_dirs.BEATS_PREFIX):
    print(supervisor_dirs.make(prefix, root).path, flush=True)
time.sleep(600)
"""


def _supervisor(root: Path) -> tuple[subprocess.Popen[str], list[Path]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SUPERVISOR, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    made = [Path(proc.stdout.readline().strip()) for _ in range(2)]
    return proc, made


def _killed(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_killed_supervisors_directories_are_removed_at_the_next_start(tmp_path: Path) -> None:
    proc, made = _supervisor(tmp_path)
    names = [path.name for path in made]
    assert names[0].startswith(f"{METRICS_PREFIX}{proc.pid}-")
    assert names[1].startswith(f"{BEATS_PREFIX}{proc.pid}-")
    # while it lives, a starting supervisor leaves them alone
    assert supervisor_dirs.sweep(tmp_path) == []
    assert all(path.is_dir() for path in made)
    _killed(proc)
    assert all(path.is_dir() for path in made)  # SIGKILL: nothing removed them
    assert sorted(supervisor_dirs.sweep(tmp_path)) == sorted(made)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_still_used_by_a_draining_worker_is_kept(tmp_path: Path) -> None:
    proc, (metrics, beats) = _supervisor(tmp_path)
    # a worker of that supervisor holds the metrics directory (bot.worker_start)
    worker = supervisor_dirs.hold(metrics)
    assert worker is not None
    try:
        _killed(proc)
        # the supervisor is dead, but its worker still writes its figures there
        assert supervisor_dirs.sweep(tmp_path) == [beats]
        assert metrics.is_dir()
    finally:
        os.close(worker)  # the worker has exited
    assert supervisor_dirs.sweep(tmp_path) == [metrics]


def test_what_cannot_be_proved_dead_is_kept(tmp_path: Path) -> None:
    # an older version's directory (no pid in the name), a dead pid's directory without
    # its lock, something else of the same prefix, a pid that runs (reused, say)
    old = tmp_path / f"{METRICS_PREFIX}k2j4_x9"
    unlocked = tmp_path / f"{BEATS_PREFIX}999999999-abc"
    a_file = tmp_path / f"{METRICS_PREFIX}999999999-file"
    running = tmp_path / f"{METRICS_PREFIX}{os.getppid()}-abc"
    for path in (old, unlocked, running):
        path.mkdir()
    (running / OWNER_LOCK).touch()
    a_file.write_text("not a directory")
    assert supervisor_dirs.sweep(tmp_path) == []
    # a dead pid, its lock free: removed (the pid checked through `runs`)
    (unlocked / OWNER_LOCK).touch()
    assert supervisor_dirs.sweep(tmp_path, runs=lambda pid: pid != 999999999) == [unlocked]
    assert old.is_dir() and running.is_dir() and a_file.is_file()


def test_a_supervisor_removes_its_own_at_exit_and_they_carry_its_pid(tmp_path: Path) -> None:
    own = supervisor_dirs.make(BEATS_PREFIX, tmp_path)
    assert own.path.name.startswith(f"{BEATS_PREFIX}{os.getpid()}-")
    assert (own.path / OWNER_LOCK).is_file()
    assert supervisor_dirs.sweep(tmp_path) == []  # its own: never
    own.remove()
    assert list(tmp_path.iterdir()) == []


#: A supervisor's start of its forkserver (bot.supervisor.supervise): multiprocessing's
#: directory given first, when `lend` is "yes"; says the forkserver's socket, then waits.
_FORKSERVER = """
import multiprocessing, os, sys, time
from multiprocessing import forkserver
from pathlib import Path
from bot import supervisor_dirs
if sys.argv[2] == "yes":
    supervisor_dirs.for_multiprocessing(Path(sys.argv[1]))
context = multiprocessing.get_context("forkserver")
worker = context.Process(target=os.getpid)
worker.start()
worker.join()
print(forkserver._forkserver._forkserver_address, flush=True)
time.sleep(600)
"""


def _forkserver_killed(root: Path, lend: str) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _FORKSERVER, str(root), lend],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"TMPDIR": str(root)},
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    _killed(proc)
    return proc.pid, address


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A directory with a short path: the forkserver's socket is made two levels under it,
    and pytest's own tmp_path leaves no room for a socket's 107 bytes."""
    path = Path(tempfile.mkdtemp(prefix="sd-", dir="/tmp"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_a_killed_supervisor_leaves_no_pymp_directory_and_its_own_is_swept(
    short_tmp: Path,
) -> None:
    # as multiprocessing does by itself: a pymp-… that nothing can prove dead, left for good
    # (what a SIGKILLed supervisor left in /tmp before, note 13); the check that
    # for_multiprocessing's reliance on multiprocessing's _config still holds
    alone = short_tmp / "alone"
    alone.mkdir()
    _, address = _forkserver_killed(alone, "no")
    assert [p.name[:5] for p in alone.iterdir()] == ["pymp-"]
    assert Path(address).parent.parent == alone
    assert supervisor_dirs.sweep(alone) == []

    ours = short_tmp / "ours"
    ours.mkdir()
    pid, address = _forkserver_killed(ours, "yes")
    (left,) = ours.iterdir()
    assert left.name.startswith(f"{supervisor_dirs.MULTIPROCESSING_PREFIX}{pid}-")
    assert Path(address).parent == left  # the forkserver's socket was there
    assert supervisor_dirs.sweep(ours) == [left]
    assert list(ours.iterdir()) == []


def test_a_temporary_directory_too_long_for_a_socket_is_left_to_multiprocessing(
    short_tmp: Path,
) -> None:
    # our name is 15 bytes longer than pymp-…'s: where it would not fit a socket's path,
    # multiprocessing makes its own as before, rather than the forkserver failing to start
    deep = short_tmp / ("d" * (107 - len(str(short_tmp)) - 40))
    deep.mkdir()
    _, address = _forkserver_killed(deep, "yes")
    assert [p.name[:5] for p in deep.iterdir()] == ["pymp-"]
    assert len(address) <= 107


def test_multiprocessing_keeps_a_directory_it_already_has(tmp_path: Path) -> None:
    script = """
import multiprocessing.util, sys
from pathlib import Path
from bot import supervisor_dirs
first = multiprocessing.util.get_temp_dir()
print(supervisor_dirs.for_multiprocessing(Path(sys.argv[1])), multiprocessing.util.get_temp_dir() == first)
"""
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.split() == ["None", "True"], out.stderr
    assert "multiprocessing already has its directory" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_directory_named_with_this_pid_by_an_earlier_start_is_removed(tmp_path: Path) -> None:
    # in a container the supervisor is pid 1 at every start, and `restart: unless-stopped`
    # keeps the container's /tmp: the directories of a start killed by SIGKILL bear the pid
    # of the next start. They were kept for good (found running the image, three more at
    # each restart); now their free lock is enough to tell, and this start's own are kept
    earlier = tmp_path / f"{BEATS_PREFIX}{os.getpid()}-abc"
    earlier.mkdir()
    (earlier / OWNER_LOCK).touch()
    own = supervisor_dirs.make(METRICS_PREFIX, tmp_path)
    assert supervisor_dirs.sweep(tmp_path) == [earlier]
    assert [p.name for p in tmp_path.iterdir()] == [own.path.name]
    own.remove()
