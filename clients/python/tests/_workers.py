"""Functions that multiprocessing runs in child processes; importable by name, so spawn can find them."""

from __future__ import annotations

import os
import sys
from typing import Any, Tuple

import numpy as np


def channel_means(frame: np.ndarray) -> np.ndarray:
    """A picklable transform."""
    return frame.reshape(-1, 3).mean(axis=0)


def load(dataset: Any, i: int) -> Tuple[int, bytes, bool, bool]:
    """Item ``i`` of ``dataset`` in this process: (pid, its bytes, torch imported?, a pool existed before?)."""
    had_pool = dataset.client._pool is not None
    item = np.asarray(dataset[i])
    return os.getpid(), item.tobytes(), "torch" in sys.modules, had_pool


def load_batch(dataset: Any, items: list) -> list:
    return [np.asarray(x).tobytes() for x in dataset.__getitems__(items)]
