"""Fan out 100 prompts, collect the results as they finish, and count what it cost in requests.

Runs against FakeKling with room for only 10 unfinished tasks at a time, the way a Kling resource
pack limits parallel tasks. Creates beyond that are refused with 429 / code 1303; ``create_many``
slows down and keeps going instead of failing, and ``as_completed`` polls all the tasks through
the list endpoint, a few requests per round rather than one per task.

    python examples/fanout_100.py                 # asyncio
    python examples/fanout_100.py --backend trio  # the same code under trio (pip install trio)

Against Kling itself the fan-out code is unchanged: build the client from your keys instead.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from functools import partial

import anyio

import kling
from kling import AsyncKlingClient
from kling.testing import FakeKling, RecordedRequest, Timing

ANIMALS = ["corgi", "otter", "fox", "owl", "tortoise", "heron", "lynx", "yak", "mole", "eel"]
ACTIONS = [
    "surfing at sunset",
    "baking bread",
    "reading a map",
    "flying a kite",
    "playing chess",
    "riding a tram",
    "painting a mural",
    "fixing a bicycle",
    "watering tomatoes",
    "conducting an orchestra",
]
PROMPTS = [f"a {animal} {action}, watercolor style" for animal in ANIMALS for action in ACTIONS]


async def fan_out(client: AsyncKlingClient) -> tuple[int, int]:
    """Create a task per prompt and wait for them all; return (succeeded, failed)."""
    start = time.monotonic()
    created = await client.text_to_video.create_many(
        [{"prompt": prompt, "duration": "5"} for prompt in PROMPTS],
        # Creates in flight at once; halved automatically whenever Kling says it is full.
        concurrency=10,
    )
    # One bad item never fails the batch: each result is a task or the error that item got.
    tasks = [item for item in created if not isinstance(item, kling.KlingError)]
    errors = [item for item in created if isinstance(item, kling.KlingError)]
    for error in errors:
        print(f"  could not create: {error}")
    print(f"created {len(tasks)} tasks in {time.monotonic() - start:.1f} s")

    succeeded = failed = 0
    # Fake tasks take half a second, so most are done before the last create goes through; real
    # videos take minutes, and these lines trickle in. Against Kling keep the default interval.
    async for task in client.text_to_video.as_completed(tasks, poll_interval=0.5, timeout=600):
        if task.is_succeeded:
            succeeded += 1
        else:
            failed += 1
            print(f"  task {task.task_id} failed: {task.task_status_msg}")
        done = succeeded + failed
        if done % 10 == 0 or done == len(tasks):
            print(f"  {done:3d}/{len(tasks)} finished")
    return succeeded, failed + len(errors)


def request_kind(request: RecordedRequest) -> str:
    if request.method == "POST":
        return "create (throttled, 429)" if request.status == 429 else "create"
    return "status poll"


async def main(backend: str) -> None:
    # Each task stays 0.2 s "submitted" then 0.3 s "processing"; at most 10 may be unfinished.
    with FakeKling.serve(timing=Timing.seconds(0.2, 0.3), concurrency_limit=10) as server:
        async with AsyncKlingClient(
            server.access_key, server.secret_key, base_url=server.url
        ) as client:
            print(f"fanning out {len(PROMPTS)} prompts on {backend} (FakeKling at {server.url})")
            start = time.monotonic()
            succeeded, failed = await fan_out(client)
            wall = time.monotonic() - start

        requests = server.fake.requests
        print(f"{succeeded} succeeded, {failed} failed in {wall:.1f} s")
        kinds = Counter(request_kind(request) for request in requests)
        print(f"{len(requests)} HTTP requests, {len(requests) / len(PROMPTS):.2f} per task:")
        for kind, count in kinds.most_common():
            print(f"  {count:4d}  {kind}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Fan out 100 prompts against FakeKling")
    parser.add_argument("--backend", choices=["asyncio", "trio"], default="asyncio")
    args = parser.parse_args()
    anyio.run(partial(main, args.backend), backend=args.backend)
