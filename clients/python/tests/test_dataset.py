"""FrameDataset: map-style, picklable, for DataLoader workers; checked without torch."""

from __future__ import annotations

import functools
import multiprocessing
import pickle
import subprocess
import sys
from pathlib import Path

import _workers
import numpy as np
import pytest
from _reference import assert_frame

from seekframe import Client, FrameDataset, InvalidArgument, NotFound

MP4 = "h264_bframes_faststart.mp4"
MKV = "h264.mkv"  # 320×240, 48 frames
PAIRS = [(MP4, 3), (MKV, 10), (MP4, 70), (MP4, 3), (MKV, 0), (MP4, 24)]


def test_items_are_the_frames(url: str, fixtures: Path) -> None:
    dataset = FrameDataset(url, PAIRS)
    assert len(dataset) == len(PAIRS)
    client = Client(url)
    for i, (key, n) in enumerate(PAIRS):
        assert dataset.pair(i) == (key, n)
        item = dataset[i]
        assert isinstance(item, np.ndarray) and item.shape == (240, 320, 3)
        assert np.array_equal(item, client.get_frame(key, n))
    assert_frame(dataset[2], fixtures / MP4, 70, 72)
    assert np.array_equal(dataset[-1], dataset[5])
    assert np.array_equal(dataset[np.int64(1)], dataset[1])
    with pytest.raises(IndexError):
        dataset[6]
    with pytest.raises(IndexError):
        dataset[-7]
    with pytest.raises(TypeError):
        dataset[1.0]
    assert [x.shape for x in dataset] == [(240, 320, 3)] * 6


def test_getitems_batches_per_video_in_order(url: str) -> None:
    dataset = FrameDataset(url, PAIRS, width=160)
    batch = dataset.__getitems__([5, 0, 1, 4, 3, 2])
    assert len(batch) == 6
    for item, i in zip(batch, [5, 0, 1, 4, 3, 2]):
        assert item.shape == (120, 160, 3)
        assert np.array_equal(item, dataset[i])


def test_transform_and_client_settings(token_url: str, token: str) -> None:
    client = Client(token_url, token=token)
    dataset = FrameDataset(client, PAIRS[:2], transform=_workers.channel_means)
    assert dataset.client is client
    means = dataset[0]
    assert means.shape == (3,)
    assert np.allclose(means, client.get_frame(MP4, 3).reshape(-1, 3).mean(axis=0))
    assert [m.shape for m in dataset.__getitems__([1, 0])] == [(3,), (3,)]


def test_bad_pairs_are_refused_at_once(url: str) -> None:
    with pytest.raises(ValueError, match=r"pairs\[1\]"):
        FrameDataset(url, [(MP4, 1), (MP4,)])
    with pytest.raises(InvalidArgument, match="frame index"):
        FrameDataset(url, [(MP4, -1)])
    with pytest.raises(InvalidArgument):
        FrameDataset(url, [("", 1)])
    with pytest.raises(InvalidArgument):
        FrameDataset(url, PAIRS, width=0)
    with pytest.raises(TypeError):
        FrameDataset(42, PAIRS)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        FrameDataset(url, [("missing.mp4", 1)])[0]


def test_pickles_small_and_without_connections(url: str) -> None:
    pairs = [(f"clips/{i % 10}.mp4", i) for i in range(100_000)]
    dataset = FrameDataset(url, pairs)
    dataset.client.info(MP4)  # a pooled connection now exists
    data = pickle.dumps(dataset)
    assert len(data) < 700_000  # keys once, then 6 bytes a pair
    back = pickle.loads(data)
    assert back.client._pool is None
    assert len(back) == 100_000 and back.pair(99_999) == ("clips/9.mp4", 99_999)


def test_spawned_workers(url: str) -> None:
    """As DataLoader(num_workers=2, multiprocessing_context="spawn") would use it."""
    dataset = FrameDataset(Client(url), PAIRS, transform=None)
    expected = [dataset[i].tobytes() for i in range(len(dataset))]  # the parent's pool is open
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.map(functools.partial(_workers.load, dataset), range(len(dataset)))
        batches = pool.starmap(_workers.load_batch, [(dataset, [0, 1, 2]), (dataset, [5, 4, 3])])
    assert [r[1] for r in results] == expected
    assert not any(r[2] for r in results), "a worker imported torch"
    assert not any(r[3] for r in results), "a worker got a connection pool from the parent"
    assert {r[0] for r in results} - {multiprocessing.current_process().pid}
    assert batches == [expected[:3], expected[5:2:-1]]


def test_forked_workers(url: str) -> None:
    dataset = FrameDataset(url, PAIRS)
    expected = [dataset[i].tobytes() for i in range(len(dataset))]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(functools.partial(_workers.load, dataset), range(len(dataset)))
    assert [r[1] for r in results] == expected


def test_importing_seekframe_does_not_import_torch() -> None:
    code = "import sys, seekframe; print('torch' in sys.modules, 'seekframe._dataset' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["False", "True"]
