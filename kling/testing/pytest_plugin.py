"""pytest plugin shipped with kling: fixtures for testing against FakeKling.

Registered as the ``kling`` pytest11 entry point, so it loads in every pytest run of an
environment where kling is installed: it imports nothing heavy at import time (starlette and
uvicorn are optional) and builds fakes only inside the fixtures.

* ``fake_kling``: a fresh :class:`~kling.testing.FakeKling` (instant timing) for in-process use,
  e.g. ``httpx.ASGITransport(app=fake_kling)``. Override this fixture to configure the fake.
* ``fake_kling_server``: ``fake_kling`` served on a free 127.0.0.1 port; has ``.url``,
  ``.access_key``, ``.secret_key``, ``.api_key`` and ``.fake``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kling.testing import FakeKling, FakeKlingServer


@pytest.fixture
def fake_kling() -> FakeKling:
    """A fresh FakeKling with default credentials and instant timing."""
    from kling.testing import FakeKling

    return FakeKling()


@pytest.fixture
def fake_kling_server(fake_kling: FakeKling) -> Iterator[FakeKlingServer]:
    """The ``fake_kling`` fake served over HTTP on 127.0.0.1 for the duration of one test."""
    with fake_kling.serve() as server:
        yield server
