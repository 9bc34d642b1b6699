"""Verify and parse Kling task callbacks (``callback_url``).

Kling POSTs the task as JSON to your ``callback_url`` every time its status changes. When a
Webhook Secret (``whsec_...``) exists in the Kling console, each request is signed with the
`Standard Webhooks <https://www.standardwebhooks.com/>`_ scheme: headers ``webhook-id``,
``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (``v1,<base64>`` entries).

* :func:`verify` checks the signature and the timestamp, or raises
  :class:`WebhookVerificationError`.
* :func:`parse` turns the body into a task: a :class:`~kling.TaskBase` for legacy ``task_id``
  / ``task_status`` bodies (bare or envelope-wrapped), a :class:`~kling.V2TaskBase` for
  new-standard ``id`` / ``status`` / ``outputs`` ones; both answer ``task_id``,
  ``task_status``, ``videos``, ``is_finished`` and the other shortcuts alike.
* :func:`unwrap` does both; it is the usual call in a web handler.

Recommended handling:

1. Verify with the **raw** request bytes; never re-serialize parsed JSON before verifying.
2. Return 200 quickly and do the real work in the background; a slow handler risks redelivery.
3. Dedupe: the same status may arrive more than once, so key on ``webhook-id`` or on
   ``(task.task_id, task.task_status)`` (``task.external_task_id`` if you set one).
4. Re-fetch the task with the client (``client.text_to_video.get(task.task_id)``, from the
   resource that created it) before trusting result URLs or charging your own users; the
   callback tells you *that* something changed, the query API tells you *what* is true.

A Starlette / FastAPI handler::

    import os

    from fastapi import BackgroundTasks, FastAPI, Request, Response
    from kling import webhooks

    app = FastAPI()
    SECRET = os.environ["KLING_WEBHOOK_SECRET"]  # whsec_...


    @app.post("/kling/callback")
    async def kling_callback(request: Request, background: BackgroundTasks) -> Response:
        body = await request.body()  # raw bytes, exactly as received
        try:
            task = webhooks.unwrap(body, request.headers, SECRET)
        except webhooks.WebhookVerificationError:
            return Response(status_code=400)
        if task.is_finished and not already_seen(task.task_id, task.task_status):
            background.add_task(refetch_and_store, task.task_id)  # uses client...get()
        return Response(status_code=200)

Hostile input gets an SDK error, never a crash: :func:`verify` raises
:class:`WebhookVerificationError` for whatever it cannot verify, and :func:`parse` (or
:func:`unwrap`, once the body verified) raises :class:`~kling.InvalidParameterError`
(``field="body"``) for a body that is not a task. In particular:

* a body over ``max_body_size`` bytes (default :data:`MAX_BODY_SIZE`, 1 MiB; Kling's callbacks
  are a few KiB of task JSON) is refused before it is hashed or parsed;
* ``webhook-timestamp`` must be ASCII digits (at most 19), checked before the signature;
* a body nested more than :data:`MAX_DEPTH` (64) levels deep, holding a number of more than
  4,300 digits or ``NaN`` / ``Infinity`` is not a task;
* :func:`unwrap` parses exactly the bytes it verified, and only after verifying them;
* messages quote at most a short excerpt of the input, and never the secret.

This module needs only the standard library to verify; pydantic is imported on the first
:func:`parse`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import numbers
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import InvalidParameterError, KlingError

if TYPE_CHECKING:
    from ._models import TaskBase
    from ._models_v2 import V2TaskBase

__all__ = [
    "MAX_BODY_SIZE",
    "MAX_DEPTH",
    "WebhookVerificationError",
    "check_secret",
    "parse",
    "unwrap",
    "verify",
]

#: Default ``max_body_size``: bytes beyond which a body is refused unread. Kling's callbacks
#: are a few KiB of task JSON, so anything near this is not one.
MAX_BODY_SIZE = 1024 * 1024
#: Nesting levels a body may have (the top-level object is 1); a task needs about 5.
MAX_DEPTH = 64

_SECRET_PREFIX = "whsec_"
_ID_HEADER = "webhook-id"
_TIMESTAMP_HEADER = "webhook-timestamp"
_SIGNATURE_HEADER = "webhook-signature"
_EXCERPT = 80
# int64 seconds; a longer header is not a clock reading, and keeps float arithmetic exact.
_MAX_TIMESTAMP_DIGITS = 19
# CPython's default int_max_str_digits, enforced here whatever the process has set, because
# converting a longer digit string takes quadratic time.
_MAX_INT_DIGITS = 4300


class WebhookVerificationError(KlingError):
    """The callback's signature headers are missing, stale or do not match the secret.

    Answer such a request with 400 (or 401) and do not act on its body.
    """


# -- verification ---------------------------------------------------------------------------------


def verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = 300,
    now: float | None = None,
    max_body_size: int | None = MAX_BODY_SIZE,
) -> None:
    """Check a callback's Standard Webhooks signature; return ``None`` or raise.

    ``body`` is the raw request body (``await request.body()``); a ``str`` is encoded as UTF-8.
    ``headers`` is any mapping (Starlette, Django, Flask, a plain ``dict``); names are matched
    case-insensitively. ``secret`` is the console's ``whsec_...`` value (the bare base64 part is
    accepted too). ``tolerance`` is how many seconds ``webhook-timestamp`` may differ from
    ``now`` (default: the current time), which limits replays. A body over ``max_body_size``
    bytes (default :data:`MAX_BODY_SIZE`, 1 MiB; ``None`` for no limit) is refused before it
    is hashed.

    Raises :class:`WebhookVerificationError` for an oversized body, a missing or malformed
    header, a stale timestamp or a signature mismatch, and :class:`~kling.InvalidParameterError`
    (a ``ValueError``) when an argument itself is wrong (a malformed secret, a body that is not
    bytes or str), a configuration error. No message ever contains the secret.

    >>> webhooks.verify(await request.body(), request.headers, secret)  # doctest: +SKIP
    """
    _verify(body, headers, secret, tolerance, now, max_body_size)


def _verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    tolerance: float,
    now: float | None,
    max_body_size: int | None,
) -> bytes:
    """:func:`verify`, returning the verified bytes so :func:`unwrap` parses exactly those."""
    key = _decode_secret(secret)
    window = _check_tolerance(tolerance)
    clock = time.time() if now is None else _check_now(now)
    # Cheapest rejection first: nothing below reads more of an oversized body than its length.
    raw = _as_bytes(body, _check_limit(max_body_size), WebhookVerificationError)
    found = _find_headers(headers)
    msg_id = _require(found, _ID_HEADER)
    timestamp = _require(found, _TIMESTAMP_HEADER)
    signatures = _require(found, _SIGNATURE_HEADER)

    _check_timestamp(timestamp, window, clock)

    signed = _signed_prefix(msg_id, timestamp) + raw
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())

    versions: list[str] = []
    matched = False
    for entry in signatures.split():
        version, _, value = entry.rstrip(",").partition(",")
        versions.append(version)
        if version != "v1":
            continue
        # Compare every entry (no early exit) so timing does not reveal which one matched.
        matched |= hmac.compare_digest(expected, value.encode("utf-8", "replace"))
    if matched:
        return raw
    if "v1" not in versions:
        shown = _shorten(", ".join(sorted(set(versions))) or "none")
        raise WebhookVerificationError(
            f"no v1 entry in the {_SIGNATURE_HEADER} header (versions found: {shown}); "
            "expected space-separated 'v1,<base64>' entries"
        )
    raise WebhookVerificationError(
        "no signature matched; check the webhook secret (whsec_...) from the Kling console, "
        "and verify the raw request body as received (never re-serialized JSON)"
    )


def check_secret(secret: str) -> None:
    """Raise ``InvalidParameterError`` now if ``secret`` is not a usable ``whsec_`` secret.

    Call it at start-up so a mis-pasted secret fails the deploy, not the first callback.
    """
    _decode_secret(secret)


def _decode_secret(secret: str) -> bytes:
    if not isinstance(secret, str):
        raise InvalidParameterError(
            f"webhook secret must be a str (the whsec_... value), got {type(secret).__name__}",
            field="secret",
        )
    text = secret.strip()
    if text.startswith(_SECRET_PREFIX):
        text = text[len(_SECRET_PREFIX) :]
    if not text:
        raise InvalidParameterError(
            "webhook secret is empty; copy the whsec_... value from the Kling console",
            field="secret",
        )
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise InvalidParameterError(
            "webhook secret is not valid base64 after the whsec_ prefix; copy the whole "
            "whsec_... value from the Kling console, including any trailing '='",
            field="secret",
        )
    return key


def _check_tolerance(tolerance: float) -> float:
    value = _as_float(tolerance)
    if not value >= 0:  # also rejects NaN
        raise InvalidParameterError(
            f"tolerance must be a number of seconds >= 0, got {_shorten(repr(tolerance))}",
            field="tolerance",
        )
    return value


def _check_now(now: float) -> float:
    value = _as_float(now)
    if not math.isfinite(value):
        raise InvalidParameterError(
            f"now must be finite Unix seconds, got {_shorten(repr(now))}", field="now"
        )
    return value


def _as_float(value: object) -> float:
    """``value`` as a float, NaN when it is not a real number; never raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return math.nan
    try:
        return float(value)
    except OverflowError:  # an int beyond float range: no sensible tolerance or clock
        return math.nan


