"""Callback verification (Standard Webhooks signatures) and parsing of every callback shape."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
from datetime import timezone
from typing import Any

import pytest

from kling import TaskBase, V2TaskBase, webhooks
from kling._errors import InvalidParameterError, KlingError
from kling.webhooks import WebhookVerificationError

# Kling's official test vector, from its callback protocol page:
# https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-callbacks.md
SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="
SECRET_B64 = SECRET.removeprefix("whsec_")
MSG_ID = "9876543210"
TIMESTAMP = 1781080794
BODY = (
    b'{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,'
    b'"update_time":1781080794151}'
)
SIGNATURE = "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4="
NOW = TIMESTAMP + 5

OTHER_SECRET = "whsec_" + base64.b64encode(b"another-secret-another-secret!!").decode()


def vector_headers(**overrides: str) -> dict[str, str]:
    headers = {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": SIGNATURE,
    }
    headers.update({name.replace("_", "-"): value for name, value in overrides.items()})
    return headers


def sign(body: bytes, *, secret: str = SECRET, msg_id: str = MSG_ID, timestamp: int) -> str:
    """A ``v1,<base64>`` entry computed independently of the module under test."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def signed_headers(body: bytes, timestamp: int, *, secret: str = SECRET) -> dict[str, str]:
    return {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(body, secret=secret, timestamp=timestamp),
    }


# -- verify: success ------------------------------------------------------------------------------


def test_official_test_vector_verifies() -> None:
    webhooks.verify(BODY, vector_headers(), SECRET, now=NOW)  # returns None, raises on failure


def test_helper_signature_matches_official_vector() -> None:
    assert sign(BODY, timestamp=TIMESTAMP) == SIGNATURE


def test_header_names_are_case_insensitive() -> None:
    headers = {
        "Webhook-Id": MSG_ID,
        "WEBHOOK-TIMESTAMP": str(TIMESTAMP),
        "Webhook-Signature": SIGNATURE,
    }
    webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_str_body_is_verified_as_utf8() -> None:
    webhooks.verify(BODY.decode(), vector_headers(), SECRET, now=NOW)


def test_non_ascii_body_is_signed_over_its_raw_bytes() -> None:
    body = '{"task_id":"1","task_status_msg":"内容审核未通过"}'.encode()
    headers = signed_headers(body, TIMESTAMP)
    webhooks.verify(body, headers, SECRET, now=NOW)
    webhooks.verify(body.decode(), headers, SECRET, now=NOW)


def test_secret_without_whsec_prefix_works() -> None:
    webhooks.verify(BODY, vector_headers(), SECRET_B64, now=NOW)


def test_secret_with_surrounding_whitespace_works() -> None:
    webhooks.verify(BODY, vector_headers(), f"  {SECRET}\n", now=NOW)


def test_second_of_several_signatures_matching_passes() -> None:
    stale = sign(BODY, secret=OTHER_SECRET, timestamp=TIMESTAMP)
    headers = vector_headers(webhook_signature=f"{stale} {SIGNATURE}")
    webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_other_signature_versions_are_ignored() -> None:
    # A v2 entry carrying the right bytes must not count; only the v1 entry does.
    v2 = SIGNATURE.replace("v1,", "v2,")
    webhooks.verify(
        BODY, vector_headers(webhook_signature=f"v2,garbage {SIGNATURE}"), SECRET, now=NOW
    )
    with pytest.raises(WebhookVerificationError, match="no v1 entry"):
        webhooks.verify(BODY, vector_headers(webhook_signature=v2), SECRET, now=NOW)


def test_repeated_signature_headers_are_all_considered() -> None:
    from starlette.datastructures import Headers

    stale = sign(BODY, secret=OTHER_SECRET, timestamp=TIMESTAMP)
    headers = Headers(
        raw=[
            (b"webhook-id", MSG_ID.encode()),
            (b"webhook-timestamp", str(TIMESTAMP).encode()),
            (b"webhook-signature", stale.encode()),
            (b"webhook-signature", SIGNATURE.encode()),
        ]
    )
    webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_timestamp_exactly_at_tolerance_passes() -> None:
    webhooks.verify(BODY, vector_headers(), SECRET, now=TIMESTAMP + 300)
    webhooks.verify(BODY, vector_headers(), SECRET, now=TIMESTAMP - 300)


def test_now_defaults_to_the_current_time() -> None:
    timestamp = int(time.time())
    body = b'{"task_id":"1"}'
    webhooks.verify(body, signed_headers(body, timestamp), SECRET)


def test_custom_tolerance_widens_the_window() -> None:
    webhooks.verify(BODY, vector_headers(), SECRET, now=TIMESTAMP + 3600, tolerance=3600)


