"""Frames and info from a real sidecar, checked against Debian's ffmpeg."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path, PurePosixPath

import numpy as np
import pytest
from _reference import assert_frame, ffmpeg_frames, psnr

from seekframe import Client, InvalidArgument

MP4 = "h264_bframes_faststart.mp4"  # 320×240, 72 frames at 24 fps, GOP 24, B-frames


@pytest.mark.parametrize(
    "key, n",
    [
        (MP4, 0),
        (MP4, 42),
        (MP4, 71),
        ("h264_audio_moov_end.mp4", 37),
        ("hevc.mp4", 30),
        ("vp9.webm", 25),
        ("h264_rotate90.mp4", 13),
    ],
)
def test_get_frame_is_ffmpegs_frame(client: Client, fixtures: Path, key: str, n: int) -> None:
    frame = client.get_frame(key, n)
    info = client.info(key)
    assert frame.shape == (info["height"], info["width"], 3)
    assert frame.dtype == np.uint8 and frame.flags.writeable and frame.flags.c_contiguous
    assert_frame(frame, fixtures / key, n, info["frameCount"])


def test_the_readme_example(url: str) -> None:
    from seekframe import Client

    client = Client(url)
    frame = client.get_frame(MP4, 42)  # np.ndarray (240, 320, 3) uint8
    assert (frame.shape, frame.dtype) == ((240, 320, 3), np.uint8)
    client.close()


def test_get_frame_width(client: Client, fixtures: Path) -> None:
    frame = client.get_frame(MP4, 42, width=160)
    assert frame.shape == (120, 160, 3)
    assert_frame(frame, fixtures / MP4, 42, 72, scale=160)


def test_keys_and_indices_of_other_types(client: Client) -> None:
    expected = client.get_frame(MP4, 10)
    assert np.array_equal(client.get_frame(PurePosixPath(MP4), np.int64(10)), expected)
    assert np.array_equal(client.get_frame(MP4, np.uint16(10), width=np.int32(320)), expected)


def test_get_frame_at(client: Client, fixtures: Path) -> None:
    # 24 fps from t=0: frame n is shown from n/24 s until (n+1)/24 s.
    assert np.array_equal(client.get_frame_at(MP4, 1.5), client.get_frame(MP4, 36))
    assert np.array_equal(client.get_frame_at(MP4, 0), client.get_frame(MP4, 0))
    assert np.array_equal(client.get_frame_at(MP4, 37 / 24 - 0.001), client.get_frame(MP4, 36))
    assert_frame(client.get_frame_at(MP4, 2.99), fixtures / MP4, 71, 72)
    assert client.get_frame_at(MP4, np.float32(0.5), width=80).shape == (60, 80, 3)


def test_get_frames_in_the_order_asked_with_repeats(client: Client, fixtures: Path) -> None:
    indices = [50, 3, 3, 71, 0, 24, 23]
    frames = client.get_frames(MP4, indices)
    assert frames.shape == (len(indices), 240, 320, 3) and frames.dtype == np.uint8
    for frame, n in zip(frames, indices):
        assert np.array_equal(frame, client.get_frame(MP4, n))
        assert_frame(frame, fixtures / MP4, n, 72)


def test_get_frames_more_than_the_batch_limit(client: Client, fixtures: Path) -> None:
    # The sidecar takes 64 frames per request: 150 frames are 3 requests, put back in order.
    indices = list(range(72)) + list(range(71, -1, -1)) + [5, 6, 7, 8, 9, 10]
    frames = client.get_frames(MP4, indices)
    assert frames.shape == (150, 240, 320, 3)
    refs = ffmpeg_frames(fixtures / MP4, range(72), (240, 320))
    for frame, n in zip(frames, indices):
        assert np.array_equal(frame, refs[n]), (n, psnr(frame, refs[n]))
    assert np.array_equal(frames[0], frames[143]) and np.array_equal(frames[71], frames[72])
    assert client.max_batch == 64


def test_get_frames_of_other_index_types(client: Client) -> None:
    expected = client.get_frames(MP4, [0, 30, 60])
    assert np.array_equal(client.get_frames(MP4, np.array([0, 30, 60], dtype=np.int32)), expected)
    assert np.array_equal(client.get_frames(MP4, range(0, 61, 30)), expected)
    assert np.array_equal(client.get_frames(MP4, (n for n in (0, 30, 60))), expected)


def test_get_frames_width(client: Client, fixtures: Path) -> None:
    frames = client.get_frames(MP4, [0, 70], width=160)
    assert frames.shape == (2, 120, 160, 3)
    assert_frame(frames[1], fixtures / MP4, 70, 72, scale=160)


def test_get_frames_learns_a_lower_server_limit(token_url: str, token: str) -> None:
    # That sidecar takes 5 frames per request; the client starts at 64 and learns from its 400.
    with Client(token_url, token=token) as strict:
        assert strict.max_batch == 64
        indices = list(range(0, 72, 6))  # 12 frames
        frames = strict.get_frames(MP4, indices)
        assert strict.max_batch == 5
        assert frames.shape == (12, 240, 320, 3)
        for frame, n in zip(frames, indices):
            assert np.array_equal(frame, strict.get_frame(MP4, n))
        # Now known: no more refused requests.
        assert strict.get_frames(MP4, range(11)).shape == (11, 240, 320, 3)


def test_info(client: Client, fixtures: Path) -> None:
    info = client.info(MP4)
    assert info["frameCount"] == 72
    assert (info["width"], info["height"]) == (320, 240)
    assert info["fps"] == 24 and info["duration"] == 3
    assert info["codec"] == "h264" and info["container"] == "mp4"
    assert info["keyframes"] == [0, 24, 48]
    assert info["size"] == (fixtures / MP4).stat().st_size
    assert client.info("h264_rotate90.mp4")["rotation"] == 90


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_frame(MP4, -1),
        lambda c: c.get_frame(MP4, 1.0),
        lambda c: c.get_frame(MP4, "3"),
        lambda c: c.get_frame(MP4, True),
        lambda c: c.get_frame(MP4, None),
        lambda c: c.get_frame("", 1),
        lambda c: c.get_frame(None, 1),
        lambda c: c.get_frame(b"a.mp4", 1),
        lambda c: c.get_frame(MP4, 1, width=0),
        lambda c: c.get_frame(MP4, 1, width=100.5),
        lambda c: c.get_frame_at(MP4, -0.5),
        lambda c: c.get_frame_at(MP4, float("nan")),
        lambda c: c.get_frame_at(MP4, float("inf")),
        lambda c: c.get_frame_at(MP4, "1.5"),
        lambda c: c.get_frames(MP4, []),
        lambda c: c.get_frames(MP4, [1, -2]),
        lambda c: c.get_frames(MP4, [1, 2.5]),
        lambda c: c.get_frames(MP4, "1,2"),
        lambda c: c.get_frames(MP4, 5),
        lambda c: c.get_frames(MP4, np.array([1.0, 2.0])),
        lambda c: c.get_frames(MP4, np.array([[1, 2]])),
        lambda c: c.get_frames(MP4, np.array([3, -1])),
        lambda c: c.info(""),
        lambda c: c.open(MP4, block_size=0),
    ],
)
def test_bad_arguments_are_refused_before_any_request(call) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on port 9: a request would raise ConnectionFailed, not InvalidArgument.
    with Client("http://127.0.0.1:9", retries=0) as offline:
        with pytest.raises(InvalidArgument) as caught:
            call(offline)
    assert caught.value.status is None
    assert isinstance(caught.value, ValueError)
    assert caught.value.message


def test_argument_messages_are_clear() -> None:
    offline = Client("http://127.0.0.1:9", retries=0)
    with pytest.raises(InvalidArgument, match=r"frame_index must be an integer ≥ 0, got -1"):
        offline.get_frame(MP4, -1)
    with pytest.raises(InvalidArgument, match=r"indices\[1\] must be an integer ≥ 0, got 2.5"):
        offline.get_frames(MP4, [1, 2.5])
    with pytest.raises(InvalidArgument, match=r"indices is empty"):
        offline.get_frames(MP4, [])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"url": "localhost:8000"},
        {"url": "ftp://localhost"},
        {"url": "http://localhost:8000/?a=1"},
        {"url": "http://h", "timeout": 0},
        {"url": "http://h", "timeout": (1, -1)},
        {"url": "http://h", "retries": -1},
        {"url": "http://h", "pool_size": 0},
        {"url": "http://h", "max_batch": 0},
        {"url": "http://h", "token": ""},
        {"url": "http://h", "token": "a\nb"},
    ],
)
def test_bad_client_settings(kwargs: dict) -> None:
    with pytest.raises((ValueError, TypeError)):
        Client(**kwargs)


def test_url_with_trailing_slash_and_repr(url: str) -> None:
    c = Client(url + "/", token="secret-token")
    assert c.url == url
    assert "secret-token" not in repr(c) and "***" in repr(c)


def test_close_and_context_manager(url: str) -> None:
    with Client(url) as c:
        first = c.get_frame(MP4, 5)
    # Closed: the pool is gone, and the client connects again when used.
    assert c._pool is None
    assert np.array_equal(c.get_frame(MP4, 5), first)
    c.close()
    c.close()


def test_threads_share_one_client(url: str) -> None:
    client = Client(url, pool_size=4)
    wanted = [(n * 7) % 72 for n in range(24)]
    expected = {n: client.get_frame(MP4, n) for n in set(wanted)}
    errors: list = []
    got: dict = {}

    def work(i: int) -> None:
        try:
            got[i] = client.get_frame(MP4, wanted[i])
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(wanted))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i, n in enumerate(wanted):
        assert np.array_equal(got[i], expected[n])
    client.close()


def _child_frame(client: Client, queue: "multiprocessing.Queue") -> None:
    queue.put(client.get_frame(MP4, 33).tobytes())


def test_a_forked_child_opens_its_own_connections(url: str) -> None:
    client = Client(url)
    expected = client.get_frame(MP4, 33)  # the parent has a pooled connection now
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_frame, args=(client, queue))
    child.start()
    data = queue.get(timeout=30)
    child.join(30)
    assert child.exitcode == 0
    assert data == expected.tobytes()
    # The parent's connection still works.
    assert np.array_equal(client.get_frame(MP4, 34), client.get_frames(MP4, [34])[0])


def test_a_pickled_client_keeps_its_settings_not_its_connections(url: str) -> None:
    import pickle

    client = Client(url, token="t0ken", timeout=(1.5, 20), retries=3, pool_size=2, max_batch=7)
    expected = client.get_frame(MP4, 8)
    copy = pickle.loads(pickle.dumps(client))
    assert copy._pool is None
    assert (copy.url, copy._token, copy.max_batch, copy._pool_size) == (url, "t0ken", 7, 2)
    assert (copy._timeout.connect_timeout, copy._timeout.read_timeout) == (1.5, 20)
    assert copy._retries.retries == 3
    assert np.array_equal(copy.get_frame(MP4, 8), expected)
