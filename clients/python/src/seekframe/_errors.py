"""Exceptions raised by the client, one class per error code of the sidecar."""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "SeekframeError",
    "InvalidArgument",
    "Unauthorized",
    "NotFound",
    "OutOfRange",
    "Changed",
    "Unsupported",
    "Corrupt",
    "StorageError",
    "Busy",
    "Timeout",
    "ServerError",
    "ConnectionFailed",
    "UnexpectedResponse",
]


class SeekframeError(Exception):
    """Base class of every error this package raises on purpose.

    Attributes:
        message: what went wrong, as the sidecar (or the client) said it.
        code: the stable machine-readable code, e.g. ``"out_of_range"``.
        status: the HTTP status of the response, or ``None`` when there was none
            (arguments refused before any request, connection failures, client-side timeouts).

    Example:
        >>> try:
        ...     client.get_frame("clip.mp4", 10_000)
        ... except seekframe.OutOfRange as err:
        ...     print(err.status, err.code, err.message)
        404 out_of_range frame 10000 is out of range: video has 72 frames (0–71)
    """

    #: The code this class stands for; instances carry the one the server sent.
    default_code = "error"

    def __init__(self, message: str, *, code: Optional[str] = None, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        self.status = status

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status is not None else ""
        return f"{self.message} ({where}{self.code})"

    def __reduce__(self) -> Any:
        # Keyword-only arguments are not kept by the default pickling; DataLoader workers
        # send exceptions to the main process pickled.
        return (_rebuild, (type(self), self.message, self.code, self.status, dict(self.__dict__)))


def _rebuild(
    cls: Type[SeekframeError], message: str, code: str, status: Optional[int], state: Dict[str, Any]
) -> SeekframeError:
    err = cls.__new__(cls)
    SeekframeError.__init__(err, message, code=code, status=status)
    err.__dict__.update(state)
    return err


class InvalidArgument(SeekframeError, ValueError):
    """A parameter was refused: by the client before any request, or by the sidecar (HTTP 400).

    Also a :class:`ValueError`, so ``except ValueError`` catches it.
    """

    default_code = "invalid_argument"


class Unauthorized(SeekframeError):
    """The sidecar wants ``Authorization: Bearer <token>`` and the token was missing or wrong (HTTP 401)."""

    default_code = "unauthorized"


class NotFound(SeekframeError):
    """No such object (video) in the sidecar's bucket or folder (HTTP 404 ``not_found``)."""

    default_code = "not_found"


class OutOfRange(SeekframeError):
    """The frame index or time is outside the video (HTTP 404 ``out_of_range``); the message gives the range."""

    default_code = "out_of_range"


class Changed(SeekframeError):
    """The object was replaced while it was being read (HTTP 409, or a new ETag during :meth:`Client.open`)."""

    default_code = "changed"


class Unsupported(SeekframeError):
    """Not a video container or codec the sidecar decodes (HTTP 415); the message names it."""

    default_code = "unsupported"


class Corrupt(SeekframeError):
    """The media is damaged or truncated (HTTP 422)."""

    default_code = "corrupt"


class StorageError(SeekframeError):
    """The sidecar could not read from its storage (HTTP 502): unreachable, denied, retries exhausted."""

    default_code = "storage"


class Busy(SeekframeError):
    """The sidecar had too many requests in progress (HTTP 503) and retrying did not help in time.

    Attributes:
        retry_after: seconds the sidecar asked to wait (``Retry-After``), or ``None``.
    """

    default_code = "busy"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        status: Optional[int] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after


class Timeout(SeekframeError):
    """A deadline passed: the sidecar's (HTTP 504) or the client's read timeout (``status`` is then ``None``)."""

    default_code = "timeout"


class ServerError(SeekframeError):
    """The sidecar failed unexpectedly (HTTP 500 ``internal``)."""

    default_code = "internal"


class ConnectionFailed(SeekframeError):
    """The sidecar could not be reached (refused, reset, DNS, connect timeout), retries included."""

    default_code = "connection"


class UnexpectedResponse(SeekframeError):
    """A response that is not what the sidecar sends: an unknown error code, a body that is not the
    sidecar's JSON error (e.g. a proxy's HTML page), or a success with the wrong content type or shape."""

    default_code = "unexpected_response"


_BY_CODE: Mapping[str, Type[SeekframeError]] = {
    "invalid_argument": InvalidArgument,
    "unauthorized": Unauthorized,
    "not_found": NotFound,
    "out_of_range": OutOfRange,
    "changed": Changed,
    "unsupported": Unsupported,
    "corrupt": Corrupt,
    "storage": StorageError,
    "busy": Busy,
    "closed": Busy,  # the sidecar is shutting down: like busy, another try may reach a new one
    "timeout": Timeout,
    "internal": ServerError,
}

# For bodiless responses (HEAD): the status alone.
_BY_STATUS: Mapping[int, Type[SeekframeError]] = {
    400: InvalidArgument,
    401: Unauthorized,
    404: NotFound,
    409: Changed,
    412: Changed,
    415: Unsupported,
    422: Corrupt,
    500: ServerError,
    502: StorageError,
    503: Busy,
    504: Timeout,
}

_SNIPPET = 200


def error_from_response(
    status: int,
    content_type: str,
    body: bytes,
    *,
    retry_after: Optional[float] = None,
    what: str = "",
) -> SeekframeError:
    """The exception for an error response: its JSON ``code`` picks the class, else a fallback."""
    parsed: Any = None
    if body and content_type.split(";")[0].strip().lower() == "application/json":
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            parsed = None
    prefix = f"{what}: " if what else ""
    if isinstance(parsed, dict) and isinstance(parsed.get("code"), str) and isinstance(parsed.get("error"), str):
        code, message = parsed["code"], parsed["error"]
        cls = _BY_CODE.get(code, UnexpectedResponse)
    elif not body:
        cls = _BY_STATUS.get(status, UnexpectedResponse)
        code, message = cls.default_code, f"{prefix}HTTP {status} with no body"
    else:
        snippet = body[:_SNIPPET].decode("utf-8", "replace").strip()
        return UnexpectedResponse(
            f"{prefix}HTTP {status} that is not from the seekframe sidecar ({content_type or 'no content type'}): "
            f"{snippet!r}",
            status=status,
        )
    if cls is Busy:
        return Busy(message, code=code, status=status, retry_after=retry_after)
    return cls(message, code=code, status=status)
