"""What a client's first create imports and builds: what it needs, nothing more.

The start-up benchmark (``benchmarks/_imports.py``) times a whole first create of each client
against the same call written with raw httpx; these tests keep the work it leaves out from
creeping back: the new standard's models and the endpoints' results, the waiting, batching,
paging and download code, anyio (with a transport of its own, httpx needs none), ``difflib``,
and the validators of the task bases and nested models the clients never use on their own.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_MOCK = (
    "httpx.MockTransport(lambda r: httpx.Response(200, json={'code': 0, 'message': 'ok', "
    "'data': {'task_id': 't1', 'task_status': 'submitted', 'created_at': 1767225600000}}))"
)
_REPORT = (
    "from kling import _models\n"
    "built = [name for name in _models.__all__\n"
    "         if getattr(getattr(_models, name), '__pydantic_complete__', False)]\n"
    "report = {'modules': sorted(sys.modules), 'built': built}\n"
    "print(json.dumps(report))\n"
)
_ASYNC = (
    "import asyncio, json, sys, httpx\n"
    "from kling import AsyncKlingClient\n"
    "async def main():\n"
    f"    async with httpx.AsyncClient(transport={_MOCK}) as http:\n"
    "        client = AsyncKlingClient(api_key='k', http_client=http)\n"
    "        task = await client.text_to_video.create(prompt='a corgi')\n"
    "        assert task.task_id == 't1'\n"
    "asyncio.run(main())\n" + _REPORT
)
_SYNC = (
    "import json, sys, httpx\n"
    "from kling import KlingClient\n"
    f"with httpx.Client(transport={_MOCK}) as http:\n"
    "    client = KlingClient(api_key='k', http_client=http)\n"
    "    task = client.text_to_video.create(prompt='a corgi')\n"
    "    assert task.task_id == 't1'\n" + _REPORT
)
#: Modules of the client's package a legacy create has no use for (``{}``: the client's own).
_UNNEEDED = (
    "kling._models_v2",
    "kling._models_endpoints",
    "kling.{}._task_v2",
    "kling.{}._batch",
    "kling.{}._waiting",
    "kling.{}._poller",
    "kling.{}._finishing",
    "kling.{}._pagination",
    "kling.{}._download",
    "difflib",
    # Other families' and the new standard's parameters: a row names its TypedDict and rules.
    "kling._params._image",
    "kling._params._audio",
    "kling._params._general",
    "kling._params._lip_sync",
    "kling._params._standard",
    # What a download and a selection session check: with the first of them.
    "kling._paths",
    "kling._params._multi_elements",
)


def _first_create(program: str) -> tuple[set[str], list[str]]:
    """The modules imported by the end of ``program``, and the ``kling._models`` classes whose
    own validators were built."""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(result.stdout)
    return set(report["modules"]), report["built"]


@pytest.mark.parametrize(("program", "package"), [(_ASYNC, "_async"), (_SYNC, "_sync")])
def test_a_first_create_imports_only_what_it_needs(program: str, package: str) -> None:
    modules, built = _first_create(program)
    assert {name.format(package) for name in _UNNEEDED} & modules == set()
    assert "anyio" not in modules
    # The task model is the client's bound subclass, whose validator holds the nested models'
    # schemas: neither its base nor a nested model (``task_info``, ``task_result``, left out of
    # a create's answer) is built on its own.
    assert built == []
