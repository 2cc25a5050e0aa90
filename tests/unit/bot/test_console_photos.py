"""``/photo`` in the terminal chat takes several paths, each sent as its own file.

Found by the fresh-clone tester: ``/photo a.jpg b.jpg`` was taken as one path, «a.jpg
b.jpg», which named no file. The paths are split as a shell splits them (quotes for a path
with spaces), a path with spaces typed alone still works, and a path that names no file
is said in the person's language while the others are sent all the same.
"""

from __future__ import annotations

import io
from pathlib import Path

from bot.channels.console import chat, to_event
from bot.channels.console_files import Attachments, NoSuchFile, photo_paths
from bot.media_store import MediaStore
from conversations.events import Event, Media, Reply
from tests import samples


def test_the_paths_are_split_as_a_shell_splits_them(tmp_path: Path) -> None:
    spaced = tmp_path / "my passport.png"
    spaced.write_bytes(samples.png(seed=1))
    assert photo_paths("a.jpg b.jpg") == ["a.jpg", "b.jpg"]
    assert photo_paths("a.jpg \"my passport.png\" 'c d.pdf'") == [
        "a.jpg",
        "my passport.png",
        "c d.pdf",
    ]
    assert photo_paths(r"my\ passport.png") == ["my passport.png"]
    # one path with spaces typed alone, without quotes, as the terminal always took it
    assert photo_paths(str(spaced)) == [str(spaced)]
    assert photo_paths('"unclosed a.jpg') == ['"unclosed', "a.jpg"]
    assert photo_paths("") == []


def test_each_path_is_its_own_event_with_its_own_id(tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b c.png"
    first.write_bytes(samples.png(seed=2))
    second.write_bytes(samples.png(seed=3))
    line = f'/photo {first} "{tmp_path / "gone.png"}" "{second}"'
    event = to_event(line, "local", MediaStore(tmp_path / "media"), "e1")
    assert isinstance(event, Attachments)
    one, missing, two = event.items
    assert isinstance(one, Media) and isinstance(two, Media)
    assert isinstance(missing, NoSuchFile) and missing.path == str(tmp_path / "gone.png")
    assert (one.file_name, two.file_name) == ("a.png", "b c.png")
    assert one.checksum != two.checksum
    assert [one.origin.event_id, two.origin.event_id] == ["e1", "e1-2"]


async def test_a_missing_file_is_said_and_the_others_are_sent(tmp_path: Path) -> None:
    sent: list[str] = []

    async def handle(event: Event) -> list[Reply]:
        assert isinstance(event, Media)
        sent.append(event.file_name or "")
        return [Reply(f"وصل {event.file_name}", locale="ar")]

    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(samples.png(seed=4))
    second.write_bytes(samples.png(seed=5))
    out = io.StringIO()
    line = f"/photo {first} {tmp_path / 'gone.png'} {second}\n"
    await chat(handle, MediaStore(tmp_path / "media"), stdin=io.StringIO(line), stdout=out)
    assert sent == ["a.png", "b.png"]
    shown = out.getvalue()
    assert f"(لا يوجد ملف بهذا المسار: {tmp_path / 'gone.png'})" in shown
    assert shown.index("وصل a.png") < shown.index("لا يوجد ملف") < shown.index("وصل b.png")
    assert "لم يضِع شيء مما أرسلته" in shown and "\n/photo المسار" in shown


def test_several_files_are_one_album_with_its_count(tmp_path: Path) -> None:
    # session 11: «/photo a b c» was answered once per file («وصلتني الصورة» three times);
    # as one album with its count it gets one answer, «وصلتني ٣ ملفات»
    photo, other, pdf = tmp_path / "a.png", tmp_path / "b.png", tmp_path / "c.pdf"
    photo.write_bytes(samples.png(seed=6))
    other.write_bytes(samples.png(seed=7))
    pdf.write_bytes(samples.pdf())
    store = MediaStore(tmp_path / "media")
    event = to_event(f"/photo {photo} {tmp_path / 'gone.png'} {other} {pdf}", "local", store, "e2")
    assert isinstance(event, Attachments)
    files = [item for item in event.items if isinstance(item, Media)]
    assert len(files) == 3 and len({f.album_id for f in files}) == 1 and files[0].album_id
    assert {(f.album_size, f.album_photos) for f in files} == {(3, 2)}
    alone = to_event(f"/photo {photo}", "local", store, "e3")
    assert isinstance(alone, Attachments)
    (only,) = alone.items
    assert isinstance(only, Media) and only.album_id is None and only.album_size is None
