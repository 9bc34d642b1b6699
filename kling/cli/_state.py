"""What the global options decide for one run: output mode, and the client (real or ``--mock``).

The client is built on first use, so ``kling text-to-video --help`` never needs credentials
and ``--mock`` starts FakeKling only for commands that talk to the API. That is also when
``./.env`` is read and checked (see ``_dotenv``): a bad ``.env`` never stops ``--help``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kling._mock_timing import MOCK_WAIT_OPTIONS

from ._dotenv import EnvFile, base_url_origin, display_url, redirect_error
from ._errors import CliError
from ._settings import Settings

if TYPE_CHECKING:
    from kling import KlingClient

    from ._logs import SdkLogRoute, Trouble

__all__ = ["CliState", "get_state"]


class CliState:
    """The settings plus the resources one command invocation opens (client, mock server)."""

    def __init__(self, settings: Settings, env_file: Path | None = None) -> None:
        """``env_file``: the ``.env`` to read when the client is built (None: read none)."""
        self.settings = settings
        self.env_file = env_file
        self._stack = ExitStack()
        self._client: KlingClient | None = None
        self._logs: SdkLogRoute | None = None

    def __repr__(self) -> str:
        return f"<CliState {self.settings!r}>"

    @property
    def json(self) -> bool:
        return self.settings.json

    def client(self) -> KlingClient:
        """The client for this run; with ``--mock``, backed by a FakeKling started now.

        From then on the SDK's retries and warnings are shown (``_logs``).
        """
        if self._client is None:
            from kling._config import DEFAULT_MAX_RETRIES

            from ._logs import route_sdk_logs

            client = self._stack.enter_context(self._build_client())
            retries = self.settings.max_retries
            self._logs = self._stack.enter_context(
                route_sdk_logs(DEFAULT_MAX_RETRIES if retries is None else retries)
            )
            self._client = client
        return self._client

    @contextmanager
    def showing(self, display: Trouble) -> Iterator[None]:
        """While the block runs, retries and failed polls go to ``display`` (a wait's status)."""
        logs = self._logs
        if logs is None:
            yield
            return
        previous, logs.sink = logs.sink, display
        try:
            yield
        finally:
            logs.sink = previous

    def _load_env_file(self) -> EnvFile | None:
        """Apply ``./.env`` to the environment until :meth:`close` (variables already set win)."""
        if self.env_file is None:
            return None
        try:
            loaded = EnvFile.load(self.env_file)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise CliError(f"cannot read {self.env_file}: {reason}") from None
        if loaded is not None:
            self._stack.callback(loaded.unload)
            note = loaded.ignored_note()
            if note is not None:
                from ._output import err_console

                err_console().print(note, markup=False)
        return loaded

    def client_options(self) -> dict[str, Any]:
        """The client's keyword arguments from the options (``./.env`` applied and checked).

        Without ``--mock``; what they leave out the client reads from the environment.
        """
        import os

        from kling._config import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

        from ._output import err_console

        s = self.settings
        env_file = self._load_env_file()
        refusal = redirect_error(s, env_file)
        if refusal is not None:
            raise CliError(refusal)
        origin = base_url_origin(s, env_file)
        url = (s.base_url or os.environ.get("KLING_BASE_URL") or "").strip().rstrip("/")
        if origin is not None and url != DEFAULT_BASE_URL:
            err_console().print(
                f"Using Kling API at {display_url(url)} (from {origin})", markup=False
            )
        return {
            "access_key": s.access_key,
            "secret_key": s.secret_key,
            "base_url": s.base_url,
            "api_key": s.api_key,
            "timeout": DEFAULT_TIMEOUT if s.timeout is None else s.timeout,
            "max_retries": DEFAULT_MAX_RETRIES if s.max_retries is None else s.max_retries,
        }

    def _build_client(self) -> KlingClient:
        from kling import KlingClient
        from kling._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

        s = self.settings
        if not s.mock:
            return KlingClient(**self.client_options())
        timeout = DEFAULT_TIMEOUT if s.timeout is None else s.timeout
        retries = DEFAULT_MAX_RETRIES if s.max_retries is None else s.max_retries
        self._load_env_file()
        try:
            from kling.testing import FakeKling
        except ImportError as exc:  # starlette/uvicorn: part of the cli extra
            raise CliError(
                f"--mock needs the package {exc.name!r}, which is missing: pip install 'kling[cli]'"
            ) from exc

        from kling._mock_timing import mock_timing

        server = self._stack.enter_context(FakeKling.serve(timing=mock_timing(s.mock_timing)))
        return KlingClient(
            server.access_key,
            server.secret_key,
            server.url,
            api_key=server.api_key,  # for the new standard, which takes API keys only
            timeout=timeout,
            max_retries=retries,
        )

    def wait_options(self, *, timeout: float, poll_interval: float | None) -> dict[str, Any]:
        """The options of ``wait``: the SDK's defaults, polling quicker against the mock."""
        from kling._polling import DEFAULT_UNREACHABLE_TIMEOUT

        unreachable = self.settings.unreachable_timeout
        options: dict[str, Any] = {
            "timeout": timeout,
            "unreachable_timeout": (
                DEFAULT_UNREACHABLE_TIMEOUT if unreachable is None else unreachable or None
            ),
        }
        if poll_interval is not None:
            options["poll_interval"] = poll_interval
        elif self.settings.mock:
            options.update(MOCK_WAIT_OPTIONS)
        return options

    def close(self) -> None:
        """Close the client and stop the mock server, if they were started."""
        self._stack.close()
        self._client = None


def get_state(ctx: typer.Context) -> CliState:
    """The state the root callback stored on the context."""
    state = ctx.find_object(CliState)
    if state is None:
        raise RuntimeError("kling CLI state missing: commands run under the root callback")
    return state