# -- verify: failures -----------------------------------------------------------------------------


def test_tampered_body_is_rejected() -> None:
    tampered = BODY.replace(b"succeeded", b"failed")
    with pytest.raises(WebhookVerificationError, match="no signature matched"):
        webhooks.verify(tampered, vector_headers(), SECRET, now=NOW)


def test_reserialized_json_body_is_rejected() -> None:
    reserialized = json.dumps(json.loads(BODY)).encode()  # adds spaces after ':' and ','
    with pytest.raises(WebhookVerificationError, match="raw request body"):
        webhooks.verify(reserialized, vector_headers(), SECRET, now=NOW)


def test_wrong_secret_is_rejected_with_a_hint() -> None:
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(BODY, vector_headers(), OTHER_SECRET, now=NOW)
    message = str(info.value)
    assert "no signature matched" in message
    assert "check the webhook secret (whsec_...) from the Kling console" in message


def test_tampered_webhook_id_is_rejected() -> None:
    with pytest.raises(WebhookVerificationError, match="no signature matched"):
        webhooks.verify(BODY, vector_headers(webhook_id="9876543211"), SECRET, now=NOW)


def test_timestamp_too_old_is_rejected() -> None:
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(BODY, vector_headers(), SECRET, now=TIMESTAMP + 3600)
    message = str(info.value)
    assert f"timestamp {TIMESTAMP} is 3600s away from now (in the past)" in message
    assert "allowed 300s" in message
    assert "check the server clock or replayed request" in message


def test_timestamp_too_far_in_the_future_is_rejected() -> None:
    with pytest.raises(WebhookVerificationError, match=r"301s away from now \(in the future\)"):
        webhooks.verify(BODY, vector_headers(), SECRET, now=TIMESTAMP - 301)


def test_stale_timestamp_is_rejected_even_with_a_valid_signature() -> None:
    body = b'{"task_id":"1"}'
    old = TIMESTAMP - 301
    with pytest.raises(WebhookVerificationError, match="away from now"):
        webhooks.verify(body, signed_headers(body, old), SECRET, now=TIMESTAMP)


def test_millisecond_timestamp_gets_a_hint() -> None:
    headers = vector_headers(webhook_timestamp=str(TIMESTAMP * 1000))
    with pytest.raises(WebhookVerificationError, match="looks like milliseconds"):
        webhooks.verify(BODY, headers, SECRET, now=NOW)


@pytest.mark.parametrize("value", ["soon", "1781080794.5", "0x10"])
def test_non_integer_timestamp_is_rejected(value: str) -> None:
    with pytest.raises(WebhookVerificationError, match="invalid webhook-timestamp header"):
        webhooks.verify(BODY, vector_headers(webhook_timestamp=value), SECRET, now=NOW)


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_named(name: str) -> None:
    headers = vector_headers()
    del headers[name]
    with pytest.raises(WebhookVerificationError, match=f"missing {name} header"):
        webhooks.verify(BODY, headers, SECRET, now=NOW)


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_empty_header_counts_as_missing(name: str) -> None:
    headers = vector_headers()
    headers[name] = " "
    with pytest.raises(WebhookVerificationError, match=f"missing {name} header"):
        webhooks.verify(BODY, headers, SECRET, now=NOW)


def test_unsigned_request_is_rejected() -> None:
    with pytest.raises(WebhookVerificationError, match="missing webhook-id header"):
        webhooks.verify(BODY, {"content-type": "application/json"}, SECRET, now=NOW)


def test_signature_header_without_entries_in_v1_form_is_rejected() -> None:
    with pytest.raises(WebhookVerificationError, match=r"no v1 entry.*versions found: garbage"):
        webhooks.verify(BODY, vector_headers(webhook_signature="garbage"), SECRET, now=NOW)


def test_verification_error_is_a_kling_error() -> None:
    assert issubclass(WebhookVerificationError, KlingError)
    assert not issubclass(WebhookVerificationError, ValueError)


@pytest.mark.parametrize(
    "secret",
    ["", "   ", "whsec_", "whsec_not base64!", "whsec_dGVzdHNlY3JldA", "whsec_====="],
    ids=["empty", "blank", "prefix-only", "not-base64", "missing-padding", "only-padding"],
)
def test_malformed_secret_is_a_parameter_error(secret: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(BODY, vector_headers(), secret, now=NOW)
    assert info.value.field == "secret"
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, WebhookVerificationError)


def test_malformed_secret_is_reported_before_header_problems() -> None:
    with pytest.raises(InvalidParameterError, match="secret"):
        webhooks.verify(BODY, {}, "whsec_???", now=NOW)


