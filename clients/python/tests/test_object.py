"""Client.open(): the object's bytes through the sidecar's /v1/object route, read with Range requests.

All marked ``object_endpoint``: they need that route (skipped while the sidecar lacks it).
"""

from __future__ import annotations

import io
import math
import os
import random
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest
from _reference import assert_frame

from seekframe import Changed, Client, NotFound, RemoteFile, Unauthorized

pytestmark = pytest.mark.object_endpoint

MP4 = "h264_bframes_faststart.mp4"


def test_reads_the_object(client: Client, fixtures: Path) -> None:
    expected = (fixtures / MP4).read_bytes()
    with client.open(MP4) as f:
        assert isinstance(f, RemoteFile) and isinstance(f, io.BufferedReader)
        assert f.size == len(expected)
        assert f.etag
        assert f.name == MP4
        assert f.readable() and f.seekable() and not f.writable()
        assert f.read() == expected
        assert f.read() == b"" and f.read(10) == b""
        assert f.tell() == len(expected)
    assert f.closed
    with pytest.raises(ValueError):
        f.read(1)


def test_seeks_and_reads_like_a_local_file(client: Client, fixtures: Path) -> None:
    rng = random.Random(7)
    for key in (MP4, "h264_audio_moov_end.mp4"):
        local = open(fixtures / key, "rb")
        buffered_file, raw_owner = client.open(key, block_size=8192), client.open(key, block_size=8192)
        for remote in (buffered_file, raw_owner.raw):  # the raw file stays open while its owner lives
            local.seek(0)
            buffered = isinstance(remote, RemoteFile)
            size = remote.size
            for _ in range(120):
                op = rng.randrange(6)
                before = local.tell()
                if op == 0:
                    pos = rng.randrange(size + 100)
                    assert remote.seek(pos) == local.seek(pos)
                elif op == 1:
                    delta = rng.randrange(-min(500, before), 20_000)
                    assert remote.seek(delta, io.SEEK_CUR) == local.seek(delta, io.SEEK_CUR)
                elif op == 2:
                    delta = -rng.randrange(size)
                    assert remote.seek(delta, io.SEEK_END) == local.seek(delta, io.SEEK_END)
                elif op == 3:
                    buf = bytearray(rng.randrange(1, 40_000))
                    got = remote.readinto(buf)
                    assert bytes(buf[:got]) == local.read(got)
                    assert got == min(len(buf), max(0, size - before)) if buffered else (got > 0) == (before < size)
                else:
                    n = rng.randrange(0, 30_000)
                    got = remote.read(n)
                    assert got == local.read(len(got))
                    if buffered:
                        assert len(got) == min(n, max(0, size - before))
                assert remote.tell() == local.tell()
            with pytest.raises((ValueError, OSError)):
                remote.seek(-1)
            remote.close()
        local.close()


def test_reads_are_block_sized_range_requests(url: str, fixtures: Path) -> None:
    client = Client(url)
    calls = []
    real = client._call

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("headers", {}).get("Range"))
        return real(*args, **kwargs)

    client._call = counting  # type: ignore[method-assign]
    size = (fixtures / MP4).stat().st_size
    with client.open(MP4, block_size=16384) as f:
        while f.read(4096):
            pass
    assert len(calls) == math.ceil(size / 16384)
    assert calls[0] == "bytes=0-16383" and calls[1] == "bytes=16384-32767"


def _nth_frame(f: RemoteFile, n: int) -> np.ndarray:
    av = pytest.importorskip("av")
    with av.open(f) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == n:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"fewer than {n + 1} frames")


@pytest.mark.parametrize("key, n", [(MP4, 42), ("h264_audio_moov_end.mp4", 61), ("vp9.webm", 30)])
def test_pyav_decodes_the_frame_ffmpeg_gives(client: Client, fixtures: Path, key: str, n: int) -> None:
    with client.open(key) as f:
        frame = _nth_frame(f, n)
    assert_frame(frame, fixtures / key, n, client.info(key)["frameCount"])
    assert np.array_equal(frame.shape, client.get_frame(key, n).shape)


@pytest.fixture
def scratch(fixtures: Path) -> Iterator[Path]:
    path = fixtures / f"scratch-{uuid.uuid4().hex}.mp4"
    shutil.copyfile(fixtures / MP4, path)
    yield path
    path.unlink(missing_ok=True)


def test_a_replaced_object_raises_changed(client: Client, fixtures: Path, scratch: Path) -> None:
    original = scratch.read_bytes()
    f = client.open(scratch.name, block_size=4096)
    assert f.read(100) == original[:100]
    etag = f.etag
    # Replace it with another video (another size, a new file): a new version, a new ETag.
    tmp = scratch.with_suffix(".tmp")
    shutil.copyfile(fixtures / "h264_audio_moov_end.mp4", tmp)
    os.replace(tmp, scratch)
    f.seek(50_000)
    with pytest.raises(Changed) as caught:
        f.read(10)
    assert scratch.name in caught.value.message
    # Never bytes of the new version through this file: every later read fails too.
    f.seek(0)
    with pytest.raises(Changed):
        f.read(5000)
    assert f.etag == etag
    f.close()
    # Opened anew, it is the new version.
    with client.open(scratch.name) as g:
        assert g.etag != etag
        assert g.read() == (fixtures / "h264_audio_moov_end.mp4").read_bytes()


def test_missing_object(client: Client) -> None:
    with pytest.raises(NotFound):
        client.open("no/such.mp4")


def test_token_applies(token_url: str, token: str, fixtures: Path) -> None:
    with pytest.raises(Unauthorized):
        Client(token_url).open(MP4)
    with Client(token_url, token=token).open(MP4) as f:
        assert f.read(16) == (fixtures / MP4).read_bytes()[:16]