def _check_limit(max_body_size: int | None) -> int | None:
    if max_body_size is None:
        return None
    if isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 1:
        raise InvalidParameterError(
            "max_body_size must be a positive number of bytes or None, "
            f"got {_shorten(repr(max_body_size))}",
            field="max_body_size",
        )
    return max_body_size


def _as_bytes(
    body: object,
    limit: int | None,
    error: Callable[[str], KlingError],
    *,
    accepted: str = "bytes or str",
) -> bytes:
    """The body's UTF-8 bytes, refused with ``error`` when over ``limit`` before being copied."""
    if isinstance(body, str):
        size = len(body)  # a lower bound: every character takes at least one UTF-8 byte
    elif isinstance(body, (bytes, bytearray, memoryview)):
        size = memoryview(body).nbytes
    else:
        raise InvalidParameterError(
            f"webhook body must be {accepted}, got {type(body).__name__}", field="body"
        )
    if limit is not None and size > limit:
        raise error(_too_large(limit))
    if isinstance(body, str):
        try:
            raw = body.encode("utf-8")
        except UnicodeEncodeError:
            raise error(
                "webhook body is a str that is not valid Unicode (lone surrogates), so not "
                "what Kling sent; pass the raw request bytes"
            ) from None
        if limit is not None and len(raw) > limit:
            raise error(_too_large(limit))
        return raw
    return bytes(body)


