"""A .env cannot redirect credentials: its KLING_BASE_URL gets only its own keys (or is official).

Where a request must not happen, a FakeKling on loopback stands for the other host and its
request log must stay empty. Official hosts are never contacted: ``no_network`` records the
request the client tries to send and fails it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from kling.cli._dotenv import OFFICIAL_HOSTS, is_official
from kling.testing import FakeKling, FakeKlingServer

from .conftest import KlingRunner, run_process, server_args

REAL_ACCESS = "real-access-key-of-the-user-0123"
REAL_SECRET = "real-secret-key-of-the-user-0123456789"
REAL_API_KEY = "real-api-key-of-the-user-0123456789"


def write_env(directory: Path, *lines: str, **values: str) -> Path:
    path = directory / ".env"
    text = "".join(f"{line}\n" for line in lines)
    path.write_text(text + "".join(f"{k}={v}\n" for k, v in values.items()))
    return path


def host(server: FakeKlingServer) -> str:
    return urlsplit(server.url).netloc


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the command in an empty directory (where the test writes its .env)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's own credentials, exported in the environment."""
    monkeypatch.setenv("KLING_ACCESS_KEY", REAL_ACCESS)
    monkeypatch.setenv("KLING_SECRET_KEY", REAL_SECRET)


@pytest.fixture
def no_routing_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy, certificate or key-log variables exported, so a .env could set them."""
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Requests the client tries to send over the network; each fails with a connect error."""
    sent: list[httpx.Request] = []

    def refuse(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise httpx.ConnectError("network disabled in this test", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    return sent


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# -- refused ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("real_keys")
def test_dotenv_base_url_with_env_credentials_is_refused(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    env_file = write_env(in_tmp, KLING_BASE_URL=server.url)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    line = error_line(result.stderr)
    assert str(env_file) in line
    assert host(server) in line


@pytest.mark.usefixtures("real_keys")
def test_refusal_says_how_to_proceed(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    write_env(in_tmp, KLING_BASE_URL=server.url)

    line = error_line(kling("tasks", "list", "text-to-video").stderr)

    assert "KLING_ACCESS_KEY and KLING_SECRET_KEY from the environment" in line
    assert "put the credentials in" in line
    assert "--base-url" in line
    assert "exported KLING_BASE_URL" in line


@pytest.mark.parametrize(
    "options",
    [
        ["--access-key", REAL_ACCESS, "--secret-key", REAL_SECRET],
        ["--api-key", REAL_API_KEY],
    ],
    ids=["pair", "api-key"],
)
def test_dotenv_base_url_with_option_credentials_is_refused(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, options: list[str]
) -> None:
    write_env(in_tmp, KLING_BASE_URL=server.url)

    result = kling(*options, "tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    assert f"the {options[0]} " in error_line(result.stderr)


def test_dotenv_base_url_with_half_the_pair_from_env_is_refused(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_env(in_tmp, KLING_BASE_URL=server.url, KLING_ACCESS_KEY=server.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", REAL_SECRET)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    assert "KLING_SECRET_KEY from the environment" in error_line(result.stderr)


def test_exported_api_key_beats_the_dotenv_pair_and_is_refused(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The SDK prefers KLING_API_KEY (environment) over the pair, so the exported key is in use.
    write_env(
        in_tmp,
        KLING_BASE_URL=server.url,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
    )
    monkeypatch.setenv("KLING_API_KEY", REAL_API_KEY)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    assert "KLING_API_KEY from the environment" in error_line(result.stderr)


def test_dotenv_credential_expanded_from_the_environment_is_refused(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ${...} would copy any exported secret into a "credential from the file".
    write_env(in_tmp, KLING_BASE_URL=server.url, KLING_API_KEY="${SOME_OTHER_SECRET}")
    monkeypatch.setenv("SOME_OTHER_SECRET", REAL_SECRET)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    line = error_line(result.stderr)
    assert "KLING_API_KEY built with ${...} from other variables" in line
    assert REAL_SECRET not in result.output


def test_dotenv_base_url_built_with_expansion_is_refused_even_with_its_own_keys(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The host itself could carry an exported secret (https://${KLING_SECRET_KEY}.example.com).
    write_env(
        in_tmp,
        KLING_BASE_URL="${SERVER_URL}",
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
    )
    monkeypatch.setenv("SERVER_URL", server.url)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert server.fake.requests == []
    line = error_line(result.stderr)
    assert "builds KLING_BASE_URL with ${...}" in line
    assert server.url not in line


def test_refusal_never_shows_the_secret(server: FakeKlingServer, tmp_path: Path) -> None:
    write_env(tmp_path, KLING_BASE_URL=server.url)
    env = {**os.environ, "KLING_ACCESS_KEY": REAL_ACCESS, "KLING_SECRET_KEY": REAL_SECRET}

    proc = run_process(["--debug", "tasks", "list", "text-to-video"], env=env, cwd=tmp_path)

    assert proc.returncode == 1
    assert "not an official Kling host" in proc.stderr
    assert REAL_SECRET not in proc.stderr + proc.stdout
    assert server.fake.requests == []


def test_refusal_holds_for_every_run_in_one_process(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each run takes the .env's variables out of the environment again when it ends, so the
    # next run still knows them as the file's, not as exported ones.
    write_env(in_tmp, KLING_BASE_URL=server.url)
    monkeypatch.setenv("KLING_API_KEY", REAL_API_KEY)

    first = kling("tasks", "list", "text-to-video")
    between = os.environ.get("KLING_BASE_URL")
    second = kling("tasks", "list", "text-to-video")

    assert (first.exit_code, second.exit_code) == (1, 1)
    assert between is None
    assert server.fake.requests == []


# -- accepted ---------------------------------------------------------------------------------


def test_dotenv_base_url_with_credentials_from_same_file_is_used(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    write_env(
        in_tmp,
        KLING_BASE_URL=server.url,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
    )

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert server.fake.requests


@pytest.mark.usefixtures("real_keys")
def test_dotenv_api_key_with_its_base_url_is_refused_while_a_pair_is_exported(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    # A client holds every credential it finds (the pair signs legacy calls, the key the new
    # standard's): the exported pair would go to the file's host too, so nothing is sent.
    assert server.api_key is not None
    write_env(in_tmp, KLING_BASE_URL=server.url, KLING_API_KEY=server.api_key)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert "KLING_ACCESS_KEY and KLING_SECRET_KEY from the environment" in result.output
    assert "nothing was sent" in result.output
    assert not server.fake.requests


def test_dotenv_api_key_goes_to_its_own_base_url(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    assert server.api_key is not None
    write_env(in_tmp, KLING_BASE_URL=server.url, KLING_API_KEY=server.api_key)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].headers["authorization"] == f"Bearer {server.api_key}"


@pytest.mark.usefixtures("real_keys")
@pytest.mark.parametrize("official", sorted(OFFICIAL_HOSTS))
def test_official_host_in_dotenv_is_accepted(
    kling: KlingRunner, in_tmp: Path, no_network: list[httpx.Request], official: str
) -> None:
    write_env(in_tmp, KLING_BASE_URL=f"https://{official}")

    result = kling("--max-retries", "0", "tasks", "list", "text-to-video")

    assert [request.url.host for request in no_network] == [official]
    assert "not an official Kling host" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "https://api-singapore.klingai.com.example.net",
        "https://example.net/api-singapore.klingai.com",
        "https://api-singapore.klingai.com:8443",
        "http://api-singapore.klingai.com",
        "https://klingai.com",
        "https://api-singapore.klingai.com@example.net",
    ],
)
def test_lookalike_hosts_are_not_official(url: str) -> None:
    assert not is_official(url)


def test_official_hosts_with_a_path_or_slash_are_official() -> None:
    assert is_official("https://api-beijing.klingai.com/")
    assert is_official(" https://API.klingai.com:443/v1 ")


@pytest.mark.usefixtures("real_keys")
def test_exported_base_url_is_trusted(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", server.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", server.secret_key)
    monkeypatch.setenv("KLING_BASE_URL", server.url)
    with FakeKling.serve() as other:
        write_env(in_tmp, KLING_BASE_URL=other.url)

        result = kling("tasks", "list", "text-to-video")

        assert result.exit_code == 0, result.output
        assert server.fake.requests
        assert other.fake.requests == []


def test_base_url_option_is_trusted(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", server.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", server.secret_key)
    with FakeKling.serve() as other:
        write_env(in_tmp, KLING_BASE_URL=other.url)

        result = kling("--base-url", server.url, "tasks", "list", "text-to-video")

        assert result.exit_code == 0, result.output
        assert server.fake.requests
        assert other.fake.requests == []


@pytest.mark.usefixtures("real_keys")
def test_mock_ignores_dotenv_base_url(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    write_env(in_tmp, KLING_BASE_URL=server.url)

    result = kling("--mock", "tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert server.fake.requests == []
    assert "Using Kling API" not in result.stderr


@pytest.mark.usefixtures("real_keys")
@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["text-to-video", "--help"], ["mock-server", "--help"]],
    ids=" ".join,
)
def test_commands_without_a_client_ignore_a_redirecting_dotenv(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, args: list[str]
) -> None:
    write_env(in_tmp, KLING_BASE_URL=server.url)

    result = kling(*args)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_help_ignores_an_unreadable_dotenv(kling: KlingRunner, in_tmp: Path) -> None:
    (in_tmp / ".env").write_bytes(b"KLING_BASE_URL=\xff\xfe\n")

    result = kling("text-to-video", "--help")

    assert result.exit_code == 0, result.output


def test_unreadable_dotenv_is_one_error_line(kling: KlingRunner, in_tmp: Path) -> None:
    env_file = in_tmp / ".env"
    env_file.write_bytes(b"KLING_BASE_URL=\xff\xfe\n")

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 1
    assert f"cannot read {env_file}" in error_line(result.stderr)


# -- the host is shown ------------------------------------------------------------------------


def test_non_default_host_is_shown_on_stderr(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(*server_args(server), "tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    notice = f"Using Kling API at {server.url} (from --base-url)"
    assert result.stderr.splitlines()[0] == notice


def test_host_notice_names_the_dotenv_file(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    env_file = write_env(
        in_tmp,
        KLING_BASE_URL=server.url,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
    )

    result = kling("tasks", "list", "text-to-video")

    assert f"Using Kling API at {server.url} (from {env_file})" in result.stderr


def test_host_notice_names_the_exported_variable(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_BASE_URL", server.url)
    monkeypatch.setenv("KLING_ACCESS_KEY", server.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", server.secret_key)

    result = kling("tasks", "list", "text-to-video")

    assert f"Using Kling API at {server.url} (from KLING_BASE_URL)" in result.stderr


@pytest.mark.usefixtures("real_keys")
def test_default_host_is_not_announced(kling: KlingRunner, no_network: list[httpx.Request]) -> None:
    result = kling("--max-retries", "0", "tasks", "list", "text-to-video")

    assert [request.url.host for request in no_network] == ["api-singapore.klingai.com"]
    assert "Using Kling API" not in result.stderr


def test_host_notice_keeps_json_stdout_one_document(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "--json", "tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert "Using Kling API at" in result.stderr


@pytest.mark.usefixtures("real_keys")
def test_host_notice_hides_a_password_in_the_url(
    kling: KlingRunner, no_network: list[httpx.Request]
) -> None:
    url = "https://user:hunter2-password@api-beijing.klingai.com"

    result = kling("--base-url", url, "--max-retries", "0", "tasks", "list", "text-to-video")

    assert "Using Kling API at https://api-beijing.klingai.com (from --base-url)" in result.stderr
    assert "hunter2" not in result.output


def test_dotenv_expansion_still_prefers_exported_variables(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As with load_dotenv(override=False): ${MY_KEY} is the exported MY_KEY, not the file's.
    assert server.api_key is not None
    write_env(in_tmp, MY_KEY="not-the-key-0123456789", KLING_API_KEY="${MY_KEY}")
    monkeypatch.setenv("MY_KEY", server.api_key)

    result = kling("--base-url", server.url, "tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].headers["authorization"] == f"Bearer {server.api_key}"


# -- only the documented variables ------------------------------------------------------------


@pytest.mark.usefixtures("no_routing_env")
def test_dotenv_sets_only_the_kling_variables_and_names_the_lines_it_ignored(
    kling: KlingRunner, server: FakeKlingServer, in_tmp: Path
) -> None:
    # TLS would write its session secrets to SSLKEYLOGFILE; a proxy or a CA would read the keys.
    env_file = write_env(
        in_tmp,
        f"SSLKEYLOGFILE={in_tmp / 'keys.log'}",
        "HTTPS_PROXY=http://127.0.0.1:9",
        f"SSL_CERT_FILE={in_tmp / 'attacker-ca.pem'}",
        KLING_BASE_URL=server.url,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
    )

    result = kling("tasks", "list", "text-to-video", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert server.fake.requests
    assert not (in_tmp / "keys.log").exists()
    assert (
        f"Ignored in {env_file}: line 1 (SSLKEYLOGFILE), line 2 (HTTPS_PROXY), line 3 "
        "(SSL_CERT_FILE). kling reads only KLING_ACCESS_KEY, KLING_SECRET_KEY, KLING_API_KEY, "
        "KLING_BASE_URL, KLING_LOG from a .env"
    ) in " ".join(result.stderr.split())
    for name in ("SSLKEYLOGFILE", "HTTPS_PROXY", "SSL_CERT_FILE"):
        assert name not in os.environ
