"""The HTTP client of the seekframe sidecar."""

from __future__ import annotations

import io
import json
import logging
import math
import numbers
import os
import random
import re
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar, Union
from urllib.parse import quote, urlencode, urlsplit

import numpy as np
import urllib3
from urllib3.exceptions import HTTPError as _Urllib3Error
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from ._errors import (
    Busy,
    ConnectionFailed,
    InvalidArgument,
    SeekframeError,
    Timeout,
    UnexpectedResponse,
    error_from_response,
)

if TYPE_CHECKING:
    from ._remote import RemoteFile

__all__ = ["Client", "RetryPolicy", "DEFAULT_TIMEOUT"]

log = logging.getLogger("seekframe")

T = TypeVar("T")

#: (connect, read) seconds. The read timeout is longer than the sidecar's 30 s deadline, so a slow
#: frame ends in the sidecar's 504 (:class:`~seekframe.Timeout` with ``status == 504``) rather than here.
DEFAULT_TIMEOUT = (5.0, 60.0)

#: The sidecar's default ``SEEKFRAME_MAX_BATCH``; a lower server limit is learned from its 400.
DEFAULT_MAX_BATCH = 64

_USER_AGENT = "seekframe-python/0.1.0"
_MAX_ERROR_BODY = 64 * 1024
_BATCH_LIMIT = re.compile(r"at most (\d+) frames per request")
_PIXEL_LIMIT = re.compile(r"would hold (\d+) pixels; the limit is (\d+)")

TimeoutArg = Union[None, float, Tuple[float, float], urllib3.Timeout]

