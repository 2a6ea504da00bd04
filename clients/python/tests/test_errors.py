"""Each exception class, from a real sidecar's response (or a real socket, for the transport errors)."""

from __future__ import annotations

import http.server
import pickle
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Iterator, Tuple

import numpy as np
import pytest

import seekframe
from seekframe import (
    Busy,
    Changed,
    Client,
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

MP4 = "h264_bframes_faststart.mp4"


def test_missing_key_is_not_found(client: Client) -> None:
    for call in (
        lambda: client.get_frame("no/such.mp4", 1),
        lambda: client.info("no/such.mp4"),
        lambda: client.get_frames("no/such.mp4", [1, 2]),
    ):
        with pytest.raises(NotFound) as caught:
            call()
        err = caught.value
        assert (err.status, err.code) == (404, "not_found")
        assert "no/such.mp4" in err.message
        assert not isinstance(err, OutOfRange)


def test_index_past_the_end_is_out_of_range_with_the_range(client: Client) -> None:
    with pytest.raises(OutOfRange) as caught:
        client.get_frame(MP4, 72)
    err = caught.value
    assert (err.status, err.code) == (404, "out_of_range")
    assert "72 frames (0–71)" in err.message
    with pytest.raises(OutOfRange, match="0–71"):
        client.get_frames(MP4, [0, 1000])
    with pytest.raises(OutOfRange, match=r"video lasts 3 s"):
        client.get_frame_at(MP4, 3.0)


def test_garbage_is_unsupported(client: Client) -> None:
    with pytest.raises(Unsupported) as caught:
        client.get_frame("garbage.mp4", 0)
    assert (caught.value.status, caught.value.code) == (415, "unsupported")
    assert "garbage.mp4" in caught.value.message
    with pytest.raises(Unsupported, match="no video stream"):
        client.info("audio_only.m4a")
    with pytest.raises(Unsupported, match="codec"):
        client.get_frame("mjpeg.mp4", 0)


def test_truncated_file_is_corrupt(client: Client) -> None:
    with pytest.raises(Corrupt) as caught:
        client.get_frame("truncated.mp4", 70)
    assert (caught.value.status, caught.value.code) == (422, "corrupt")
    assert "truncated" in caught.value.message


def test_verify_reports_what_is_refused(client: Client) -> None:
    clean = client.verify(MP4)
    assert clean["frameCount"] == clean["servedFrames"] == 72
    assert clean["damagedPackets"] == 0 and "firstRefused" not in clean
    cut = client.verify("truncated.mp4")
    assert 0 < cut["firstRefused"] == cut["servedFrames"] < cut["frameCount"]
    assert "past the end" in cut["reason"]
    client.get_frame("truncated.mp4", cut["firstRefused"] - 1)
    with pytest.raises(Corrupt):
        client.get_frame("truncated.mp4", cut["firstRefused"])
    with pytest.raises(Unsupported):
        client.verify("garbage.mp4")


def test_storage_failure(client: Client) -> None:
    # The folder source cannot stat a name longer than the file system allows.
    with pytest.raises(StorageError) as caught:
        client.info("x" * 300 + ".mp4")
    assert (caught.value.status, caught.value.code) == (502, "storage")


def test_sidecar_refuses_an_argument(client: Client) -> None:
    with pytest.raises(InvalidArgument) as caught:
        client.get_frame(MP4, 1, width=1000)
    assert caught.value.status == 400 and "320" in caught.value.message
    with pytest.raises(InvalidArgument, match=r"\.\."):
        client.info("../etc/passwd")


def test_token(token_url: str, token: str) -> None:
    for wrong in (Client(token_url), Client(token_url, token=token + "x")):
        with pytest.raises(Unauthorized) as caught:
            wrong.get_frame(MP4, 1)
        assert (caught.value.status, caught.value.code) == (401, "unauthorized")
        with pytest.raises(Unauthorized):
            wrong.info(MP4)
        assert token not in str(caught.value)
    with Client(token_url, token=token) as right:
        assert right.get_frame(MP4, 1).shape == (240, 320, 3)
        assert right.info(MP4)["frameCount"] == 72


def test_sidecar_deadline_is_timeout(deadline_url: str, fixtures: Path) -> None:
    # A video the sidecar has not indexed yet cannot be served within its 1 ms deadline.
    name = f"deadline-{uuid.uuid4().hex}.mp4"
    shutil.copyfile(fixtures / MP4, fixtures / name)
    try:
        with pytest.raises(Timeout) as caught:
            Client(deadline_url).get_frame(name, 40)
        assert (caught.value.status, caught.value.code) == (504, "timeout")
        assert "1 ms" in caught.value.message
    finally:
        (fixtures / name).unlink()


@pytest.fixture
def silent_server() -> Iterator[Tuple[str, list]]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    accepted: list = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    sock.close()


def test_client_read_timeout(silent_server: Tuple[str, list]) -> None:
    base, accepted = silent_server
    client = Client(base, timeout=(2.0, 0.3))
    started = time.monotonic()
    with pytest.raises(Timeout) as caught:
        client.get_frame(MP4, 1)
    elapsed = time.monotonic() - started
    assert caught.value.status is None and caught.value.code == "timeout"
    assert "0.3 s" in caught.value.message
    # A read timeout is not retried: the sidecar may still be working on it.
    assert 0.25 <= elapsed < 1.0
    assert len(accepted) == 1


def test_connection_refused_is_retried_then_connection_failed(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    client = Client(f"http://127.0.0.1:{port}", retries=seekframe.RetryPolicy(retries=3, backoff=0.05))
    with caplog.at_level("INFO", logger="seekframe"):
        started = time.monotonic()
        with pytest.raises(ConnectionFailed) as caught:
            client.info(MP4)
    assert caught.value.status is None
    assert "gave up after 4 tries" in caught.value.message
    assert len([r for r in caplog.records if "retrying" in r.getMessage()]) == 3
    assert time.monotonic() - started >= 0.05 * (1 + 2 + 4) * 0.75


def test_connect_timeout_is_retried_then_connection_failed() -> None:
    # A listening socket whose accept queue is full: Linux drops further SYNs, so connecting hangs.
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        queued = []
        for _ in range(3):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            queued.append(s)
        time.sleep(0.1)
        client = Client(f"http://127.0.0.1:{port}", timeout=(0.3, 5), retries=seekframe.RetryPolicy(retries=1))
        started = time.monotonic()
        with pytest.raises(ConnectionFailed, match="timed out") as caught:
            client.info(MP4)
        elapsed = time.monotonic() - started
        for s in queued:
            s.close()
    assert "gave up after 2 tries" in caught.value.message
    assert 0.6 <= elapsed < 2.5


class _Proxy:
    """A TCP proxy to the sidecar that drops the first ``drop`` connections without a word."""

    def __init__(self, target: str, drop: int) -> None:
        host, port = target.split("//")[1].split(":")
        self.target = (host, int(port))
        self.drop = drop
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.connections <= self.drop:
                conn.recv(65536)  # the request arrives, then the connection is cut
                conn.close()
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


def test_a_dropped_connection_is_retried(url: str) -> None:
    proxy = _Proxy(url, drop=2)
    try:
        client = Client(proxy.url, retries=seekframe.RetryPolicy(retries=3, backoff=0.05))
        frame = client.get_frame(MP4, 12)
        assert np.array_equal(frame, Client(url).get_frame(MP4, 12))
        assert proxy.connections == 3
        hopeless = _Proxy(url, drop=5)
        with pytest.raises(ConnectionFailed, match="connection broke"):
            Client(hopeless.url, retries=0).get_frame(MP4, 12)
        hopeless.close()
    finally:
        proxy.close()


class _NotTheSidecar(http.server.BaseHTTPRequestHandler):
    """What a misconfigured proxy might answer."""

    def do_GET(self) -> None:  # noqa: N802
        routes = {
            "/v1/frame": (404, "text/html", b"<html><body>404 Not Found</body></html>"),
            "/v1/frames": (200, "text/html", b"<html>hello</html>"),
            "/v1/info": (502, "text/plain", b"Bad Gateway"),
            "/teapot/v1/frame": (418, "application/json", b'{"error": "short and stout", "code": "teapot"}'),
            "/npy/v1/frame": (200, "application/x-npy", b"\x93NUMPY garbage"),
        }
        status, ctype, body = routes.get(self.path.split("?")[0], (500, "text/plain", b"?"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_responses_not_from_the_sidecar_are_unexpected() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotTheSidecar)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        client = Client(base)
        with pytest.raises(UnexpectedResponse) as caught:
            client.get_frame(MP4, 1)  # a 404 HTML page: never handed to np.load
        assert caught.value.status == 404 and "404 Not Found" in caught.value.message
        with pytest.raises(UnexpectedResponse, match="not NPY"):
            client.get_frames(MP4, [1])
        with pytest.raises(UnexpectedResponse, match="Bad Gateway"):
            client.info(MP4)
        with pytest.raises(UnexpectedResponse) as caught:
            Client(base + "/teapot").get_frame(MP4, 1)
        assert (caught.value.status, caught.value.code, caught.value.message) == (418, "teapot", "short and stout")
        with pytest.raises(UnexpectedResponse, match="malformed NPY"):
            Client(base + "/npy").get_frame(MP4, 1)
    finally:
        server.shutdown()
        server.server_close()


def test_the_classes() -> None:
    classes = [
        InvalidArgument,
        Unauthorized,
        NotFound,
        OutOfRange,
        Changed,
        Unsupported,
        Corrupt,
        StorageError,
        Busy,
        Timeout,
        ServerError,
        ConnectionFailed,
        UnexpectedResponse,
    ]
    assert all(issubclass(cls, SeekframeError) for cls in classes)
    assert len({cls.default_code for cls in classes}) == len(classes)
    assert issubclass(InvalidArgument, ValueError)


def test_errors_pickle(client: Client) -> None:
    # DataLoader workers send their exceptions to the main process pickled.
    with pytest.raises(OutOfRange) as caught:
        client.get_frame(MP4, 500)
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is OutOfRange
    assert (back.message, back.code, back.status) == (caught.value.message, "out_of_range", 404)
    busy = pickle.loads(pickle.dumps(Busy("later", status=503, retry_after=2.0)))
    assert (busy.retry_after, busy.status, str(busy)) == (2.0, 503, "later (HTTP 503 busy)")
