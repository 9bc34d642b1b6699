"""The one directory the server reads media from and downloads into.

Every path an agent gives is resolved (symlinks followed, ``..`` collapsed) before it is used,
and refused unless the result lies inside the root: a path that climbs out through ``..``, an
absolute path elsewhere, and a symlink pointing outside are all the same mistake.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._errors import InvalidParameterError

__all__ = ["OutsideRootError", "Root"]


class OutsideRootError(InvalidParameterError):
    """A path resolves outside the server's root; nothing was read or written."""


class Root:
    """The server's file root: :meth:`input_file` to read, :meth:`output_dir` to write."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.path = Path(directory).resolve(strict=True)
        if not self.path.is_dir():
            raise NotADirectoryError(f"root {str(directory)!r} is not a directory")

    def __repr__(self) -> str:
        return f"Root({str(self.path)!r})"

    def input_file(self, text: str, *, field: str) -> Path:
        """The existing regular file ``text`` names (relative to the root, or absolute inside
        it), resolved."""
        resolved = self._inside(text, field=field, must_exist=True)
        if not resolved.is_file():
            raise InvalidParameterError(
                f"{field}: {text!r} is not a regular file; give a path to a file under the "
                f"server's root {str(self.path)!r}",
                field=field,
            )
        return resolved

    def output_dir(self, text: str, *, field: str, create: bool = True) -> Path:
        """The directory ``text`` names inside the root, resolved, and created if missing
        (``create=False`` only checks)."""
        target = self._inside(text, field=field, must_exist=False)
        if target.exists() and not target.is_dir():
            raise InvalidParameterError(
                f"{field}: {text!r} exists and is not a directory; give a directory under the "
                "server's root",
                field=field,
            )
        if not create:
            return target
        target.mkdir(parents=True, exist_ok=True)
        # Checked again once it exists: a symlink swapped in meanwhile must not redirect writes.
        return self._inside(str(target), field=field, must_exist=True)

    def relative(self, path: Path) -> str:
        """``path`` (inside the root) as the agent should name it: relative, with slashes."""
        return path.resolve().relative_to(self.path).as_posix() or "."

    def _inside(self, text: str, *, field: str, must_exist: bool) -> Path:
        if not isinstance(text, str) or not text.strip():
            raise InvalidParameterError(
                f"{field}: a path must be a non-empty string relative to the server's root",
                field=field,
            )
        candidate = Path(text).expanduser() if text.startswith("~") else Path(text)
        if not candidate.is_absolute():
            candidate = self.path / candidate
        try:
            # Not strict: whether a path outside the root exists is none of the agent's business.
            resolved = candidate.resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL byte
            raise InvalidParameterError(
                f"{field}: cannot use path {text!r}: {exc}", field=field
            ) from None
        if not resolved.is_relative_to(self.path):
            raise OutsideRootError(
                f"{field}: {text!r} is outside the server's root {str(self.path)!r} (after "
                "following '..' and symlinks); give a path inside it",
                field=field,
            )
        if must_exist and not resolved.exists():
            raise InvalidParameterError(
                f"{field}: no file {text!r} under the server's root {str(self.path)!r}; paths "
                "are relative to it (to send a small file inline, give a data: URI)",
                field=field,
            )
        return resolved