def _too_large(limit: int) -> str:
    return (
        f"webhook body is over the {limit:,}-byte limit (max_body_size=); Kling's callbacks "
        "are a few KiB of task JSON"
    )


def _find_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The three signature headers, matched case-insensitively.

    Repeated ``webhook-signature`` headers are joined (each may carry entries during a key
    rotation); for the other two the first occurrence wins.
    """
    if not callable(getattr(headers, "items", None)):
        raise InvalidParameterError(
            f"headers must be a mapping of request headers, got {type(headers).__name__}",
            field="headers",
        )
    wanted = (_ID_HEADER, _TIMESTAMP_HEADER, _SIGNATURE_HEADER)
    found: dict[str, str] = {}
    items = headers.items()
    multi = getattr(headers, "multi_items", None)  # Starlette keeps repeats here
    if callable(multi):
        items = multi()
    for raw_name, raw_value in items:
        name = (
            raw_name.decode("latin-1") if isinstance(raw_name, bytes) else str(raw_name)
        ).lower()
        if name not in wanted:
            continue
        value = (
            raw_value.decode("latin-1") if isinstance(raw_value, bytes) else str(raw_value)
        ).strip()
        if name == _SIGNATURE_HEADER and name in found:
            found[name] = f"{found[name]} {value}"
        else:
            found.setdefault(name, value)
    return found


def _require(found: Mapping[str, str], name: str) -> str:
    value = found.get(name)
    if not value:
        raise WebhookVerificationError(
            f"missing {name} header; Kling signs callbacks only once a Webhook Secret "
            "exists in the console (and a proxy may strip the headers)"
        )
    return value


def _check_timestamp(header: str, tolerance: float, now: float) -> None:
    # int() alone would take '+1', '1_0', other scripts' digits and thousands of digits, and a
    # huge value overflows the float arithmetic below.
    if not (header.isascii() and header.isdigit() and len(header) <= _MAX_TIMESTAMP_DIGITS):
        raise WebhookVerificationError(
            f"invalid {_TIMESTAMP_HEADER} header {header[:_EXCERPT]!r}; expected Unix seconds "
            "(ASCII digits)"
        )
    timestamp = int(header)
    offset = now - timestamp
    if abs(offset) <= tolerance:
        return
    direction = "in the past" if offset > 0 else "in the future"
    hint = "check the server clock or replayed request"
    if timestamp > 100_000_000_000:
        hint = "it looks like milliseconds; Standard Webhooks uses seconds"
    raise WebhookVerificationError(
        f"timestamp {timestamp} is {_seconds(abs(offset))}s away from now ({direction}); "
        f"allowed {_seconds(tolerance)}s ({hint})"
    )


def _signed_prefix(msg_id: str, timestamp: str) -> bytes:
    try:
        return f"{msg_id}.{timestamp}.".encode()
    except UnicodeEncodeError:
        raise WebhookVerificationError(
            f"invalid {_ID_HEADER} header: it is not valid Unicode (lone surrogates)"
        ) from None


def _seconds(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _shorten(text: str, limit: int = _EXCERPT) -> str:
    """``text`` cut to ``limit`` characters, so hostile input cannot bloat a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- parsing --------------------------------------------------------------------------------------


