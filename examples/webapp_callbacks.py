"""A Starlette app that submits Kling videos and learns their fate from callbacks, not polling.

* ``POST /videos`` with ``{"prompt": "..."}`` submits a text-to-video task whose
  ``callback_url`` points back at this app, and answers ``202`` with the task id.
* ``POST /kling/callback`` is where Kling reports every status change. It checks the Standard
  Webhooks signature (when ``KLING_WEBHOOK_SECRET`` is set), ignores redeliveries, records the
  state and answers at once; a finished task is then re-fetched from the API in the background.
* ``GET /videos/{task_id}`` returns what the app knows about a task.

One ``AsyncKlingClient`` is created in the lifespan and shared by every request: it holds the
connection pool and the signed token, both meant to be reused.

Configuration (environment):

    KLING_ACCESS_KEY, KLING_SECRET_KEY  or  KLING_API_KEY   credentials (read by the client)
    KLING_BASE_URL           API endpoint (default: Kling's global endpoint)
    KLING_WEBHOOK_SECRET     the console's whsec_... value; without it callbacks are unverified
    PUBLIC_URL               this app's URL as Kling sees it (default http://127.0.0.1:$PORT);
                             Kling must be able to reach it, e.g. through a tunnel
    HOST, PORT               where uvicorn listens (default 127.0.0.1:8000)

Run:

    python examples/webapp_callbacks.py          # with credentials: serve until Ctrl-C
    python examples/webapp_callbacks.py          # without: a self-contained demo on FakeKling
    python examples/webapp_callbacks.py --demo   # the demo, even with credentials
    uvicorn --factory webapp_callbacks:create_app --app-dir examples   # the app alone
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import logging
import os
import secrets
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import kling
from kling import AsyncKlingClient, webhooks

CALLBACK_PATH = "/kling/callback"

logger = logging.getLogger("webapp_callbacks")


@dataclass(frozen=True)
class Settings:
    public_url: str
    """Base URL Kling POSTs callbacks to; ``CALLBACK_PATH`` is appended."""
    webhook_secret: str | None = None
    # None: the client reads KLING_ACCESS_KEY / KLING_SECRET_KEY / KLING_API_KEY / KLING_BASE_URL.
    access_key: str | None = None
    secret_key: str | None = None
    base_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        port = os.environ.get("PORT", "8000")
        return cls(
            public_url=os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{port}"),
            webhook_secret=os.environ.get("KLING_WEBHOOK_SECRET") or None,
        )

    @property
    def callback_url(self) -> str:
        return self.public_url.rstrip("/") + CALLBACK_PATH


# Later states never give way to earlier ones: callbacks can arrive out of order.
_ORDER = {"submitted": 0, "processing": 1, "succeed": 2, "failed": 2}


def _record(task_id: str, prompt: str | None) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "prompt": prompt,
        "task_status": "submitted",
        "task_status_msg": None,
        "videos": [],
        "history": [],  # statuses in the order their callbacks arrived
        "confirmed": False,  # True once a finished state was re-fetched from the API
    }


@dataclass
class VideoStore:
    """What the app knows about its tasks, in memory. A real app would use its database."""

    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def submitted(self, task: kling.TaskBase, prompt: str) -> None:
        # setdefault: the first callback may have arrived before the create call returned.
        self.tasks.setdefault(task.task_id, _record(task.task_id, prompt))["prompt"] = prompt

    def is_new(self, task: kling.TaskBase) -> bool:
        """False for a (task, status) pair already handled: Kling may deliver one twice."""
        key = (task.task_id, task.task_status)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def update(self, task: kling.TaskBase, *, confirmed: bool = False) -> None:
        record = self.tasks.setdefault(task.task_id, _record(task.task_id, prompt=None))
        if not confirmed:
            record["history"].append(task.task_status)
        if _ORDER.get(task.task_status, 0) < _ORDER.get(record["task_status"], 0):
            return
        record["task_status"] = task.task_status
        record["task_status_msg"] = task.task_status_msg or None
        record["videos"] = [video.url for video in task.videos]
        record["confirmed"] = record["confirmed"] or confirmed


# -- the app --------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    store = VideoStore()
    client: AsyncKlingClient  # set by the lifespan, before any request is served

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        nonlocal client
        if not settings.webhook_secret:
            logger.warning("KLING_WEBHOOK_SECRET is not set: callbacks are NOT verified")
        client = AsyncKlingClient(
            settings.access_key, settings.secret_key, base_url=settings.base_url
        )
        async with client:
            yield

    async def submit_video(request: Request) -> Response:
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"error": "body must be JSON"}, status_code=400)
        prompt = payload.get("prompt") if isinstance(payload, dict) else None
        if not isinstance(prompt, str) or not prompt.strip():
            return JSONResponse({"error": "'prompt' must be a non-empty string"}, status_code=422)
        try:
            task = await client.text_to_video.create(
                prompt=prompt, callback_url=settings.callback_url
            )
        except kling.InvalidParameterError as e:  # caught by the SDK, nothing was sent
            return JSONResponse({"error": str(e)}, status_code=422)
        except kling.KlingAPIError as e:
            # Keep request_id: it is what Kling support needs to find the call.
            logger.error("Kling refused the task: %s", e)
            body = {"error": e.message, "api_code": e.api_code, "request_id": e.request_id}
            return JSONResponse(body, status_code=502)
        store.submitted(task, prompt)
        return JSONResponse(
            {"task_id": task.task_id, "status_url": f"/videos/{task.task_id}"}, status_code=202
        )

    async def kling_callback(request: Request) -> Response:
        body = await request.body()  # the raw bytes: the signature covers them exactly
        try:
            if settings.webhook_secret:
                task = webhooks.unwrap(body, request.headers, settings.webhook_secret)
            else:
                task = webhooks.parse(body)
        except (webhooks.WebhookVerificationError, kling.InvalidParameterError) as e:
            logger.warning("Rejected a callback: %s", e)
            return Response(status_code=400)
        if not store.is_new(task):
            return Response(status_code=200)  # a redelivery: already handled
        store.update(task)
        # Answer now and confirm afterwards: a slow answer makes Kling deliver again.
        background = BackgroundTask(confirm, task.task_id) if task.is_finished else None
        return Response(status_code=200, background=background)

    async def confirm(task_id: str) -> None:
        # A callback says *that* the task changed; the API says what is true. Take result URLs
        # (and anything you bill your own users for) from the API, not from the callback body.
        try:
            task = await client.text_to_video.get(task_id)
        except kling.KlingError as e:
            logger.error("Could not re-fetch task %s: %s", task_id, e)
            return
        store.update(task, confirmed=True)

    async def get_video(request: Request) -> Response:
        record = store.tasks.get(request.path_params["task_id"])
        if record is None:
            return JSONResponse({"error": "unknown task"}, status_code=404)
        return JSONResponse(record)

    return Starlette(
        routes=[
            Route("/videos", submit_video, methods=["POST"]),
            Route("/videos/{task_id}", get_video, methods=["GET"]),
            Route(CALLBACK_PATH, kling_callback, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


# -- running it -----------------------------------------------------------------------------------


def serve() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = Settings.from_env()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    print(f"Callbacks will be sent to {settings.callback_url}")
    uvicorn.run(create_app(settings), host=host, port=port)


async def demo() -> int:
    """Run the app against FakeKling, submit one video over HTTP and wait for its callbacks."""
    from kling.testing import FakeKling, Timing

    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    # The fake signs its callbacks with this secret, as Kling does once one exists in the console.
    with FakeKling.serve(timing=Timing.seconds(0.5, 1), webhook_secret=webhook_secret) as fake:
        # Bind first, so the callback URL (which needs the port) exists before the app starts.
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        app_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        settings = Settings(
            public_url=app_url,
            webhook_secret=webhook_secret,
            access_key=fake.access_key,
            secret_key=fake.secret_key,
            base_url=fake.url,
        )
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if serving.done():
                    serving.result()  # re-raises why uvicorn did not start
                    return 1
                await asyncio.sleep(0.01)
            print(f"FakeKling at {fake.url}; app at {app_url}")
            async with httpx.AsyncClient(base_url=app_url) as http:
                record = await asyncio.wait_for(_submit_and_watch(http), timeout=30)
        finally:
            server.should_exit = True
            await serving
            sock.close()
    print(json.dumps(record, indent=2))
    return 0 if record["task_status"] == "succeed" else 1


async def _submit_and_watch(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.post("/videos", json={"prompt": "a paper boat sailing down a gutter"})
    response.raise_for_status()
    task_id = response.json()["task_id"]
    print(f"POST /videos -> task {task_id}")
    # This stands in for a browser asking our app; nothing here polls Kling.
    last = None
    while True:
        record: dict[str, Any] = (await http.get(f"/videos/{task_id}")).json()
        if record["task_status"] != last:
            last = record["task_status"]
            print(f"GET /videos/{task_id} -> {last} (callbacks so far: {record['history']})")
        if record["confirmed"]:
            return record
        await asyncio.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kling callbacks in a Starlette app")
    parser.add_argument(
        "--demo", action="store_true", help="run the FakeKling demo even with credentials"
    )
    args = parser.parse_args(argv)
    has_credentials = os.environ.get("KLING_ACCESS_KEY") or os.environ.get("KLING_API_KEY")
    if args.demo or not has_credentials:
        return asyncio.run(demo())
    serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
