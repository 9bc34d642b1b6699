"""Benchmarks for the kling SDK: reports, not tests.

Run everything with ``python -m benchmarks`` (``--quick`` for a short run, ``--only`` for some
sections). Each figure is a ratio against a baseline measured in the same run, on the same
machine; the run prints a table and rewrites ``benchmarks/RESULTS.md``.

Sections (one module each):

* ``overhead`` (``_overhead.py``): per-call cost of ``create``/``get`` against raw httpx + json +
  pydantic producing the same model, in-process (``httpx.MockTransport``) and over loopback to
  FakeKling, sync and async.
* ``import`` (``_imports.py``): start-up: ``import kling`` against ``import httpx, pydantic``,
  a client ready to call, a whole first create of each client, and ``kling --version``.
* ``fanout`` (``_fanout.py``): 1,000 tasks created and awaited against FakeKling with simulated
  latency, ``create_many`` + ``wait_all`` against a naive ``gather`` of create-and-poll, and a
  ``wait()`` per task gathered (requests per task, and how late each returns).
* ``memory`` (``_memory.py``): RSS and event-loop stalls of 1,000 in-flight waits, and a
  tracemalloc leak check.
* ``tracing`` (``_tracing.py``): per-call cost of ``create``/``get`` with OpenTelemetry absent,
  with the API alone, and with the SDK recording every span, each in processes of its own.

Helpers: ``_machine.py`` (what ran it), ``_report.py`` (table and ``RESULTS.md``),
``_server.py`` (FakeKling on 127.0.0.1 in a child process), ``_process.py`` (child processes,
RSS). ``python -m benchmarks._profile [create|get] [sync|async]`` shows where the SDK's
per-call overhead goes.
"""
