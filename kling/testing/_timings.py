"""The fake's named timings, as ``--mock-timing`` offers them to the ``kling`` command and
``kling mcp``: one place for the names, their environment variable and what they mean.

Importing this module imports no part of the fake (the CLI reads the names at start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._state import Timing

__all__ = ["MOCK_TIMING_ENV", "MOCK_WAIT_OPTIONS", "MockTiming", "mock_timing"]

#: ``demo``: long enough to show every status; ``instant``: done at once.
MockTiming = Literal["demo", "instant"]
#: The environment variable that picks one (tests set it to ``instant``).
MOCK_TIMING_ENV = "KLING_MOCK_TIMING"
#: How a demo task runs in an in-process fake: this long ``submitted``, then ``processing``.
DEMO_SUBMITTED = 0.5
DEMO_PROCESSING = 1.5
#: Waits against that fake poll quickly, so a demo ends soon after its task does.
MOCK_WAIT_OPTIONS: dict[str, Any] = {"poll_interval": 0.25, "max_poll_interval": 0.5}


def mock_timing(name: MockTiming) -> Timing:
    """The :class:`~kling.testing.Timing` of an in-process fake for ``name``."""
    from ._state import Timing

    if name == "instant":
        return Timing.instant()
    return Timing.seconds(DEMO_SUBMITTED, DEMO_PROCESSING)
