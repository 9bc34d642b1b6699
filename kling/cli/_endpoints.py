"""The synchronous endpoints: ``kling tts``, ``kling identify-face``, ``kling image-recognize``.

They answer at once (no task to wait for); ``--output DIR`` downloads the files they link to.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import typer

from kling import KlingError
from kling._families import ENDPOINTS as ROWS

from ._checks import check_directory
from ._commands import Command
from ._errors import CliError
from ._families import add_command, dry_run_option, output_options
from ._output import download_all, err_console, out_console, print_json, print_table
from ._state import CliState, get_state

if TYPE_CHECKING:
    # Only named here: importing pydantic costs kling --help more than all the rest of kling.
    from pydantic import BaseModel

    from kling import KlingClient

__all__ = ["ENDPOINTS", "register"]

#: Endpoint key -> how to call it on a client.
ENDPOINTS: dict[str, Callable[[Any], Callable[..., BaseModel]]] = {
    "tts": lambda client: client.tts.create,
    "identify_face": lambda client: client.identify_face,
    "image_recognize": lambda client: client.image_recognize,
}

_URL_KEYS = ("url", "url_mp3", "url_wav")
PANEL = "Instant (answers at once)"


def register(app: typer.Typer) -> None:
    for key in ENDPOINTS:
        command = Command(ROWS[key].command_name, legacy=ROWS[key])
        add_command(app, command, command.name, _runner(key), _options, panel=PANEL)


def _options() -> list[inspect.Parameter]:
    return [*output_options(), dry_run_option()]


def _runner(key: str) -> Callable[[typer.Context, dict[str, Any], dict[str, Any]], None]:
    def run(ctx: typer.Context, params: dict[str, Any], options: dict[str, Any]) -> None:
        state = get_state(ctx)
        if options.get("opt_dry_run"):
            from ._quotes import print_dry_run

            print_dry_run(ROWS[key], params, None, json=state.json)
            return
        typed: str | None = options.get("opt_output")
        output = Path(typed) if typed is not None else None
        if output is not None:
            check_directory(output)  # before the call: it may be paid for
        client = state.client()
        result = ENDPOINTS[key](client)(**params)
        files: list[Path] | None = None
        if output is not None:
            files = _save(state, client, result_urls(result.model_dump(mode="json")), output)
        if state.json:
            data = result.model_dump(mode="json")
            if files is not None:
                data["files"] = [str(path) for path in files]
            print_json(data)
        else:
            _print_result(key, result, files or [])

    return run


def _save(state: CliState, client: KlingClient, urls: list[str], output: Path) -> list[Path]:
    """Download into ``output``; when that fails, the error still gives the URLs."""
    try:
        if urls:
            output.mkdir(parents=True, exist_ok=True)
        return download_all(client, [(url, output) for url in urls], enabled=not state.json)
    except (KlingError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CliError(
            f"The answer's files could not be saved to {str(output)!r}: {reason}. Their URLs "
            "follow; download them before they expire.",
            details={"urls": urls},
            notes=urls,
        ) from exc


def result_urls(data: Any) -> list[str]:
    """Every http(s) URL under a ``url``-like key of a result, in order, without repeats."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _URL_KEYS and isinstance(value, str):
                if urlsplit(value).scheme in ("http", "https") and value not in found:
                    found.append(value)
            else:
                found += [url for url in result_urls(value) if url not in found]
    elif isinstance(data, list):
        for item in data:
            found += [url for url in result_urls(item) if url not in found]
    return found


def _print_result(key: str, result: BaseModel, files: list[Path]) -> None:
    data = result.model_dump(mode="json")
    console = out_console()
    if key == "identify_face":
        console.print(f"session_id: {data.get('session_id')}")
        faces = data.get("face_data") or []
        print_table(
            "Faces",
            ("face_id", "start (ms)", "end (ms)", "image"),
            [
                [_cell(f.get(k)) for k in ("face_id", "start_time", "end_time", "face_image")]
                for f in faces
            ],
        )
    elif key == "image_recognize":
        images = (data.get("task_result") or {}).get("images") or []
        print_table(
            "Recognized",
            ("type", "contains", "url"),
            [
                [str(i.get("type")), str(i.get("is_contain")), str(i.get("url") or "")]
                for i in images
            ],
        )
    else:
        for url in result_urls(data):
            console.print(f"audio: {url}")
        if not result_urls(data):
            err_console().print("No audio in the answer.")
    for path in files:
        console.print(f"Saved {path}")


def _cell(value: object) -> str:
    return "" if value is None else str(value)
