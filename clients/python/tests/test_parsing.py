"""The few pure helpers whose inputs a test sidecar cannot easily produce."""

from __future__ import annotations

import email.utils
import time

from seekframe import Client, InvalidArgument
from seekframe._client import _retry_after


def test_the_pixel_limit_of_a_batch_sets_the_request_size() -> None:
    # The sidecar's default limit is 100,000,000 pixels a response: 64 frames of 1920×1080 are refused
    # (a fixture that large would make a 300 MB response, so the message is made here).
    client = Client("http://127.0.0.1:9")
    refused = InvalidArgument("the response would hold 132710400 pixels; the limit is 100000000", status=400)
    assert client._smaller_batch(refused, 64) == 48
    assert client.max_batch == 64  # depends on the video's size: not kept
    too_big = InvalidArgument("the response would hold 300000000 pixels; the limit is 100000000", status=400)
    assert client._smaller_batch(too_big, 1) is None


def test_other_refusals_are_not_retried_smaller() -> None:
    client = Client("http://127.0.0.1:9")
    assert client._smaller_batch(InvalidArgument("width must be an integer", status=400), 10) is None
    assert client._smaller_batch(InvalidArgument("at most 64 frames per request, got 10", status=400), 10) is None
    assert client._smaller_batch(InvalidArgument("at most 5 frames per request, got 10"), 10) is None  # not a response


def test_retry_after_forms() -> None:
    assert _retry_after("1") == 1.0
    assert _retry_after(" 7 ") == 7.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    later = _retry_after(email.utils.formatdate(time.time() + 30, usegmt=True))
    assert later is not None and 28 <= later <= 31
    assert _retry_after(email.utils.formatdate(time.time() - 30, usegmt=True)) == 0.0