@pytest.mark.parametrize("tolerance", [-1, float("nan")])
def test_invalid_tolerance_is_a_parameter_error(tolerance: float) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(BODY, vector_headers(), SECRET, tolerance=tolerance, now=NOW)
    assert info.value.field == "tolerance"


def _failures(secret: str) -> list[Exception]:
    """One exception per way verification can fail, all raised with ``secret``."""
    body = BODY.replace(b"succeeded", b"failed")
    cases: list[tuple[bytes, dict[str, str], str, float]] = [
        (body, vector_headers(), secret, NOW),
        (BODY, vector_headers(), OTHER_SECRET if secret != OTHER_SECRET else SECRET, NOW),
        (BODY, vector_headers(), secret, TIMESTAMP + 3600),
        (BODY, vector_headers(), secret, TIMESTAMP - 3600),
        (BODY, vector_headers(webhook_timestamp="soon"), secret, NOW),
        (BODY, vector_headers(webhook_signature="v2,abc"), secret, NOW),
        (BODY, {}, secret, NOW),
        (BODY, vector_headers(webhook_signature=SIGNATURE[:-2]), secret, NOW),
        (BODY, vector_headers(), secret + "!", NOW),
        (BODY, vector_headers(), secret.rstrip("="), NOW),
    ]
    errors: list[Exception] = []
    for case_body, headers, case_secret, now in cases:
        with pytest.raises((WebhookVerificationError, InvalidParameterError)) as info:
            webhooks.unwrap(case_body, headers, case_secret, now=now)
        errors.append(info.value)
    return errors


@pytest.mark.parametrize("secret", [SECRET, SECRET_B64])
def test_secret_never_appears_in_error_messages(secret: str) -> None:
    errors = _failures(secret)
    assert len(errors) == 10
    forbidden = []
    for used in (SECRET_B64, OTHER_SECRET.removeprefix("whsec_")):
        forbidden += [used, used.rstrip("="), base64.b64decode(used).decode()]
    for error in errors:
        for text in (str(error), repr(error), *map(str, error.args)):
            for secret_text in forbidden:
                assert secret_text not in text


# -- parse ----------------------------------------------------------------------------------------

LEGACY: dict[str, Any] = {
    "task_id": "867283741759111202",
    "task_status": "succeed",
    "task_status_msg": "",
    "task_info": {
        "external_task_id": "order-42",
        "parent_video": {"id": "pv-1", "url": "https://cdn.example/parent.mp4", "duration": "5"},
    },
    "task_result": {
        "videos": [{"id": "v-1", "url": "https://cdn.example/v.mp4", "duration": "5.041"}],
        "images": [{"index": 0, "url": "https://cdn.example/i.png"}],
    },
    "created_at": 1781080778802,
    "updated_at": 1781080794151,
    "final_unit_deduction": "2",
    "final_balance_deduction": {"quota": "0.7", "list_price": "1.0"},
}

NEW_STANDARD: dict[str, Any] = {
    "id": "880000000000000001",
    "status": "succeeded",
    "message": "",
    "create_time": 1781080778802,
    "update_time": 1781080794151,
    "external_id": "order-43",
    "outputs": [
        {
            "type": "video",
            "id": "v-9",
            "url": "https://cdn.example/n.mp4",
            "watermark_url": "https://cdn.example/n-wm.mp4",
            "duration": "10.0",
        },
        {"type": "image", "url": "https://cdn.example/n.png", "watermark_url": None, "group_id": 3},
        {
            "type": "audio",
            "id": "a-1",
            "mp3_url": "https://cdn.example/a.mp3",
            "wav_url": "https://cdn.example/a.wav",
            "mp3_duration": "3.2",
            "wav_duration": "3.25",
        },
        {"type": "voice", "id": "vo-1", "name": "Narrator", "url": "https://cdn.example/vo.mp3"},
        {"type": "hologram", "id": "h-1"},
    ],
    "billing": [{"charge_type": "unit", "amount": "2", "package_type": "video"}],
}


def test_parse_legacy_body() -> None:
    task = webhooks.parse(json.dumps(LEGACY).encode())
    assert isinstance(task, TaskBase)
    assert task.task_id == "867283741759111202"
    assert task.task_status == "succeed"
    assert task.is_succeeded
    assert task.is_finished
    assert task.external_task_id == "order-42"
    assert task.task_info.parent_video is not None
    assert task.task_info.parent_video.duration == 5.0
    assert task.final_unit_deduction == "2"
    assert task.videos[0].url == "https://cdn.example/v.mp4"
    assert task.videos[0].duration == 5.041
    assert isinstance(task.videos[0].duration, float)
    assert task.images[0].index == 0
    assert task.created_at is not None
    assert task.updated_at is not None
    assert task.created_at.tzinfo is not None
    assert task.created_at.utcoffset() == timezone.utc.utcoffset(None)
    assert task.created_at.timestamp() == 1781080778.802
    assert task.updated_at > task.created_at


