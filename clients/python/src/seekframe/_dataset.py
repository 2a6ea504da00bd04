"""A map-style dataset of frames, for PyTorch's DataLoader or any loop; it does not import torch."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from ._client import Client, _add_width, _index, _key

__all__ = ["FrameDataset"]


class FrameDataset:
    """Frames of (video key, frame index) pairs, as a map-style dataset.

    ``dataset[i]`` is the frame of the i-th pair as ``np.ndarray`` (H, W, 3) uint8, or what
    ``transform`` makes of it. It has what ``torch.utils.data.DataLoader`` looks for (``__len__``,
    ``__getitem__``, and ``__getitems__``, which fetches a whole batch with one ``/v1/frames`` request
    per video in it), so it can be passed to one as is, without this package importing torch.

    It pickles small (its settings and the pairs as arrays, never a connection), so DataLoader worker
    processes get it in ``spawn`` mode too; each process opens its own connections on first use.
    ``transform`` must then be picklable as well (a module-level function, not a lambda).

    Args:
        url_or_client: the sidecar's URL, or a :class:`Client` whose settings (token, timeouts, retries)
            to use.
        pairs: ``(key, frame_index)`` pairs.
        transform: applied to each frame array.
        width: have the sidecar scale frames down to this width (aspect kept).

    Example:
        >>> pairs = [("clips/a.mp4", n) for n in range(0, 1000, 10)] + [("clips/b.mp4", 5)]
        >>> dataset = FrameDataset("http://localhost:8000", pairs, width=224)
        >>> dataset[0].shape
        (168, 224, 3)
        >>> loader = torch.utils.data.DataLoader(dataset, batch_size=32, num_workers=4)
    """

    def __init__(
        self,
        url_or_client: Union[str, Client],
        pairs: Iterable[Tuple[Union[str, "os.PathLike[str]"], int]],
        transform: Optional[Callable[[np.ndarray], Any]] = None,
        *,
        width: Optional[int] = None,
    ) -> None:
        if isinstance(url_or_client, Client):
            self._client = url_or_client
        elif isinstance(url_or_client, str):
            self._client = Client(url_or_client)
        else:
            raise TypeError(f"url_or_client must be a URL or a seekframe.Client, got {type(url_or_client).__name__}")
        if transform is not None and not callable(transform):
            raise TypeError("transform must be callable")
        self._transform = transform
        params: Dict[str, Any] = {}
        _add_width(params, width)
        self._width: Optional[int] = params.get("width")
        keys: Dict[str, int] = {}
        key_ids: List[int] = []
        indices: List[int] = []
        for i, pair in enumerate(pairs):
            try:
                video, n = pair
            except (TypeError, ValueError):
                raise ValueError(f"pairs[{i}] must be a (key, frame_index) pair, got {pair!r}") from None
            key_ids.append(keys.setdefault(_key(video), len(keys)))
            indices.append(_index(n, f"pairs[{i}] frame index"))
        # Compact, so that the copies pickled to each worker process stay small.
        self._keys: List[str] = list(keys)
        self._key_ids = np.asarray(key_ids, dtype=np.uint16 if len(keys) <= 1 << 16 else np.uint32)
        self._indices = np.asarray(indices, dtype=np.uint32 if max(indices, default=0) < 1 << 32 else np.uint64)

    @property
    def client(self) -> Client:
        """The client the frames are fetched with."""
        return self._client

    def __len__(self) -> int:
        return len(self._indices)

    def pair(self, i: int) -> Tuple[str, int]:
        """The (key, frame index) of item ``i``."""
        i = self._position(i)
        return self._keys[self._key_ids[i]], int(self._indices[i])

    def __getitem__(self, i: int) -> Any:
        key, n = self.pair(i)
        frame = self._client.get_frame(key, n, width=self._width)
        return self._transform(frame) if self._transform is not None else frame

    def __getitems__(self, items: Sequence[int]) -> List[Any]:
        """The items of a batch, fetched with one ``get_frames`` per video in it, in the order asked."""
        positions = [self._position(i) for i in items]
        by_key: Dict[int, List[int]] = {}
        for slot, i in enumerate(positions):
            by_key.setdefault(int(self._key_ids[i]), []).append(slot)
        out: List[Any] = [None] * len(positions)
        for key_id, slots in by_key.items():
            frames = self._client.get_frames(
                self._keys[key_id], [int(self._indices[positions[s]]) for s in slots], width=self._width
            )
            for slot, frame in zip(slots, frames):
                out[slot] = self._transform(frame) if self._transform is not None else frame
        return out

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"FrameDataset({self._client!r}, {len(self)} frames of {len(self._keys)} videos)"

    def _position(self, i: Any) -> int:
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"dataset indices must be integers, got {type(i).__name__}")
        n = len(self)
        j = int(i) + n if i < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError(f"dataset index {int(i)} is out of range for {n} items")
        return j
