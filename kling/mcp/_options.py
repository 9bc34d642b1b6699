"""What a ``kling mcp`` server is started with, checked before anything starts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from .._errors import KlingError
from .._mock_timing import MOCK_TIMING_ENV, MockTiming

__all__ = ["ServerOptions", "ServerSetupError", "Transport"]

Transport = Literal["stdio", "http"]


class ServerSetupError(KlingError):
    """The server cannot start as asked; the message says what to change."""


@dataclass(frozen=True)
class ServerOptions:
    """How to serve: the transport, where HTTP listens, the file root and the safety modes."""

    transport: Transport = "stdio"
    host: str = "127.0.0.1"
    """Where ``http`` listens; loopback unless told otherwise."""
    port: int = 8000
    root: Path = Path(".")
    """Media inputs are read from, and downloads written to, this directory only."""
    read_only: bool = False
    """List only the lookup tools (get, wait, list, costs): nothing is created or written."""
    mock: bool = False
    """Serve against an in-process FakeKling instead of Kling (no account needed)."""
    mock_timing: MockTiming = "demo"

    @classmethod
    def of(
        cls,
        *,
        transport: str = "stdio",
        host: str = "127.0.0.1",
        port: int = 8000,
        root: str | os.PathLike[str] = ".",
        read_only: bool = False,
        mock: bool = False,
        mock_timing: str | None = None,
    ) -> ServerOptions:
        """Checked options; raises :class:`ServerSetupError` saying what to change.

        ``mock_timing`` None: ``$KLING_MOCK_TIMING``, else ``demo``. A missing ``root`` is
        created when its parent exists.
        """
        if mock_timing is None:
            mock_timing = os.environ.get(MOCK_TIMING_ENV, "").strip().lower() or "demo"
        if mock_timing not in get_args(MockTiming):
            raise ServerSetupError(f"mock timing must be 'demo' or 'instant', got {mock_timing!r}")
        if transport not in get_args(Transport):
            raise ServerSetupError(f"transport must be 'stdio' or 'http', got {transport!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ServerSetupError(f"port must be an int from 0 to 65535, got {port!r}")
        if not isinstance(host, str) or not host.strip():
            raise ServerSetupError(f"host must be a host name or IP address, got {host!r}")
        directory = Path(root).expanduser()
        try:
            resolved = directory.resolve(strict=True)
        except (OSError, RuntimeError):
            resolved = _created(directory)
        if not resolved.is_dir():
            raise ServerSetupError(f"root {str(directory)!r} is not a directory; pass --root DIR")
        return cls(
            transport=transport,  # type: ignore[arg-type]  # checked above
            host=host.strip(),
            port=port,
            root=resolved,
            read_only=bool(read_only),
            mock=bool(mock),
            mock_timing=mock_timing,  # type: ignore[arg-type]  # checked above
        )


def _created(directory: Path) -> Path:
    """A missing root made, as ``mkdir`` would (``--root /tmp/try`` on a fresh machine); not
    its parents, so a mistyped path is refused rather than built."""
    try:
        directory.mkdir()
        return directory.resolve(strict=True)
    except FileNotFoundError:
        raise ServerSetupError(
            f"root {str(directory)!r} does not exist, nor its parent; create it or pass --root DIR"
        ) from None
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ServerSetupError(
            f"root {str(directory)!r} does not exist and cannot be created ({reason}); "
            "create it or pass --root DIR"
        ) from None
