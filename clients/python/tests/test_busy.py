"""HTTP 503 from a real sidecar that serves one frame request at a time (SEEKFRAME_MAX_INFLIGHT=1)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Iterator, List

import numpy as np
import pytest

from seekframe import Busy, Client, RetryPolicy

MP4 = "h264_bframes_faststart.mp4"
KEYS = ["h264_audio_moov_end.mp4", "hevc.mp4", "vp9.webm", MP4]


@contextlib.contextmanager
def contention(url: str, token: str, seconds: float) -> Iterator[List[int]]:
    """Two threads keep the sidecar's only slot busy for ``seconds`` (or until the block ends)."""
    stop = threading.Event()
    served: List[int] = []

    def hog(offset: int) -> None:
        with Client(url, token=token, retries=0) as c:
            n = offset
            deadline = time.monotonic() + seconds
            while not stop.is_set() and time.monotonic() < deadline:
                n += 1
                try:
                    c.get_frames(KEYS[n % len(KEYS)], [(n * 7 + k * 11) % 48 for k in range(4)])
                    served.append(n)
                except Busy:
                    pass

    threads = [threading.Thread(target=hog, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.05)
        yield served
    finally:
        stop.set()
        for t in threads:
            t.join()


def _retries_logged(caplog: pytest.LogCaptureFixture) -> List[logging.LogRecord]:
    me = threading.get_ident()
    return [r for r in caplog.records if r.thread == me and "HTTP 503" in r.getMessage()]


def test_busy_without_retries(token_url: str, token: str) -> None:
    client = Client(token_url, token=token, retries=0)
    with contention(token_url, token, 5.0):
        for _ in range(200):
            started = time.monotonic()
            try:
                client.get_frame(MP4, 5)
            except Busy as caught:
                err, elapsed = caught, time.monotonic() - started
                break
        else:
            pytest.fail("the sidecar never answered 503")
    assert (err.status, err.code, err.retry_after) == (503, "busy", 1.0)
    assert "retry" in err.message
    assert elapsed < 0.5  # no waiting


def test_busy_is_retried_after_retry_after(token_url: str, token: str, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(token_url, token=token, retries=RetryPolicy(retries=20, max_wait=60))
    expected = Client(token_url, token=token).get_frame(MP4, 9)
    with caplog.at_level(logging.INFO, logger="seekframe"):
        with contention(token_url, token, 1.5):
            for _ in range(200):
                caplog.clear()
                started = time.monotonic()
                frame = client.get_frame(MP4, 9)
                elapsed = time.monotonic() - started
                if _retries_logged(caplog):
                    break
            else:
                pytest.fail("the sidecar never answered 503")
    retries = _retries_logged(caplog)
    # It waited the Retry-After (1 s) before each new try, then succeeded.
    assert elapsed >= 1.0 * len(retries)
    assert np.array_equal(frame, expected)


def test_retries_are_bounded_by_max_wait(token_url: str, token: str) -> None:
    # Retry-After is 1 s, more than this policy may wait: the client gives up at once.
    client = Client(token_url, token=token, retries=RetryPolicy(retries=5, max_wait=0.5))
    with contention(token_url, token, 5.0):
        for _ in range(200):
            started = time.monotonic()
            try:
                client.get_frame(MP4, 5)
            except Busy as caught:
                err, elapsed = caught, time.monotonic() - started
                break
        else:
            pytest.fail("the sidecar never answered 503")
    assert err.retry_after == 1.0
    assert elapsed < 0.9


def test_retries_are_bounded_in_number(token_url: str, token: str) -> None:
    client = Client(token_url, token=token, retries=RetryPolicy(retries=1, max_wait=60))
    with contention(token_url, token, 4.0):
        for _ in range(20):
            started = time.monotonic()
            try:
                client.get_frame(MP4, 5)
            except Busy as caught:
                err, elapsed = caught, time.monotonic() - started
                break
        else:
            pytest.skip("the second try always found the slot free")
    assert "gave up after 2 tries" in err.message
    assert elapsed >= 1.0


def test_concurrent_callers_all_get_their_frames(token_url: str, token: str, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(token_url, token=token, pool_size=6, retries=RetryPolicy(retries=30, max_wait=60))
    wanted = [(KEYS[i % len(KEYS)], (i * 13) % 48) for i in range(6)]
    got: dict = {}
    errors: list = []
    timing: dict = {}
    barrier = threading.Barrier(len(wanted))

    def work(i: int) -> None:
        barrier.wait()
        started = time.monotonic()
        try:
            got[i] = client.get_frames(wanted[i][0], [wanted[i][1], wanted[i][1] + 1])
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)
        timing[threading.get_ident()] = time.monotonic() - started

    with caplog.at_level(logging.INFO, logger="seekframe"):
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(wanted))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    waited = [r for r in caplog.records if "HTTP 503" in r.getMessage()]
    assert waited, "six requests at once never met a 503"
    for record in waited:
        assert timing[record.thread] >= 1.0
    check = Client(token_url, token=token, retries=RetryPolicy(retries=30, max_wait=60))
    for i, (key, n) in enumerate(wanted):
        assert np.array_equal(got[i], check.get_frames(key, [n, n + 1]))
