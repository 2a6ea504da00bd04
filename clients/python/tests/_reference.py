"""Reference frames from Debian's ffmpeg, and the checks the tests make against them."""

from __future__ import annotations

import functools
import math
import subprocess
from pathlib import Path
from typing import Dict, Iterable, Optional, Tuple

import numpy as np


@functools.lru_cache(maxsize=64)
def _decode(path: str, wanted: Tuple[int, ...], size: Tuple[int, int], scale: Optional[int]) -> Tuple[np.ndarray, ...]:
    height, width = size
    select = "+".join(f"eq(n\\,{n})" for n in wanted)
    filters = f"select={select}" + (f",scale={width}:{height}:flags=bicubic" if scale else "")
    out = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            path,
            "-vf",
            filters,
            "-fps_mode",
            "passthrough",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    frame_bytes = width * height * 3
    assert len(out) == frame_bytes * len(wanted), f"ffmpeg gave {len(out)} bytes for {len(wanted)} frames of {size}"
    frames = np.frombuffer(out, dtype=np.uint8).reshape(len(wanted), height, width, 3)
    return tuple(frames)


def ffmpeg_frames(
    path: Path, indices: Iterable[int], size: Tuple[int, int], scale: Optional[int] = None
) -> Dict[int, np.ndarray]:
    """Frames ``indices`` of ``path`` (presentation order, as ``select=eq(n\\,N)``), as RGB of ``size`` (h, w).

    With ``scale``, scaled to ``size`` by ffmpeg's scale filter (bicubic), as the sidecar scales.
    """
    wanted = tuple(sorted(set(int(n) for n in indices)))
    frames = _decode(str(path), wanted, tuple(size), scale)
    return dict(zip(wanted, frames))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, f"{a.shape} vs {b.shape}"
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def assert_frame(got: np.ndarray, path: Path, n: int, frame_count: int, *, scale: Optional[int] = None) -> None:
    """``got`` is frame ``n`` of ``path``: ffmpeg's byte for byte (the sidecar's RGB is the CLI's), not n ± 1's."""
    assert got.dtype == np.uint8 and got.ndim == 3 and got.shape[2] == 3, (got.dtype, got.shape)
    near = [m for m in (n - 1, n, n + 1) if 0 <= m < frame_count]
    refs = ffmpeg_frames(path, near, got.shape[:2], scale)
    score = psnr(got, refs[n])
    diff = int(np.abs(got.astype(np.int16) - refs[n].astype(np.int16)).max())
    assert score == math.inf, f"frame {n} of {path.name}: {score:.1f} dB against ffmpeg's (max level difference {diff})"
    for m in near:
        if m != n:
            other = psnr(got, refs[m])
            assert score > other, f"frame {n} of {path.name} looks more like frame {m} ({other:.1f} ≥ {score:.1f} dB)"