#: A video's key: a string (or a path-like object, for keys that are relative paths).
Key = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class RetryPolicy:
    """When the client tries a request again.

    Retried: HTTP 503 (the sidecar is busy; its ``Retry-After`` is waited, plus up to 20 % jitter), and
    connection failures before a response (refused, reset, connect timeout), with exponential backoff. All
    requests are idempotent GETs. Never retried: read timeouts (the sidecar may still be decoding) and
    every other error.

    Attributes:
        retries: most tries after the first one.
        max_wait: most seconds slept between the tries of one call, in total. A ``Retry-After`` that
            would go past it ends the call at once with :class:`~seekframe.Busy`.
        backoff: first pause after a connection failure, or a 503 without ``Retry-After``; doubles each time.
        max_backoff: longest such pause.

    Example:
        >>> Client("http://localhost:8000", retries=RetryPolicy(retries=10, max_wait=120))
        >>> Client("http://localhost:8000", retries=0)  # fail fast
    """

    retries: int = 5
    max_wait: float = 30.0
    backoff: float = 0.25
    max_backoff: float = 4.0

    def __post_init__(self) -> None:
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ValueError(f"retries must be an integer ≥ 0, got {self.retries!r}")
        for name in ("max_wait", "backoff", "max_backoff"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value >= 0:
                raise ValueError(f"{name} must be a number ≥ 0, got {value!r}")


class Client:
    """A connection-pooled client of a seekframe sidecar.

    Args:
        url: the sidecar, e.g. ``"http://localhost:8000"`` (a path prefix is kept, for a sidecar behind a proxy).
        token: sent as ``Authorization: Bearer <token>`` (the sidecar's ``SEEKFRAME_TOKEN``).
        timeout: seconds; a number for both connecting and each read, a ``(connect, read)`` pair, or a
            ``urllib3.Timeout``. Default :data:`DEFAULT_TIMEOUT` (5 s, 60 s).
        retries: a :class:`RetryPolicy`, or just its number of retries (``0``: none). Default ``RetryPolicy()``.
        pool_size: connections kept open for reuse; use about as many as threads sharing the client.
        max_batch: frames per ``/v1/frames`` request at most; a lower limit of the sidecar is learned
            from its answer, so this rarely needs setting.

    A client is thread-safe. It can be pickled (its settings travel, not its connections) and after a
    ``fork`` the child opens its own connections, so it works in multiprocessing and DataLoader workers.

    Example:
        >>> from seekframe import Client
        >>> with Client("http://localhost:8000") as client:
        ...     frame = client.get_frame("sample.mp4", 77)  # np.ndarray (240, 320, 3) uint8
        ...     clip = client.get_frames("sample.mp4", range(0, 150, 2), width=160)  # (75, 120, 160, 3)
    """

    def __init__(
        self,
        url: str,
        token: Optional[str] = None,
        timeout: TimeoutArg = None,
        retries: Union[int, RetryPolicy, None] = None,
        pool_size: int = 10,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> None:
        if not isinstance(url, str):
            raise TypeError(f"url must be a string, got {type(url).__name__}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"url must be http(s)://host[:port][/prefix], got {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"url must not have a query or fragment, got {url!r}")
        if token is not None and (not isinstance(token, str) or not token or "\n" in token or "\r" in token):
            raise ValueError("token must be a non-empty string on one line")
        self._url = url.rstrip("/")
        self._token = token
        self._timeout = _timeout(timeout)
        if retries is None:
            retries = RetryPolicy()
        elif isinstance(retries, int) and not isinstance(retries, bool):
            retries = RetryPolicy(retries=retries)
        elif not isinstance(retries, RetryPolicy):
            raise TypeError(f"retries must be an int or a RetryPolicy, got {retries!r}")
        self._retries = retries
        self._pool_size = _positive(pool_size, "pool_size", ValueError)
        self._max_batch = _positive(max_batch, "max_batch", ValueError)
        self._lock = threading.Lock()
        self._pool: Optional[urllib3.PoolManager] = None
        self._pid = os.getpid()

    # -- settings, pickling, lifetime -------------------------------------------------------------

    @property
    def url(self) -> str:
        """The sidecar's base URL."""
        return self._url

    @property
    def max_batch(self) -> int:
        """Frames per ``/v1/frames`` request at most (lowered when the sidecar names a lower limit)."""
        return self._max_batch

    def __repr__(self) -> str:
        auth = ", token=***" if self._token else ""
        return f"Client({self._url!r}{auth})"

    def __getstate__(self) -> Dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"], state["_pool"], state["_pid"]
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._pool = None
        self._pid = os.getpid()

    def close(self) -> None:
        """Closes the pooled connections. The client stays usable: a later call connects again."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._pid == os.getpid():
            pool.clear()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connections(self) -> urllib3.PoolManager:
        pid = os.getpid()
        if self._pool is not None and self._pid == pid:
            return self._pool
        with self._lock:
            if self._pid != pid:
                # Forked: the inherited sockets belong to the parent; leave them alone and open our own.
                self._pool, self._pid = None, pid
            if self._pool is None:
                headers = {"User-Agent": _USER_AGENT}
                if self._token:
                    headers["Authorization"] = f"Bearer {self._token}"
                self._pool = urllib3.PoolManager(
                    num_pools=4, maxsize=self._pool_size, block=False, headers=headers, retries=False
                )
            return self._pool

    # -- frames ------------------------------------------------------------------------------------

    def get_frame(self, video_path: Key, frame_index: int, width: Optional[int] = None) -> np.ndarray:
        """Frame ``frame_index`` (0 is the first, in presentation order) as RGB.

        Args:
            video_path: the key of the video in the sidecar's bucket or folder, e.g. ``"clips/a.mp4"``.
            frame_index: an integer ≥ 0 (NumPy integers too).
            width: scale down to this width, keeping the aspect ratio (at most the video's width).

        Returns:
            ``np.ndarray`` of shape (height, width, 3), dtype uint8, writable.

        Raises:
            InvalidArgument: a bad argument (before any request).
            NotFound, OutOfRange, Unsupported, Corrupt, …: see :class:`~seekframe.SeekframeError`.

        Example:
            >>> client.get_frame("sample.mp4", 77).shape
            (240, 320, 3)
            >>> client.get_frame("sample.mp4", 77, width=160).shape
            (120, 160, 3)
        """
        params = {"key": _key(video_path), "index": _index(frame_index, "frame_index"), "format": "npy"}
        _add_width(params, width)
        return self._get_npy("/v1/frame", params, ndim=3)

    def get_frame_at(self, video_path: Key, seconds: float, width: Optional[int] = None) -> np.ndarray:
        """The frame shown ``seconds`` after the video starts (the first frame starts at 0).

        Example:
            >>> client.get_frame_at("sample.mp4", 1.5).shape
            (240, 320, 3)
        """
        if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
            raise InvalidArgument(f"seconds must be a number ≥ 0, got {seconds!r}")
        t = float(seconds)
        if not math.isfinite(t) or t < 0:
            raise InvalidArgument(f"seconds must be a finite number ≥ 0, got {seconds!r}")
        params = {"key": _key(video_path), "t": repr(t), "format": "npy"}
        _add_width(params, width)
        return self._get_npy("/v1/frame", params, ndim=3)

    def get_frames(
        self,
        video_path: Key,
        indices: Iterable[int],
        width: Optional[int] = None,
    ) -> np.ndarray:
        """Several frames of one video, in the order asked (repeats allowed), as one array.

        The sidecar decodes each group of pictures once for all the frames asked from it, so this is
        much cheaper than one :meth:`get_frame` per frame. More frames than the sidecar takes in one
        request are fetched in several requests, transparently.

        Args:
            video_path: the key of the video.
            indices: frame numbers ≥ 0: a list, a ``range``, a NumPy integer array…; at least one.
            width: scale down to this width (aspect kept).

        Returns:
            ``np.ndarray`` of shape (len(indices), height, width, 3), dtype uint8.

        Example:
            >>> client.get_frames("sample.mp4", [0, 24, 48]).shape
            (3, 240, 320, 3)
            >>> client.get_frames("sample.mp4", range(150)).shape  # 3 requests of at most 64 frames
            (150, 240, 320, 3)
        """
        key = _key(video_path)
        wanted = _indices(indices)
        base: Dict[str, Union[str, int]] = {"key": key, "format": "npy"}
        _add_width(base, width)
        count = len(wanted)
        out: Optional[np.ndarray] = None
        done = 0
        per_request = self._max_batch
        while done < count:
            chunk = wanted[done : done + per_request]
            try:
                frames = self._get_npy("/v1/frames", {**base, "indices": ",".join(map(str, chunk))}, ndim=4)
            except InvalidArgument as err:
                smaller = self._smaller_batch(err, len(chunk))
                if smaller is None:
                    raise
                per_request = smaller
                continue
            if frames.shape[0] != len(chunk):
                raise UnexpectedResponse(f"asked for {len(chunk)} frames, got an array of shape {frames.shape}")
            if out is None:
                if len(chunk) == count:
                    return frames
                out = np.empty((count,) + frames.shape[1:], dtype=np.uint8)
            elif frames.shape[1:] != out.shape[1:]:
                raise UnexpectedResponse(
                    f"frames of {key!r} changed size from {out.shape[1:3]} to {frames.shape[1:3]} between requests"
                )
            out[done : done + len(chunk)] = frames
            done += len(chunk)
        assert out is not None
        return out

    def _smaller_batch(self, err: InvalidArgument, size: int) -> Optional[int]:
        """The batch size the sidecar's 400 asks for, or None when the error is about something else."""
        if err.status is None:
            return None
        m = _BATCH_LIMIT.search(err.message)
        if m:
            limit = int(m.group(1))
            if limit < 1 or limit >= size:
                return None
            with self._lock:
                self._max_batch = min(self._max_batch, limit)
            log.info("the sidecar takes at most %d frames per request; batches split accordingly", limit)
            return limit
        m = _PIXEL_LIMIT.search(err.message)
        if m and size > 1:
            per_frame = max(1, int(m.group(1)) // size)
            fits = int(m.group(2)) // per_frame
            if 1 <= fits < size:
                return fits
        return None

    def info(self, video_path: Key) -> Dict[str, Any]:
        """What the sidecar knows of a video, as a dict.

        Keys include ``frameCount``, ``width``, ``height`` (as turned by any display matrix), ``fps``,
        ``duration``, ``codec``, ``container``, ``keyframes``, ``size``, ``etag`` and ``rotation``.

        Example:
            >>> info = client.info("sample.mp4")
            >>> info["frameCount"], info["width"], info["height"], info["codec"]
            (150, 320, 240, 'h264')
        """
        return self._json("/v1/info", {"key": _key(video_path)})

    def verify(self, video_path: Key) -> Dict[str, Any]:
        """Has the sidecar decode every picture of a video once, so damage anywhere in it is known.

        A random frame decodes only its own GOP, so a picture that native ffmpeg drops elsewhere
        (which renumbers every later frame) goes unseen. After a verification, every frame such
        damage makes uncertain raises :class:`~seekframe.Corrupt`, whatever order frames are
        asked in. The sidecar keeps what it found with the index, so a video version is decoded
        once; later calls return at once. A long video may need more than one call (each is cut
        off by the sidecar's deadline, and goes on where the last stopped).

        Returns:
            a dict: ``frameCount``, ``servedFrames``, ``firstRefused`` and ``reason`` (when frames
            are refused), ``damagedPackets``, ``jobs``, ``decodedJobs``, ``decodedPictures``.

        Example:
            >>> report = client.verify("sample.mp4")
            >>> report["servedFrames"] == report["frameCount"]
            True
        """
        return self._json("/v1/verify", {"key": _key(video_path)})

    def _json(self, path: str, params: Dict[str, str]) -> Dict[str, Any]:
        """A GET whose answer is a JSON object."""

        def parse(resp: Any) -> Dict[str, Any]:
            body = resp.read()
            if _media_type(resp) != "application/json":
                raise UnexpectedResponse(
                    f"{path} answered {resp.status} with {_media_type(resp) or 'no content type'}, not JSON",
                    status=resp.status,
                )
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as err:
                raise UnexpectedResponse(f"{path} sent invalid JSON: {err}", status=resp.status) from None
            if not isinstance(parsed, dict):
                raise UnexpectedResponse(f"{path} sent JSON that is not an object", status=resp.status)
            return parsed

        return self._call("GET", path, params, parse)

    def open(self, video_path: Key, *, block_size: int = 256 * 1024) -> "RemoteFile":
        """The object's bytes as a read-only, seekable binary file, through the sidecar's ``/v1/object``.

        Reads are HTTP ``Range`` requests of at least ``block_size`` bytes, pinned to the version
        (ETag) the first response had: if the object is replaced while the file is open, reading
        raises :class:`~seekframe.Changed` rather than mix bytes of two versions. ``size`` and
        ``etag`` come from that first response, made here (so a missing object raises
        :class:`~seekframe.NotFound` at once).

        Returns:
            an ``io.BufferedReader`` (with ``.size`` and ``.etag``) that PyAV's ``av.open()`` accepts.

        Example:
            >>> import av
            >>> with client.open("sample.mp4") as f, av.open(f) as container:
            ...     first = next(container.decode(video=0)).to_ndarray(format="rgb24")
        """
        from ._remote import ObjectReader, RemoteFile

        block = _positive(block_size, "block_size", InvalidArgument)
        return RemoteFile(ObjectReader(self, _key(video_path), block), block)

    # -- HTTP --------------------------------------------------------------------------------------

    def _get_npy(self, path: str, params: Dict[str, Any], *, ndim: int) -> np.ndarray:
        def parse(resp: Any) -> np.ndarray:
            body = resp.read()
            if _media_type(resp) != "application/x-npy":
                raise UnexpectedResponse(
                    f"{path} answered {resp.status} with {_media_type(resp) or 'no content type'}, not NPY",
                    status=resp.status,
                )
            try:
                array: np.ndarray = np.load(io.BytesIO(body), allow_pickle=False)
            except (ValueError, OSError, EOFError) as err:
                raise UnexpectedResponse(f"{path} sent a malformed NPY body: {err}", status=resp.status) from None
            if array.dtype != np.uint8 or array.ndim != ndim or array.shape[-1] != 3:
                raise UnexpectedResponse(
                    f"{path} sent an array of shape {array.shape} and dtype {array.dtype}, not RGB uint8",
                    status=resp.status,
                )
            return array

        return self._call("GET", path, params, parse)

    def _call(
        self,
        method: str,
        path: str,
        params: Dict[str, Any],
        handle: Callable[[Any], T],
        *,
        headers: Optional[Dict[str, str]] = None,
        ok: Sequence[int] = (200,),
    ) -> T:
        """One call with retries: ``handle`` gets each response whose status is in ``ok``, and may read it."""
        url = f"{self._url}{path}?{urlencode(params, quote_via=quote)}"
        policy = self._retries
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                pool = self._connections()
                resp = pool.request(
                    method,
                    url,
                    # Per-request headers replace the pool's in urllib3: keep the token and user agent.
                    headers={**pool.headers, **headers} if headers else None,
                    preload_content=False,
                    retries=False,
                    redirect=False,
                    timeout=self._timeout,
                )
                try:
                    if resp.status in ok:
                        result = handle(resp)
                        resp.release_conn()
                        return result
                    error = self._error(resp, method, path)
                except BaseException:
                    _discard(resp)
                    raise
            except _Urllib3Error as err:
                # Refused, reset, broken mid-body, connect timeout: the GET can be sent again.
                failure = _transport_error(err, method, path, self._timeout)
                if isinstance(failure, Timeout):
                    raise failure from None
                wait = _backoff(policy, attempt)
                if attempt > policy.retries or waited + wait > policy.max_wait:
                    raise _gave_up(failure, attempt, waited) from None
                log.info(
                    "%s %s: %s; retrying in %.2f s (try %d of %d)",
                    method,
                    path,
                    failure.message,
                    wait,
                    attempt + 1,
                    policy.retries + 1,
                )
                time.sleep(wait)
                waited += wait
                continue
            if resp.status != 503:
                raise error
            retry_after = (
                error.retry_after if isinstance(error, Busy) else _retry_after(resp.headers.get("Retry-After"))
            )
            wait = retry_after * (1 + 0.2 * random.random()) if retry_after is not None else _backoff(policy, attempt)
            if attempt > policy.retries or waited + wait > policy.max_wait:
                raise _gave_up(error, attempt, waited)
            log.info(
                "%s %s: HTTP 503 %s; retrying in %.2f s (try %d of %d)",
                method,
                path,
                error.message,
                wait,
                attempt + 1,
                policy.retries + 1,
            )
            time.sleep(wait)
            waited += wait

    def _error(self, resp: Any, method: str, path: str) -> SeekframeError:
        """Reads a bounded error body and releases the connection."""
        body = b"" if method == "HEAD" else resp.read(_MAX_ERROR_BODY + 1)
        if len(body) > _MAX_ERROR_BODY:
            _discard(resp)
            body = body[:_MAX_ERROR_BODY]
        else:
            resp.release_conn()
        return error_from_response(
            resp.status,
            resp.headers.get("Content-Type", ""),
            body,
            retry_after=_retry_after(resp.headers.get("Retry-After")),
            what=f"{method} {path}",
        )


# -- helpers -----------------------------------------------------------------------------------------


def _gave_up(error: SeekframeError, attempts: int, waited: float) -> SeekframeError:
    """The last error, its message saying how long the client kept trying."""
    if attempts > 1:
        error.message = f"{error.message} (gave up after {attempts} tries and {waited:.2f} s of waiting)"
        error.args = (error.message,)
    return error


def _discard(resp: Any) -> None:
    """Drops a response that was not read to its end: its connection is closed, not reused."""
    try:
        resp.close()
    finally:
        resp.release_conn()


def _transport_error(err: Exception, method: str, path: str, timeout: urllib3.Timeout) -> SeekframeError:
    if isinstance(err, ReadTimeoutError):
        return Timeout(f"{method} {path}: no answer within the read timeout of {timeout.read_timeout} s")
    if isinstance(err, ProtocolError):
        return ConnectionFailed(f"{method} {path}: the connection broke ({_reason(err)})")
    return ConnectionFailed(f"{method} {path}: cannot reach the sidecar ({_reason(err)})")


def _reason(err: BaseException) -> str:
    inner = err.args[-1] if err.args and isinstance(err.args[-1], BaseException) else err
    return f"{type(inner).__name__}: {inner}"


def _backoff(policy: RetryPolicy, attempt: int) -> float:
    base = min(policy.max_backoff, policy.backoff * 2.0 ** (attempt - 1))
    return base * (0.75 + 0.25 * random.random())


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delay-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _media_type(resp: Any) -> str:
    return str(resp.headers.get("Content-Type", "")).split(";")[0].strip().lower()


def _timeout(value: TimeoutArg) -> urllib3.Timeout:
    if value is None:
        value = DEFAULT_TIMEOUT
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        connect, read = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        connect = read = value
    else:
        raise TypeError(f"timeout must be seconds, a (connect, read) pair or a urllib3.Timeout, got {value!r}")
    for name, v in (("connect", connect), ("read", read)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
            raise ValueError(f"the {name} timeout must be a number of seconds > 0, got {v!r}")
    return urllib3.Timeout(connect=float(connect), read=float(read))


def _positive(value: Any, name: str, error: Callable[[str], Exception]) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise error(f"{name} must be an integer ≥ 1, got {value!r}")
    return int(value)


def _key(video_path: Any) -> str:
    try:
        key = os.fspath(video_path)
    except TypeError:
        raise InvalidArgument(f"video_path must be a string, got {type(video_path).__name__}") from None
    if not isinstance(key, str):
        raise InvalidArgument(f"video_path must be a string, got {type(key).__name__}")
    if not key:
        raise InvalidArgument("video_path is empty")
    return key


def _index(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InvalidArgument(f"{name} must be an integer ≥ 0, got {value!r}")
    n = int(value)
    if n < 0:
        raise InvalidArgument(f"{name} must be an integer ≥ 0, got {n}")
    return n


def _indices(indices: Any) -> List[int]:
    if isinstance(indices, (str, bytes)):
        raise InvalidArgument(f"indices must be integers ≥ 0, got {indices!r}")
    if isinstance(indices, np.ndarray):
        if indices.ndim != 1 or not (np.issubdtype(indices.dtype, np.integer) and indices.dtype != np.bool_):
            raise InvalidArgument(f"indices must be a 1-D integer array, got {indices.dtype} of shape {indices.shape}")
        if indices.size and indices.min() < 0:
            raise InvalidArgument(f"indices must be ≥ 0, got {int(indices.min())}")
        wanted = [int(n) for n in indices]
    else:
        try:
            items = list(indices)
        except TypeError:
            raise InvalidArgument(f"indices must be an iterable of integers ≥ 0, got {indices!r}") from None
        wanted = [_index(n, f"indices[{i}]") for i, n in enumerate(items)]
    if not wanted:
        raise InvalidArgument("indices is empty: ask for at least one frame")
    return wanted


def _add_width(params: Dict[str, Any], width: Any) -> None:
    if width is None:
        return
    if isinstance(width, (bool, np.bool_)) or not isinstance(width, numbers.Integral) or width < 1:
        raise InvalidArgument(f"width must be an integer ≥ 1, got {width!r}")
    params["width"] = int(width)
