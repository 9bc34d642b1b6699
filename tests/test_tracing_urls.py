"""What ``url.full`` says of a request: never a credential (``kling._otel``).

The conventions ask for user information and signature-like query values to be replaced by
``REDACTED`` (https://opentelemetry.io/docs/specs/semconv/http/http-spans/); a download's URL
loses every query value, since a signed result URL is a credential until it expires.
"""

from __future__ import annotations

import httpx
import pytest

from kling._otel import _full_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://api.kling.test/tasks?task_ids=1,2",
            "https://api.kling.test/tasks?task_ids=1,2",
        ),
        (
            "https://user:pw@api.kling.test/v1/videos/text2video",
            "https://REDACTED:REDACTED@api.kling.test/v1/videos/text2video",
        ),
        (
            "https://api.kling.test/tasks?task_ids=1&access_token=t0k&Signature=s1g&sig=s",
            "https://api.kling.test/tasks?task_ids=1&access_token=REDACTED&Signature=REDACTED"
            "&sig=REDACTED",
        ),
    ],
)
def test_a_request_url_keeps_its_ids_and_loses_its_credentials(url: str, shown: str) -> None:
    assert _full_url(httpx.URL(url), every_query=False) == shown


def test_a_download_url_loses_every_query_value() -> None:
    url = httpx.URL("https://cdn.kling.test/a.mp4?x-kcdn-pid=1&Expires=2&OSSAccessKeyId=3")
    assert _full_url(url, every_query=True) == (
        "https://cdn.kling.test/a.mp4?x-kcdn-pid=REDACTED&Expires=REDACTED&OSSAccessKeyId=REDACTED"
    )
