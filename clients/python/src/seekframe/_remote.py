"""A video object's bytes as a seekable file, read with HTTP Range requests through ``/v1/object``."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Optional, Tuple

from ._errors import Changed, UnexpectedResponse

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["ObjectReader", "RemoteFile"]

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$", re.IGNORECASE)


class ObjectReader(io.RawIOBase):
    """The raw file under :class:`RemoteFile`: each read that misses its last block is one ``Range`` GET.

    Made by :meth:`Client.open`; use that. The first response fixes ``size`` and ``etag``; every later
    response must be a ``206`` of that same ETag and size (requests carry ``If-Range``), else reading
    raises :class:`~seekframe.Changed`, now and on every later read.
    """

    def __init__(self, client: "Client", key: str, block_size: int) -> None:
        super().__init__()
        self._client = client
        self._key = key
        self._block = block_size
        self._pos = 0
        self._failed: Optional[str] = None
        self.size: int = -1
        self.etag: Optional[str] = None
        self._buf = self._fetch(0, block_size)
        self._buf_start = 0

    @property
    def name(self) -> str:  # PyAV guesses the container from the name's extension
        return self._key

    def __repr__(self) -> str:
        return f"<seekframe.ObjectReader {self._key!r} size={self.size} etag={self.etag!r}>"

    # -- io.RawIOBase --------------------------------------------------------------------------------

    def readable(self) -> bool:
        self._check_open()
        return True

    def seekable(self) -> bool:
        self._check_open()
        return True

    def tell(self) -> int:
        self._check_open()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._check_open()
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            target = self.size + offset
        else:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        self._pos = target
        return target

    def readinto(self, buffer: Any) -> int:
        self._check_open()
        out = memoryview(buffer).cast("B")
        want = len(out)
        if want == 0 or self._pos >= self.size:
            return 0
        cached = self._cached()
        if not cached:
            length = min(max(want, self._block), self.size - self._pos)
            self._buf, self._buf_start = self._fetch(self._pos, length), self._pos
            cached = self._cached()
        n = min(want, len(cached))
        out[:n] = cached[:n]
        self._pos += n
        return n

    def readall(self) -> bytes:
        """The rest of the object, in one request (plus what the last block still holds)."""
        self._check_open()
        if self._pos >= self.size:
            return b""
        head = bytes(self._cached())
        start = self._pos + len(head)
        tail = self._fetch(start, self.size - start) if start < self.size else b""
        self._pos = self.size
        return head + tail

    def close(self) -> None:
        self._buf = b""
        super().close()

    # -- internals --------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")

    def _cached(self) -> memoryview:
        """The rest of the last block from the current position (empty if it is not in it)."""
        offset = self._pos - self._buf_start
        if 0 <= offset < len(self._buf):
            return memoryview(self._buf)[offset:]
        return memoryview(b"")

    def _changed(self, message: str) -> Changed:
        self._failed = f"{self._key!r} changed while it was being read: {message}"
        self._buf = b""
        return Changed(self._failed)

    def _fetch(self, start: int, length: int) -> bytes:
        """Bytes ``start`` to ``start + length - 1`` of the pinned version (the first call pins it)."""
        if self._failed is not None:
            raise Changed(self._failed)
        first = self.size < 0
        end = start + length - 1
        headers = {"Range": f"bytes={start}-{end}"}
        if not first and self.etag is not None and not self.etag.startswith("W/"):
            headers["If-Range"] = self.etag  # a replaced object then answers 200 with the new version

        def handle(resp: Any) -> bytes:
            status = resp.status
            etag = resp.headers.get("ETag")
            if first:
                return self._pin(resp, status, etag, start, end)
            if status == 416:
                raise self._changed(f"bytes {start}-{end} are now past its end ({self.size} bytes when opened)")
            if etag is None:
                raise UnexpectedResponse(f"/v1/object answered {status} without an ETag", status=status)
            if etag != self.etag:
                raise self._changed(f"ETag {self.etag} became {etag}")
            if status == 200:
                raise UnexpectedResponse("/v1/object ignored the Range header (HTTP 200)", status=status)
            got_start, got_end, total = _content_range(resp, status)
            if total != self.size:
                raise self._changed(f"its size went from {self.size} to {total} bytes")
            if got_start != start or got_end is None or got_end > end:
                raise UnexpectedResponse(
                    f"asked for bytes {start}-{end}, /v1/object sent {got_start}-{got_end}", status=status
                )
            return _body(resp, got_end - got_start + 1)

        return self._client._call("GET", "/v1/object", {"key": self._key}, handle, headers=headers, ok=(200, 206, 416))

    def _pin(self, resp: Any, status: int, etag: Optional[str], start: int, end: int) -> bytes:
        """Reads the first response: the object's size and ETag, and its first block."""
        if status == 206:
            got_start, got_end, total = _content_range(resp, status)
            if got_start != start or got_end is None or total is None or got_end > end:
                raise UnexpectedResponse(
                    f"asked for bytes {start}-{end}, /v1/object sent {got_start}-{got_end}/{total}", status=status
                )
            body = _body(resp, got_end - got_start + 1)
            size = total
        elif status == 200:
            # Allowed by HTTP for a small object; a large one would be downloaded whole.
            length = resp.headers.get("Content-Length")
            if length is None or not length.isdigit() or int(length) > self._block:
                raise UnexpectedResponse("/v1/object ignored the Range header (HTTP 200)", status=status)
            body = _body(resp, int(length))
            size = len(body)
        else:  # 416: the object is empty
            _, _, total = _content_range(resp, status)
            resp.read()
            if total != 0:
                raise UnexpectedResponse(f"/v1/object refused bytes {start}-{end} of {total}", status=status)
            body, size = b"", 0
        if etag is None and size > 0:
            raise UnexpectedResponse(
                "/v1/object sent no ETag, so reads cannot be pinned to one version of the object", status=status
            )
        self.size, self.etag = size, etag
        return body


class RemoteFile(io.BufferedReader):
    """A buffered, read-only, seekable binary file over a sidecar object (:meth:`Client.open`).

    Attributes:
        size: the object's size in bytes.
        etag: the object version every read is pinned to.

    Example:
        >>> with client.open("clips/a.mp4") as f:
        ...     f.seek(-16, io.SEEK_END)
        ...     tail = f.read()
    """

    raw: ObjectReader

    def __init__(self, raw: ObjectReader, buffer_size: int) -> None:
        super().__init__(raw, buffer_size)

    @property
    def size(self) -> int:
        return self.raw.size

    @property
    def etag(self) -> Optional[str]:
        return self.raw.etag

    def __repr__(self) -> str:
        return f"<seekframe.RemoteFile {self.raw.name!r} size={self.raw.size} etag={self.raw.etag!r}>"


def _content_range(resp: Any, status: int) -> Tuple[Optional[int], Optional[int], Optional[int]]:
    value = resp.headers.get("Content-Range")
    m = _CONTENT_RANGE.match(value or "")
    if not m:
        raise UnexpectedResponse(f"/v1/object answered {status} with Content-Range {value!r}", status=status)
    return tuple(None if g is None or g == "*" else int(g) for g in m.groups())  # type: ignore[return-value]


def _body(resp: Any, expected: int) -> bytes:
    body: bytes = resp.read()
    if len(body) != expected:
        raise UnexpectedResponse(f"/v1/object sent {len(body)} bytes, expected {expected}", status=resp.status)
    return body
