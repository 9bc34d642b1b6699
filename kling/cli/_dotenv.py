"""The ``.env`` file in the current directory, and what it may not do: redirect your keys.

The CLI reads ``./.env`` when a command first needs the API and adds to the environment the
variables not already set there, so options beat the environment, which beats ``.env``. Unlike
the environment and the options, a ``.env`` belongs to whatever directory the command runs in --
a cloned repository, an unpacked example -- so it is not trusted to decide where the user's own
credentials go:

* ``KLING_BASE_URL`` from the file is used when it names an official Kling host, or when every
  credential the command uses comes from that same file (a file with its own server and its own
  keys). Otherwise the command stops before any request.
* A credential counts as "from the file" only when the file spells it out: a ``${VAR}``
  expansion could copy a secret from the environment into a value the file sends elsewhere.
  For the same reason a ``KLING_BASE_URL`` built with ``${VAR}`` is refused outright: the host
  name itself could carry the secret.
* Only the variables the SDK documents are taken from the file (:data:`READ`, an allowlist):
  any other line is ignored, and the command says which. A proxy (``HTTPS_PROXY``), a
  certificate authority (``SSL_CERT_FILE``) or ``SSLKEYLOGFILE`` (where TLS writes its session
  secrets) from a file the user did not write would hand its author the keys, even on an
  official host.

``--base-url`` and an exported ``KLING_BASE_URL`` are the user's own choice and are trusted.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dotenv import dotenv_values
from dotenv.main import DotEnv
from dotenv.parser import parse_stream

if TYPE_CHECKING:
    from ._settings import Settings

__all__ = [
    "ENV_FILE_NAME",
    "OFFICIAL_HOSTS",
    "READ",
    "EnvFile",
    "base_url_origin",
    "display_url",
    "is_official",
    "redirect_error",
]

ENV_FILE_NAME = ".env"

#: The hosts of Kling's developer API: api-singapore is the global endpoint, api.klingai.com its
#: older name (https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-authentication.md),
#: api-beijing the mainland-China one. Credentials may go there from anywhere.
OFFICIAL_HOSTS = frozenset(
    {"api-singapore.klingai.com", "api-beijing.klingai.com", "api.klingai.com"}
)

_BASE_URL = "KLING_BASE_URL"
_API_KEY = "KLING_API_KEY"
_ACCESS_KEY = "KLING_ACCESS_KEY"
_SECRET_KEY = "KLING_SECRET_KEY"

#: The variables a ``.env`` may set, the ones the README and ``kling --help`` document; every
#: other line of the file is ignored.
READ = (_ACCESS_KEY, _SECRET_KEY, _API_KEY, _BASE_URL, "KLING_LOG")


@dataclass(frozen=True)
class EnvFile:
    """A ``.env`` applied to ``os.environ``: which variables it set, and which it spelled out.

    Only names are kept, never values, so no ``repr`` or traceback can show a key.
    """

    path: Path
    #: Variables the file set (those not already in the environment).
    applied: frozenset[str]
    #: Of those, the ones written out literally (no ``${VAR}`` expansion).
    literal: frozenset[str]
    #: The lines not taken, as (line number, variable name): names not in :data:`READ`.
    ignored: tuple[tuple[int, str], ...] = ()

    @classmethod
    def load(cls, path: Path) -> EnvFile | None:
        """Apply the :data:`READ` variables of ``path`` to ``os.environ`` as
        ``load_dotenv(override=False)`` would; None if there is no such file.

        A variable already in the environment is never overridden, and ``${VAR}`` prefers the
        environment's ``VAR`` to the file's; the file's raw text (without interpolation) tells
        which variables it spelled out. Raises ``OSError``/``UnicodeDecodeError`` if it cannot
        be read.
        """
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        raw = dotenv_values(stream=io.StringIO(text), interpolate=False)
        values = DotEnv(None, stream=io.StringIO(text), override=False).dict()
        applied = set()
        for name in READ:
            value = values.get(name)
            if value is not None and name not in os.environ:
                os.environ[name] = value
                applied.add(name)
        literal = frozenset(name for name in applied if os.environ[name] == raw.get(name))
        ignored = tuple(
            (binding.original.line, binding.key)
            for binding in parse_stream(io.StringIO(text))
            if binding.key is not None and binding.key not in READ
        )
        return cls(path, frozenset(applied), literal, ignored)

    def ignored_note(self) -> str | None:
        """What the command says of the lines it did not take; None when it took them all."""
        if not self.ignored:
            return None
        lines = ", ".join(f"line {number} ({name})" for number, name in self.ignored[:10])
        more = f" and {len(self.ignored) - 10} more" if len(self.ignored) > 10 else ""
        return (
            f"Ignored in {self.path}: {lines}{more}. kling reads only {', '.join(READ)} "
            "from a .env; export anything else yourself."
        )

    def unload(self) -> None:
        """Take the file's variables out of ``os.environ`` again (the command is over)."""
        for name in self.applied:
            os.environ.pop(name, None)

    def supplied(self, name: str) -> bool:
        """Whether the environment variable ``name`` came from the file (spelled out or not)."""
        return name in self.applied

    def spelled_out(self, name: str) -> bool:
        """Whether the environment variable ``name`` came from the file, written out in it."""
        return name in self.literal