def test_parse_keeps_unknown_fields() -> None:
    task = webhooks.parse({**LEGACY, "brand_new_field": {"x": 1}})
    extra = task.model_extra or {}
    assert extra["brand_new_field"] == {"x": 1}
    assert extra["final_balance_deduction"] == {"quota": "0.7", "list_price": "1.0"}


def test_parse_failed_legacy_body_with_empty_objects() -> None:
    body = {
        "task_id": "1",
        "task_status": "failed",
        "task_status_msg": "Image pixel is invalid",
        "task_info": {},
        "task_result": {},
    }
    task = webhooks.parse(body)
    assert task.is_failed
    assert task.task_status_msg == "Image pixel is invalid"
    assert task.videos == []
    assert task.external_task_id is None


def test_parse_in_progress_body_with_nulls() -> None:
    task = webhooks.parse(
        {"task_id": "1", "task_status": "processing", "task_result": None, "created_at": None}
    )
    assert not task.is_finished
    assert task.videos == []
    assert task.created_at is None


@pytest.mark.parametrize("kind", ["bytes", "str", "dict", "bytearray"])
def test_parse_accepts_bytes_str_and_mapping(kind: str) -> None:
    text = json.dumps(LEGACY)
    body: Any = {
        "bytes": text.encode(),
        "str": text,
        "dict": LEGACY,
        "bytearray": bytearray(text.encode()),
    }[kind]
    task = webhooks.parse(body)
    assert task.task_id == LEGACY["task_id"]
    assert task.videos[0].duration == 5.041


def test_parse_does_not_mutate_a_mapping_argument() -> None:
    body = json.loads(json.dumps(NEW_STANDARD))
    webhooks.parse(body)
    assert body == NEW_STANDARD


def test_parse_unwraps_an_envelope() -> None:
    envelope = {"code": 0, "message": "SUCCEED", "request_id": "r-1", "data": LEGACY}
    task = webhooks.parse(json.dumps(envelope))
    assert task.task_id == LEGACY["task_id"]
    assert task.external_task_id == "order-42"
    assert "request_id" not in (task.model_extra or {})


def test_parse_unwraps_an_envelope_around_a_new_standard_task() -> None:
    task = webhooks.parse({"code": 0, "message": "SUCCEED", "data": NEW_STANDARD})
    assert task.task_id == NEW_STANDARD["id"]
    assert task.is_succeeded


def test_parse_new_standard_body_maps_task_fields() -> None:
    task = webhooks.parse(json.dumps(NEW_STANDARD).encode())
    assert task.task_id == "880000000000000001"
    assert task.task_status == "succeeded"
    assert task.is_succeeded
    assert task.task_status_msg == ""
    assert task.external_task_id == "order-43"
    assert task.created_at is not None
    assert task.created_at.tzinfo is not None
    assert task.created_at.timestamp() == 1781080778.802
    assert task.updated_at is not None
    assert task.updated_at.timestamp() == 1781080794.151


def test_parse_new_standard_body_maps_outputs() -> None:
    task = webhooks.parse(NEW_STANDARD)
    [video] = task.videos
    assert (video.id, video.url, video.watermark_url) == (
        "v-9",
        "https://cdn.example/n.mp4",
        "https://cdn.example/n-wm.mp4",
    )
    assert video.duration == 10.0
    [image] = task.images
    assert image.url == "https://cdn.example/n.png"
    assert image.watermark_url is None
    assert (image.model_extra or {})["group_id"] == 3
    [audio] = task.audios
    assert audio.id == "a-1"
    assert audio.url_mp3 == "https://cdn.example/a.mp3"
    assert audio.url_wav == "https://cdn.example/a.wav"
    assert audio.duration_mp3 == 3.2
    assert audio.duration_wav == 3.25
    assert isinstance(task, V2TaskBase)
    [voice] = task.outputs_of("voice")
    assert (voice.id, voice.name, voice.url) == ("vo-1", "Narrator", "https://cdn.example/vo.mp3")
    assert task.outputs_of("element") == []


