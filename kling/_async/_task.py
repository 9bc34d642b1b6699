"""``AsyncTask``: a legacy task bound to the client that fetched it (``AsyncV2Task``, the new
standard's, is ``_task_v2``).

Both download their results the same way (:class:`AsyncResultFiles`); a legacy task also
remembers its family, so that a wait over tasks of both standards knows where to poll each one.
The new standard's models live apart so that a legacy create never makes their classes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import PrivateAttr

from .._call_options import NOT_GIVEN
from .._errors import KlingError
from .._models import TaskBase

if TYPE_CHECKING:
    from .._config import TimeoutTypes
    from .._quote import Quote
    from ._client import AsyncKlingClient
    from ._download import ProgressHook
    from ._task_v2 import AsyncV2Task

__all__ = ["AnyAsyncTask", "AsyncResultFiles", "AsyncTask"]


class AsyncResultFiles:
    """Downloading a task's result files, for either standard's task model."""

    if TYPE_CHECKING:  # declared by the models (a mixin's annotation would become a field)
        _client: AsyncKlingClient | None
        task_id: str
        task_status: str
        videos: list[Any]
        images: list[Any]
        audios: list[Any]

        def __getstate__(self) -> dict[Any, Any]: ...

    def result_urls(self) -> list[str]:
        """Every result file's URL: videos, images (each image's ``urls``), then audios (mp3
        before wav)."""
        urls = [v.url for v in self.videos]
        for image in self.images:
            urls += image.urls
        for audio in self.audios:
            urls += [audio.url, audio.url_mp3, audio.url_wav]
        return [url for url in urls if url]

    async def download(
        self,
        target: str | os.PathLike[str] = ".",
        *,
        on_progress: ProgressHook | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> list[Path]:
        """Download the results into directory ``target`` (or to file ``target`` if just one).

        Files are named ``<task_id>-<n><ext>``; each is written to a temporary file and renamed
        when complete, so a half-written file never appears under the final name. ``timeout``
        replaces the client's for these downloads' requests (the extra headers of the call
        that got the task never go to the file's host).
        """
        from .._paths import plan_targets  # with the first download, not the first task
        from ._download import download_url

        if self._client is None:
            raise KlingError("this task is not bound to a client; fetch it with the client first")
        urls = self.result_urls()
        if not urls:
            raise KlingError(
                f"task {self.task_id} has no result files (status {self.task_status}); "
                "wait for it to succeed first"
            )
        targets = plan_targets(self.task_id, urls, target)
        client = (
            self._client if timeout is NOT_GIVEN else self._client.with_options(timeout=timeout)
        )
        return [
            await download_url(client, url, dest, on_progress=on_progress)
            for url, dest in zip(urls, targets, strict=True)
        ]

    def _unbound_state(self, state: dict[Any, Any]) -> dict[Any, Any]:
        # The client (its pool and locks) cannot cross a process: a task arrives unbound.
        private = state.get("__pydantic_private__")
        if private:
            # Nor does a span's record: the task arrives untraced.
            state["__pydantic_private__"] = {**private, "_client": None, "_trace": None}
        return state


class AsyncTask(AsyncResultFiles, TaskBase):
    """A legacy Kling task bound to the client that fetched it.

    ``await task.download("out/")`` saves every result file of a finished task.
    """

    _client: AsyncKlingClient | None = PrivateAttr(default=None)
    #: The family whose endpoint it came from (``text_to_video``), when known.
    _family: str | None = PrivateAttr(default=None)
    #: Its ``STATE_FIELDS`` as a poll read them (None: not built by a poll).
    _state: tuple[Any, ...] | None = PrivateAttr(default=None)
    #: What its create cost by the price table, when this client created it (compared with
    #: Kling's charge when a wait sees it finish: ``kling._charges``).
    _quote: Quote | None = PrivateAttr(default=None)
    #: Its kind, when this client created it: ``(row, model, mode or resolution, duration)``,
    #: which Kling's list items do not echo (``kling._eta``).
    _kind: tuple[str, ...] | None = PrivateAttr(default=None)
    #: The record of its task span, when this client created it and traces (``kling._otel``).
    _trace: Any = PrivateAttr(default=None)

    def __getstate__(self) -> dict[Any, Any]:
        return self._unbound_state(super().__getstate__())


if TYPE_CHECKING:
    #: A task of either standard. For annotations only: at run time this module does not import
    #: the new standard's models.
    AnyAsyncTask: TypeAlias = AsyncTask | AsyncV2Task
