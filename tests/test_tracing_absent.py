"""Tracing costs nothing when OpenTelemetry is absent, and is decided only by a client.

Each test runs a fresh interpreter: what ``import kling`` and the calls import is the point.
OpenTelemetry is hidden the two ways a process can lack it: a ``None`` in ``sys.modules`` (as
if blocked), or an import hook that finds nothing (as if not installed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_HIDE = {
    "blocked": "sys.modules['opentelemetry'] = None\n",
    "not installed": (
        "import importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'opentelemetry':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
    ),
}

_MOCK = (
    "def answer(request):\n"
    "    status = 'submitted' if request.method == 'POST' else 'succeed'\n"
    "    return httpx.Response(200, json={'code': 0, 'message': 'ok', 'request_id': 'r',\n"
    "        'data': {'task_id': 't1', 'task_status': status, 'created_at': 1767225600000}})\n"
)

_CALLS = (
    "import asyncio, httpx\n"
    "from kling import AsyncKlingClient, KlingClient\n"
    + _MOCK
    + "with httpx.Client(transport=httpx.MockTransport(answer)) as http:\n"
    "    client = KlingClient(api_key='k', http_client=http)\n"
    "    done = client.text_to_video.create_and_wait(prompt='a corgi', poll_interval=0.01)\n"
    "    assert done.task_status == 'succeed'\n"
    "    client.text_to_video.wait(client.text_to_video.create(prompt='a corgi'))\n"
    "async def main():\n"
    "    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:\n"
    "        client = AsyncKlingClient(api_key='k', http_client=http)\n"
    "        done = await client.text_to_video.create_and_wait(prompt='a corgi',"
    " poll_interval=0.01)\n"
    "        assert done.task_status == 'succeed'\n"
    "asyncio.run(main())\n"
)

_REPORT = (
    "import json\n"
    "from kling import _tracing\n"
    "print(json.dumps({\n"
    "    'otel': sorted(m for m in sys.modules if m.split('.')[0] == 'opentelemetry' and"
    " sys.modules[m] is not None),\n"
    "    'kling_otel': 'kling._otel' in sys.modules,\n"
    "    'decided': _tracing._decision is not _tracing._UNDECIDED,\n"
    "    'tracing': _tracing._decision is not None"
    " and _tracing._decision is not _tracing._UNDECIDED,\n"
    "}))\n"
)


def _run(program: str, **env: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + program + _REPORT],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, **env},
    )
    report: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return report


@pytest.mark.parametrize("how", list(_HIDE))
def test_without_opentelemetry_calls_work_and_nothing_of_it_is_imported(how: str) -> None:
    report = _run(_HIDE[how] + _CALLS)
    assert report == {"otel": [], "kling_otel": False, "decided": True, "tracing": False}


def test_import_kling_neither_imports_opentelemetry_nor_decides() -> None:
    report = _run("import kling\n")
    assert report == {"otel": [], "kling_otel": False, "decided": False, "tracing": False}


def test_installed_but_unused_opentelemetry_is_not_imported_by_kling() -> None:
    # A provider can only be set through opentelemetry.trace: until the application imports
    # it, no span could be recorded, and kling does not pay for the import.
    report = _run(_CALLS)
    assert report == {"otel": [], "kling_otel": False, "decided": True, "tracing": True}


def test_once_the_application_imports_opentelemetry_kling_traces_with_it() -> None:
    report = _run("import opentelemetry.trace\n" + _CALLS)
    assert report["kling_otel"] is True
    assert report["tracing"] is True


def test_kling_can_be_left_out_of_tracing_with_opentelemetry_installed() -> None:
    report = _run(_CALLS, OTEL_PYTHON_DISABLED_INSTRUMENTATIONS="httpx, kling")
    assert report == {"otel": [], "kling_otel": False, "decided": True, "tracing": False}


def test_spans_go_to_the_global_provider_without_any_code_change() -> None:
    program = (
        "from opentelemetry import trace\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.export import SimpleSpanProcessor\n"
        "from opentelemetry.sdk.trace.export.in_memory_span_exporter import"
        " InMemorySpanExporter\n"
        "exporter = InMemorySpanExporter()\n"
        "provider = TracerProvider()\n"
        "provider.add_span_processor(SimpleSpanProcessor(exporter))\n"
        "trace.set_tracer_provider(provider)\n"
        + _CALLS
        + "names = sorted({span.name for span in exporter.get_finished_spans()})\n"
        "print(json.dumps(names))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + program],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    names = json.loads(result.stdout.splitlines()[-1])
    assert names == [
        "GET /v1/videos/text2video/{task_id}",
        "POST /v1/videos/text2video",
        "kling POST /v1/videos/text2video",
        "kling.poll",
        "kling.task",
        "kling.task.create_and_wait",
    ]


def test_no_span_is_made_until_the_application_sets_a_tracer_provider() -> None:
    # The API alone makes every span a no-op: the calls skip them (and the task records) until
    # a provider is set, and trace from then on.
    program = (
        "import httpx\n"
        "from opentelemetry import trace\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from kling import KlingClient\n"
        + _MOCK
        + "with httpx.Client(transport=httpx.MockTransport(answer)) as http:\n"
        "    client = KlingClient(api_key='k', http_client=http)\n"
        "    before = client.text_to_video.create(prompt='a corgi')\n"
        "    trace.set_tracer_provider(TracerProvider())\n"
        "    after = client.text_to_video.create(prompt='a corgi')\n"
        "print(json.dumps([before._trace is None, after._trace is None]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + program],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout.splitlines()[-1]) == [True, False]
