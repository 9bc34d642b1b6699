# %% [markdown]
# # Kling from a notebook, synchronously
#
# Each `# %%` block is a cell: open this file in Jupyter (via jupytext), VS Code or PyCharm and
# run the cells one by one, or run the whole file with `python examples/notebook_sync.py`.
#
# With `KLING_ACCESS_KEY` and `KLING_SECRET_KEY` (or `KLING_API_KEY`) set, it talks to Kling and
# **is billed**: one 5 s video and two images. Without them it starts FakeKling, the fake Kling
# server that ships with the SDK (`pip install 'kling[testing]'`), so it runs anywhere for free.

# %%
import os

import kling
from kling import KlingClient
from kling.testing import FakeKling, Timing

if os.environ.get("KLING_ACCESS_KEY") or os.environ.get("KLING_API_KEY"):
    server = None
    client = KlingClient()  # keys (and KLING_BASE_URL, if set) come from the environment
else:
    # A fake task spends 0.5 s "submitted" and 1 s "processing"; a real video takes minutes.
    server = FakeKling.serve(timing=Timing.seconds(0.5, 1)).start()
    client = KlingClient(server.access_key, server.secret_key, base_url=server.url)
    print(f"No Kling keys in the environment: using FakeKling at {server.url}")

# %% [markdown]
# ## Text to video
#
# `create_and_wait` submits the task and polls until it finishes. `on_progress` is called after
# every poll with the task and the seconds waited so far.


# %%
def show_progress(task: kling.Task, elapsed: float) -> None:
    print(f"  {elapsed:5.1f}s  {task.task_status}")


try:
    video_task = client.text_to_video.create_and_wait(
        prompt="a corgi surfing a wave at sunset, cinematic",
        duration="5",
        aspect_ratio="16:9",
        # The first poll comes after 1 s; the interval then grows by half each time, up to 15 s.
        poll_interval=1.0,
        on_progress=show_progress,
    )
except kling.TaskFailedError as e:
    # The task ran and ended "failed"; e.task holds its last state (and nothing was charged).
    print(f"Generation failed: {e.task.task_status_msg}")
    raise

print(f"Task {video_task.task_id}: {video_task.videos[0].url}")

# %%
# Result URLs expire 30 days after generation: keep the files, not the links.
paths = video_task.download("out/")
for path in paths:
    print(f"Saved {path} ({path.stat().st_size} bytes)")

# %% [markdown]
# ## Images
#
# Every task family has the same verbs; `n=2` asks for two images in one task.

# %%
image_task = client.images.create_and_wait(
    prompt="a watercolor lighthouse on a cliff, morning fog",
    n=2,
    aspect_ratio="1:1",
    poll_interval=1.0,
)
for image, path in zip(image_task.images, image_task.download("out/"), strict=True):
    print(f"Image {image.index}: saved {path}")

# %% [markdown]
# ## Recent tasks
#
# `list()` pages through the family's tasks, newest first; `limit` stops the paging early.

# %%
for task in client.text_to_video.list(limit=5):
    created = f"{task.created_at:%Y-%m-%d %H:%M}" if task.created_at else "?"
    print(f"{task.task_id}  {task.task_status:<10}  {created}")

# %% [markdown]
# ## Errors
#
# Parameters the SDK can check are rejected before anything is sent. Errors from Kling carry the
# HTTP status (`code`), Kling's own code (`api_code`) and the `request_id` Kling support asks for.

# %%
try:
    client.text_to_video.create(prompt="a corgi", cfg_scale=3)  # cfg_scale must be 0..1
except kling.InvalidParameterError as e:
    print(f"Rejected before sending: {e}")

try:
    client.text_to_video.get("000000000000000000")  # no such task
except kling.KlingAPIError as e:
    print(f"Kling said: {e.message}")
    print(f"  HTTP {e.code}, Kling code {e.api_code}, request_id {e.request_id}")

# %%
client.close()
if server is not None:
    server.stop()