def _env(name: str) -> str | None:
    # As kling._config does: an empty variable counts as unset.
    return os.environ.get(name) or None


def is_official(url: str) -> bool:
    """Whether ``url`` is https on the standard port of an official Kling API host."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return False
    return parts.scheme == "https" and parts.hostname in OFFICIAL_HOSTS and port in (None, 443)


def _host(url: str) -> str:
    """``host[:port]`` of ``url``, without any user:password part."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname:
        return "an address that is not a URL"
    return f"{parts.hostname}:{port}" if port is not None else parts.hostname


def display_url(url: str) -> str:
    """``url`` fit to show: without any user:password part."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{_host(url)}{parts.path}"


def base_url_origin(settings: Settings, env_file: EnvFile | None) -> str | None:
    """Where the base URL comes from, as shown to the user; None when it is the default."""
    if settings.base_url:
        return "--base-url"
    if _env(_BASE_URL) is None:
        return None
    if env_file is not None and env_file.supplied(_BASE_URL):
        return str(env_file.path)
    return _BASE_URL


_OPTION = "option"
_ENVIRONMENT = "environment"
_EXPANDED = "expanded"


def _foreign_credentials(settings: Settings, env_file: EnvFile) -> list[tuple[str, str]]:
    """The credentials in use that ``env_file`` does not spell out: (name, where it came from).

    Mirrors the SDK's rule (``kling._config._resolve_keys``): given any credential option, the
    options' (a missing half of the pair from the environment); else every credential the
    environment holds, ``KLING_API_KEY`` and the ``KLING_ACCESS_KEY``/``KLING_SECRET_KEY``
    pair alike, as a client may use both.
    """

    def from_env(name: str) -> list[tuple[str, str]]:
        if _env(name) is None or env_file.spelled_out(name):
            return []
        return [(name, _EXPANDED if env_file.supplied(name) else _ENVIRONMENT)]

    def option(name: str, value: str | None, variable: str) -> list[tuple[str, str]]:
        return [(name, _OPTION)] if value is not None else from_env(variable)

    pair_given = settings.access_key is not None or settings.secret_key is not None
    if settings.api_key is not None or pair_given:
        found = [("--api-key", _OPTION)] if settings.api_key is not None else []
        if pair_given:
            found += option("--access-key", settings.access_key, _ACCESS_KEY)
            found += option("--secret-key", settings.secret_key, _SECRET_KEY)
        return found
    return from_env(_API_KEY) + from_env(_ACCESS_KEY) + from_env(_SECRET_KEY)


def _describe(credentials: list[tuple[str, str]]) -> str:
    """E.g. "KLING_ACCESS_KEY and KLING_SECRET_KEY from the environment"."""
    parts = []
    for where in (_OPTION, _ENVIRONMENT, _EXPANDED):
        names = " and ".join(name for name, origin in credentials if origin == where)
        if not names:
            continue
        if where == _OPTION:
            plural = "s" if " and " in names else ""
            parts.append(f"the {names} option{plural}")
        elif where == _ENVIRONMENT:
            parts.append(f"{names} from the environment")
        else:
            parts.append(f"{names} built with ${{...}} from other variables")
    return ", ".join(parts)


_YOURSELF = "--base-url or an exported KLING_BASE_URL"


def redirect_error(settings: Settings, env_file: EnvFile | None) -> str | None:
    """Why this run must not send its credentials, or None when it may.

    It may not when ``env_file`` sets ``KLING_BASE_URL`` to a host that is not official and some
    credential in use did not come, spelled out, from that same file; nor, whatever the
    credentials, when the file built it with ``${...}``: the value could then carry an exported
    secret (``https://${KLING_SECRET_KEY}.example.com``).
    """
    if settings.mock or env_file is None:
        return None
    base_url = None if settings.base_url or not env_file.supplied(_BASE_URL) else _env(_BASE_URL)
    if base_url is None:
        return None
    if not env_file.spelled_out(_BASE_URL):  # its value is not shown: it may hold a secret
        return (
            f"{env_file.path} builds KLING_BASE_URL with ${{...}} from other variables, so it "
            f"could carry a secret to another host; nothing was sent. Write it out in "
            f"{env_file.path}, or choose it yourself with {_YOURSELF}."
        )
    if is_official(base_url):
        return None
    foreign = _foreign_credentials(settings, env_file)
    if not foreign:  # every credential is the file's own (or there are none: the SDK says so)
        return None
    return (
        f"{env_file.path} sets KLING_BASE_URL to {_host(base_url)}, which is not an official "
        f"Kling host, but the credentials are not that file's own ({_describe(foreign)}); "
        f"nothing was sent. To go ahead, put the credentials in {env_file.path} too, or "
        f"choose it yourself with {_YOURSELF}."
    )