def parse(
    body: bytes | str | Mapping[str, Any], *, max_body_size: int | None = MAX_BODY_SIZE
) -> TaskBase | V2TaskBase:
    """Turn a callback body into a task: a :class:`~kling.TaskBase` for a legacy body, a
    :class:`~kling.V2TaskBase` for a new-standard one. Does not verify it.

    Accepts the raw bytes, the decoded text or an already-parsed mapping, in any of the shapes
    Kling has been seen to send:

    * the bare legacy task (``task_id``, ``task_status``, ``task_result``, ...), the usual case;
    * the same wrapped in the response envelope ``{"code", "message", "data": {...}}``;
    * a new-standard task (``id``, ``status``, ``message``, ``create_time``, ``update_time``,
      ``external_id``, ``outputs[]``, ``billing[]``), as a ``V2TaskBase``: it answers the
      legacy names too (``task_id``, ``task_status``, ``videos``, ``is_finished``...), so a
      handler reads either kind the same way.

    Unknown fields are kept. Raises :class:`~kling.InvalidParameterError` (``field="body"``,
    a ``ValueError``) for a body that is over ``max_body_size`` bytes (default
    :data:`MAX_BODY_SIZE`, 1 MiB; ``None`` for no limit; checked before parsing), not JSON,
    nested more than :data:`MAX_DEPTH` levels, not an object, or has no valid task.
    """
    limit = _check_limit(max_body_size)
    if isinstance(body, Mapping):
        data = dict(body)
        _check_depth(data, Mapping, (Mapping, list, tuple), shared=True)
    else:
        raw = _as_bytes(body, limit, _body_error, accepted="bytes, str or a mapping")
        data = _load(raw)
    return _to_task(data)


