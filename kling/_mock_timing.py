"""How fast a fake Kling's tasks run, as ``--mock-timing`` offers it to the ``kling`` command
and ``kling mcp``: one place for the names, their environment variable and what they mean.

Importing this module imports no part of the fake (the CLI reads the names at start-up); the
fake's :class:`~kling.testing.Timing` is built only by :func:`mock_timing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .testing import Timing

__all__ = ["DEMO_STAGES", "MOCK_TIMING_ENV", "MOCK_WAIT_OPTIONS", "MockTiming", "mock_timing"]

#: ``demo``: long enough to show every status; ``instant``: done at once.
MockTiming = Literal["demo", "instant"]
#: The environment variable that picks one (tests set it to ``instant``).
MOCK_TIMING_ENV = "KLING_MOCK_TIMING"
#: How long a demo task stays ``submitted``, then ``processing``, in seconds.
DEMO_STAGES = (0.5, 1.5)
#: Waits against that fake poll quickly, so a demo ends soon after its task does.
MOCK_WAIT_OPTIONS: dict[str, Any] = {"poll_interval": 0.25, "max_poll_interval": 0.5}


def mock_timing(name: MockTiming) -> Timing:
    """The :class:`~kling.testing.Timing` of an in-process fake for ``name``."""
    from .testing import Timing

    if name == "instant":
        return Timing.instant()
    return Timing.seconds(*DEMO_STAGES)
