"""Fixtures of the client's tests, which run against real sidecars (no server is faked).

Environment (``test/python_test.ts`` sets it all; by hand, start the sidecars yourself):

- ``SEEKFRAME_URL``: a sidecar serving ``SEEKFRAME_FIXTURES`` (``SEEKFRAME_DIR``), default settings, no token.
- ``SEEKFRAME_FIXTURES``: that folder, made by ``test/fixtures/make.sh``; tests may add files to it.
- ``SEEKFRAME_TOKEN_URL`` and ``SEEKFRAME_TOKEN``: a sidecar of the same folder started with
  ``SEEKFRAME_TOKEN``, ``SEEKFRAME_MAX_BATCH=5`` and ``SEEKFRAME_MAX_INFLIGHT=1``.
- ``SEEKFRAME_DEADLINE_URL``: one started with ``SEEKFRAME_DEADLINE_MS=1`` (every frame times out).

Tests whose sidecar is not given are skipped. Tests marked ``object_endpoint`` need ``/v1/object``;
they are skipped when the sidecar does not have that route.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
import urllib3

from seekframe import Client


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set")
    return value


@pytest.fixture(scope="session")
def url() -> str:
    return _env("SEEKFRAME_URL")


@pytest.fixture(scope="session")
def fixtures() -> Path:
    path = Path(_env("SEEKFRAME_FIXTURES"))
    assert (path / "h264_bframes_faststart.mp4").is_file(), f"no fixtures in {path}: run test/fixtures/make.sh"
    return path


@pytest.fixture(scope="session")
def token_url() -> str:
    return _env("SEEKFRAME_TOKEN_URL")


@pytest.fixture(scope="session")
def token() -> str:
    return _env("SEEKFRAME_TOKEN")


@pytest.fixture(scope="session")
def deadline_url() -> str:
    return _env("SEEKFRAME_DEADLINE_URL")


@pytest.fixture
def client(url: str) -> Iterator[Client]:
    with Client(url) as c:
        yield c


_object_route: dict = {}


def _has_object_route(base: str) -> bool:
    if base not in _object_route:
        resp = urllib3.PoolManager().request(
            "GET",
            f"{base}/v1/object?key=h264_bframes_faststart.mp4",
            headers={"Range": "bytes=0-0"},
            retries=False,
            timeout=10,
        )
        _object_route[base] = resp.status == 206
    return _object_route[base]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("object_endpoint") is None:
        return
    base = os.environ.get("SEEKFRAME_URL")
    if base and not _has_object_route(base):
        pytest.skip("the sidecar has no /v1/object route yet")