def unwrap(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = 300,
    now: float | None = None,
    max_body_size: int | None = MAX_BODY_SIZE,
) -> TaskBase | V2TaskBase:
    """:func:`verify` the callback, then :func:`parse` it: the usual call in a web handler.

    Takes :func:`verify`'s arguments. The body is parsed only once verified, and it is exactly
    the bytes that were verified. Raises what :func:`verify` raises, then
    :class:`~kling.InvalidParameterError` (``field="body"``) if the verified body is not a task.

    >>> task = webhooks.unwrap(await request.body(), request.headers, secret)  # doctest: +SKIP
    """
    raw = _verify(body, headers, secret, tolerance, now, max_body_size)
    return _to_task(_load(raw))


def _to_task(data: dict[str, Any]) -> TaskBase | V2TaskBase:
    from pydantic import ValidationError

    if "task_id" not in data and "id" not in data:
        inner = data.get("data")
        if isinstance(inner, Mapping) and ("code" in data or "message" in data):
            data = dict(inner)
    if "task_id" not in data and "id" not in data:
        keys = _shorten(", ".join(sorted(str(key) for key in data)[:10]) or "none")
        raise _body_error(
            f"webhook body has no task id (expected 'task_id' or 'id'); keys found: {keys}"
        )
    model: type[TaskBase | V2TaskBase]
    if "task_id" in data:
        from ._models import TaskBase as model
    else:
        from ._models_v2 import V2TaskBase as model
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            _shorten(".".join(str(part) for part in error["loc"]) or "body")
            + f": {_shorten(error['msg'])}"
            for error in exc.errors()[:3]
        )
        raise _body_error(f"webhook body is not a valid task ({problems})") from exc


def _body_error(message: str) -> InvalidParameterError:
    return InvalidParameterError(message, field="body")


def _load(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw, parse_int=_parse_int, parse_constant=_reject_constant)
    except RecursionError:
        raise _body_error(_too_deep()) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError and the hooks' errors
        excerpt = " ".join(raw[:_EXCERPT].decode("utf-8", "replace").split())
        raise _body_error(
            f"webhook body is not valid JSON ({_shorten(str(exc))}); body starts with {excerpt!r}"
        ) from None
    # Parsed JSON holds only dicts and lists; and a body with few brackets cannot be deep.
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:
        _check_depth(value, dict, (dict, list))
    if not isinstance(value, dict):
        raise _body_error(
            f"webhook body must be a JSON object (a task), got {type(value).__name__}"
        )
    return value


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > _MAX_INT_DIGITS:
        raise ValueError(f"a number of {digits:,} digits")
    return int(text)


def _reject_constant(name: str) -> float:
    # json accepts NaN and Infinity by default; they are not JSON and no task field holds them.
    raise ValueError(f"{name} is not a JSON number")


def _check_depth(
    value: object, mappings: type[Any], containers: tuple[type, ...], *, shared: bool = False
) -> None:
    """Refuse nesting deeper than MAX_DEPTH, walking one level at a time (no recursion).

    A deeper value would parse, but break ``repr`` and serialization later, in user code. The
    walk stops after MAX_DEPTH levels, so a mapping that contains itself is refused too.
    Parsed JSON passes the concrete types (dict, list): an ABC check per node doubles the cost.
    """
    level: list[Any] = [value] if isinstance(value, containers) else []
    for _ in range(MAX_DEPTH):
        if not level:
            return
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, mappings) else node)
            if isinstance(child, containers)
        ]
        if shared:  # a caller's mapping may hold one container many times: walk it once
            level = list({id(node): node for node in level}.values())
    if level:
        raise _body_error(_too_deep())


def _too_deep() -> str:
    return f"webhook body is nested more than {MAX_DEPTH} levels deep; a task needs about 5"
