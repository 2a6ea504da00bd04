"""Exact decoded video frames by frame number from a seekframe sidecar, as NumPy arrays.

Example:
    >>> from seekframe import Client
    >>> client = Client("http://localhost:8000")
    >>> frame = client.get_frame("sample.mp4", 77)  # np.ndarray (240, 320, 3) uint8
"""

from ._client import DEFAULT_TIMEOUT, Client, RetryPolicy
from ._dataset import FrameDataset
from ._errors import (
    Busy,
    Changed,
    ConnectionFailed,
    Corrupt,
    InvalidArgument,
    NotFound,
    OutOfRange,
    SeekframeError,
    ServerError,
    StorageError,
    Timeout,
    Unauthorized,
    UnexpectedResponse,
    Unsupported,
)
from ._remote import ObjectReader, RemoteFile

__version__ = "0.1.0"

__all__ = [
    "Client",
    "RetryPolicy",
    "DEFAULT_TIMEOUT",
    "FrameDataset",
    "RemoteFile",
    "ObjectReader",
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