def test_parse_new_standard_body_is_a_new_standard_task_with_its_own_fields() -> None:
    task = webhooks.parse(NEW_STANDARD)
    assert isinstance(task, V2TaskBase)
    assert (task.id, task.status, task.external_id) == (
        "880000000000000001",
        "succeeded",
        "order-43",
    )
    assert [billing.amount for billing in task.billing] == ["2"]
    assert task.units_charged == 2.0
    assert [output.type for output in task.outputs] == [
        "video",
        "image",
        "audio",
        "voice",
        "hologram",  # an unknown type is kept
    ]


def test_parse_legacy_body_is_a_legacy_task() -> None:
    task = webhooks.parse(LEGACY)
    assert type(task) is TaskBase


def test_parse_official_test_vector_body() -> None:
    task = webhooks.parse(BODY)
    assert task.task_id == "1234567890"
    assert task.is_succeeded
    assert task.videos == []
    assert task.external_task_id is None


@pytest.mark.parametrize(
    ("status", "finished", "failed"),
    [("submitted", False, False), ("processing", False, False), ("failed", True, True)],
)
def test_parse_new_standard_statuses(status: str, finished: bool, failed: bool) -> None:
    task = webhooks.parse({"id": "1", "status": status, "message": "why", "outputs": []})
    assert task.task_status == status
    assert task.is_finished is finished
    assert task.is_failed is failed
    assert task.task_status_msg == "why"


def test_parse_numeric_ids_become_strings() -> None:
    assert webhooks.parse(b'{"id": 1234567890, "status": "submitted"}').task_id == "1234567890"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("null", "must be a JSON object"),
        ('{"status": "succeeded"}', "no task id"),
        ({"code": 0, "message": "SUCCEED"}, "no task id"),
        ({"code": 0, "message": "SUCCEED", "data": [LEGACY]}, "no task id"),
        ({"task_id": None}, "not a valid task"),
        ({"task_id": "1", "created_at": "yesterday"}, "not a valid task"),
    ],
    ids=[
        "html",
        "empty",
        "not-utf8",
        "array",
        "null",
        "no-id",
        "empty-envelope",
        "list-envelope",
        "null-id",
        "bad-timestamp",
    ],
)
def test_parse_rejects_garbage_with_a_clear_error(body: Any, expected: str) -> None:
    with pytest.raises(InvalidParameterError, match=expected) as info:
        webhooks.parse(body)
    assert info.value.field == "body"
    assert isinstance(info.value, ValueError)


def test_parse_error_quotes_the_start_of_a_non_json_body() -> None:
    with pytest.raises(InvalidParameterError, match="502 Bad Gateway"):
        webhooks.parse(b"<html>502 Bad Gateway</html>")


def test_parse_rejects_an_unsupported_body_type() -> None:
    with pytest.raises(InvalidParameterError, match="bytes, str or a mapping"):
        webhooks.parse(42)  # type: ignore[arg-type]


# -- unwrap ---------------------------------------------------------------------------------------


def test_unwrap_verifies_then_parses() -> None:
    task = webhooks.unwrap(BODY, vector_headers(), SECRET, now=NOW)
    assert task.task_id == "1234567890"
    assert task.is_succeeded


def test_unwrap_of_signed_legacy_body() -> None:
    body = json.dumps(LEGACY, separators=(",", ":")).encode()
    task = webhooks.unwrap(body, signed_headers(body, TIMESTAMP), SECRET, now=NOW)
    assert task.external_task_id == "order-42"


def test_unwrap_does_not_parse_an_unverified_body() -> None:
    with pytest.raises(WebhookVerificationError):
        webhooks.unwrap(b"not json", vector_headers(), SECRET, now=NOW)


def test_unwrap_passes_tolerance_through() -> None:
    with pytest.raises(WebhookVerificationError, match="allowed 1s"):
        webhooks.unwrap(BODY, vector_headers(), SECRET, now=TIMESTAMP + 2, tolerance=1)


# -- packaging ------------------------------------------------------------------------------------


def test_public_api() -> None:
    assert set(webhooks.__all__) == {
        "MAX_BODY_SIZE",
        "MAX_DEPTH",
        "WebhookVerificationError",
        "check_secret",
        "parse",
        "unwrap",
        "verify",
    }


def test_import_is_cheap_until_parse_is_called() -> None:
    code = (
        "import sys, kling.webhooks as w\n"
        "heavy = {'pydantic', 'httpx', 'anyio', 'jwt'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_check_secret_accepts_a_good_secret_and_names_the_problem_with_a_bad_one() -> None:
    webhooks.check_secret(SECRET)
    with pytest.raises(InvalidParameterError) as info:
        webhooks.check_secret("whsec_not base64!")
    assert info.value.field == "secret"
    assert "not base64" not in str(info.value)
