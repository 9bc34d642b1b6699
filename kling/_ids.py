"""External task ids: the one place they are minted. No I/O.

Kling keeps a task under the ``external_task_id`` its create carried and refuses a second create
with the same id, so the SDK sets one on every create: looked up after an ambiguous failure, it
makes a create idempotent (see ``docs/design.md``, "Reliability rules").

Two kinds:

- **random** (:func:`random_external_id`), for a create whose caller gave none: unique, ours;
- **derived** from content (:func:`derived_external_id` of a :func:`content_digest`), for batch
  jobs and MCP tool calls: the same content gives the same id, so running it again finds the
  task made the first time instead of paying for a second one. These ids are stable across
  releases: a manifest written by one version resumes under the next.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

__all__ = [
    "DIGEST_CHARS",
    "canonical_json",
    "content_digest",
    "derived_external_id",
    "random_external_id",
]

#: Hex digits of a digest kept in a derived id: 160 bits, short enough for logs.
DIGEST_CHARS = 40


def random_external_id() -> str:
    """A fresh id for a create whose caller gave none: ``kling-`` and 128 random bits."""
    return f"kling-{os.urandom(16).hex()}"  # as many random bits as a UUID4, at less cost


def canonical_json(value: Any) -> str:
    """``value`` as one JSON text that equal content always gives (sorted keys, no spaces).

    Values JSON has no type for (a ``Path``, a ``datetime``) count by their ``str``.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_digest(text: str) -> str:
    """The SHA-256 of ``text`` in hex: what a derived id is made from."""
    return hashlib.sha256(text.encode()).hexdigest()


def derived_external_id(prefix: str, digest: str, attempt: int = 0) -> str:
    """``prefix-<digest>``, and ``-<attempt>`` after the first attempt (a new attempt is a new
    task, so it needs an id of its own).

    >>> derived_external_id("kj", "ab" * 32, attempt=2)
    'kj-abababababababababababababababababababab-2'
    """
    base = f"{prefix}-{digest[:DIGEST_CHARS]}"
    return base if attempt == 0 else f"{base}-{attempt}"
