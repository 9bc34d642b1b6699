"""Hostile callbacks: whatever a stranger POSTs, the webhooks module answers with an SDK error.

``verify`` refuses what it cannot verify with ``WebhookVerificationError``; ``parse`` (and
``unwrap``, once a body verified) refuses what is not a task with ``InvalidParameterError``.
Never an ``OverflowError``, ``RecursionError``, ``UnicodeEncodeError`` or ``AttributeError``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from kling import webhooks
from kling._errors import InvalidParameterError
from kling.webhooks import WebhookVerificationError
from tests.test_webhooks import MSG_ID, SECRET, SECRET_B64, TIMESTAMP

# A float clock, as time.time() returns: float arithmetic is what overflowed on huge timestamps.
NOW = TIMESTAMP + 5.0
TASK = b'{"task_id":"1"}'


def signed(body: bytes, *, timestamp: str = str(TIMESTAMP), msg_id: str = MSG_ID) -> dict[str, str]:
    """Headers carrying a valid v1 signature over any timestamp text, computed independently."""
    key = base64.b64decode(SECRET_B64)
    content = f"{msg_id}.{timestamp}.".encode("utf-8", "surrogatepass") + body
    digest = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": f"v1,{digest}",
    }


# -- timestamps -----------------------------------------------------------------------------------

ABSURD_TIMESTAMPS = [
    "1" + "0" * 400,
    "-" + "9" * 400,
    "9" * 5000,
    "-5",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "1781080794.0",
    "\u0661\u0667\u0668\u0661\u0660\u0668\u0660\u0667\u0669\u0664",  # Arabic-Indic digits
    "+1781080794",
    "1_781_080_794",
    "0" * 20 + str(TIMESTAMP),
]


@pytest.mark.parametrize("value", ABSURD_TIMESTAMPS, ids=lambda value: value[:16])
def test_absurd_timestamp_is_a_verification_error(value: str) -> None:
    # Validly signed over the absurd text, so only the timestamp check can refuse it.
    with pytest.raises(WebhookVerificationError, match="invalid webhook-timestamp header"):
        webhooks.verify(TASK, signed(TASK, timestamp=value), SECRET, now=NOW)


def test_absurd_timestamp_is_refused_before_the_signature_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def hashed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the signature was computed")

    headers = signed(TASK, timestamp="1" + "0" * 400)
    monkeypatch.setattr(hmac, "new", hashed)
    with pytest.raises(WebhookVerificationError, match="invalid webhook-timestamp header"):
        webhooks.verify(TASK, headers, SECRET, now=NOW)


def test_absurd_timestamp_message_is_short() -> None:
    headers = signed(TASK, timestamp="1" + "0" * 400)
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(TASK, headers, SECRET, now=int(NOW))  # an int clock never overflowed
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("now", [float("nan"), float("inf"), -float("inf"), 10**400])
def test_non_finite_now_is_a_parameter_error(now: float) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, signed(TASK), SECRET, now=now)
    assert info.value.field == "now"


@pytest.mark.parametrize("tolerance", ["300", None, [300]])
def test_tolerance_that_is_not_a_number_is_a_parameter_error(tolerance: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, signed(TASK), SECRET, tolerance=tolerance, now=NOW)
    assert info.value.field == "tolerance"


def test_infinite_tolerance_still_verifies_the_signature() -> None:
    webhooks.verify(TASK, signed(TASK), SECRET, tolerance=float("inf"), now=NOW * 1000)
    with pytest.raises(WebhookVerificationError, match="no signature matched"):
        webhooks.verify(TASK + b" ", signed(TASK), SECRET, tolerance=float("inf"), now=NOW)


# -- argument types and encodings -----------------------------------------------------------------


def test_webhook_id_with_lone_surrogates_is_a_verification_error() -> None:
    headers = signed(TASK, msg_id="\udcff")
    with pytest.raises(WebhookVerificationError, match="invalid webhook-id header"):
        webhooks.verify(TASK, headers, SECRET, now=NOW)


@pytest.mark.parametrize("headers", [None, "webhook-id: 1", 42], ids=repr)
def test_headers_that_are_not_a_mapping_are_a_parameter_error(headers: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, headers, SECRET, now=NOW)
    assert info.value.field == "headers"


def test_long_signature_header_gives_a_short_message() -> None:
    headers = signed(TASK)
    headers["webhook-signature"] = " ".join(f"v{n},x" for n in range(2, 10_000))
    with pytest.raises(WebhookVerificationError, match="no v1 entry") as info:
        webhooks.verify(TASK, headers, SECRET, now=NOW)
    assert len(str(info.value)) < 300
