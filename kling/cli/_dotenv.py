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
* The same holds for the variables httpx reads to route and trust connections: a proxy
  (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, any case) or a certificate authority
  (``SSL_CERT_FILE``, ``SSL_CERT_DIR``) from the file -- together they would let its author read
  the keys even on an official host.

``--base-url`` and an exported ``KLING_BASE_URL`` are the user's own choice and are trusted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dotenv import dotenv_values, load_dotenv

if TYPE_CHECKING:
    from ._settings import Settings

__all__ = [
    "ENV_FILE_NAME",
    "OFFICIAL_HOSTS",
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

#: Read by httpx from the environment: through whom requests go (any case), whom TLS trusts.
_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy"})
_TRUST_VARIABLES = frozenset({"SSL_CERT_FILE", "SSL_CERT_DIR"})

_BASE_URL = "KLING_BASE_URL"
_API_KEY = "KLING_API_KEY"
_ACCESS_KEY = "KLING_ACCESS_KEY"
_SECRET_KEY = "KLING_SECRET_KEY"


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

    @classmethod
    def load(cls, path: Path) -> EnvFile | None:
        """Apply ``path`` to ``os.environ`` as ``load_dotenv(override=False)``; None if absent.

        The variables the file set are the ones new in the environment afterwards (it never
        overrides one); the file's raw text (``dotenv_values`` without interpolation) tells which
        of them it spelled out. Raises ``OSError``/``UnicodeDecodeError`` if it cannot be read.
        """
        if not path.is_file():
            return None
        raw = dotenv_values(path, interpolate=False)
        before = set(os.environ)
        load_dotenv(path, override=False)
        applied = frozenset(os.environ.keys() - before)
        literal = frozenset(name for name in applied if os.environ[name] == raw.get(name))
        return cls(path, applied, literal)

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


def _routing_variables(env_file: EnvFile) -> list[str]:
    """The proxy and certificate variables ``env_file`` set (and did not leave empty)."""
    return [
        name
        for name in sorted(env_file.applied)
        if (name.lower() in _PROXY_VARIABLES or name in _TRUST_VARIABLES) and _env(name)
    ]


def _redirect(name: str) -> str:
    """What setting ``name`` does, e.g. "HTTPS_PROXY to proxy.example.com:3128"."""
    value = os.environ[name]
    if name == _BASE_URL:
        return f"KLING_BASE_URL to {_host(value)}, which is not an official Kling host"
    if name.lower() in _PROXY_VARIABLES:
        return f"{name} to {_host(value)}"
    return f"{name} (whom TLS trusts)"


def _yourself(names: list[str]) -> str:
    """How the user sets ``names`` themselves, which they are trusted to do."""
    ways = [
        "--base-url or an exported KLING_BASE_URL" if name == _BASE_URL else f"an exported {name}"
        for name in names
    ]
    return ", ".join(ways)


def redirect_error(settings: Settings, env_file: EnvFile | None) -> str | None:
    """Why this run must not send its credentials, or None when it may.

    It may not when ``env_file`` sets ``KLING_BASE_URL`` to a host that is not official, or sets a
    proxy or certificate variable, and some credential in use did not come, spelled out, from
    that same file; nor, whatever the credentials, when the file built one of those with
    ``${...}``: the value could then carry an exported secret
    (``https://${KLING_SECRET_KEY}.example.com``).
    """
    if settings.mock or env_file is None:
        return None
    base_url = None if settings.base_url or not env_file.supplied(_BASE_URL) else _env(_BASE_URL)
    routing = _routing_variables(env_file)
    decided = ([_BASE_URL] if base_url is not None else []) + routing
    expanded = [name for name in decided if not env_file.spelled_out(name)]
    if expanded:  # their values are not shown: they may hold a secret
        names = " and ".join(expanded)
        it, they = ("it", "it") if len(expanded) == 1 else ("them", "they")
        return (
            f"{env_file.path} builds {names} with ${{...}} from other variables, so {they} could "
            f"carry a secret to another host; nothing was sent. Write {it} out in "
            f"{env_file.path}, or choose {it} yourself with {_yourself(expanded)}."
        )
    redirected = [name for name in decided if name != _BASE_URL or not is_official(base_url or "")]
    if not redirected:
        return None
    foreign = _foreign_credentials(settings, env_file)
    if not foreign:  # every credential is the file's own (or there are none: the SDK says so)
        return None
    these = "it" if len(redirected) == 1 else "them"
    what = "; ".join(_redirect(name) for name in redirected)
    return (
        f"{env_file.path} sets {what}, but the credentials are not that file's own "
        f"({_describe(foreign)}); nothing was sent. To go ahead, put the credentials in "
        f"{env_file.path} too, or choose {these} yourself with {_yourself(redirected)}."
    )
