"""``AsyncKlingClient``: owns the ``httpx.AsyncClient`` and the one request pipeline.

Every API call goes through :meth:`AsyncKlingClient._request`: build, authenticate, send,
classify, retry, unwrap the envelope. Resources describe endpoints and never send by themselves.
"""

from __future__ import annotations

import functools
import os
import weakref
from collections.abc import Callable, Mapping
from functools import cache, cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx
from typing_extensions import Unpack

from kling import _compat_async as _compat

from .. import _tracing
from .._auth import KlingAuth
from .._call_options import NOT_GIVEN, CallOptions
from .._config import (
    DEFAULT_MAX_CONCURRENT_REQUESTS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AuthMode,
    ClientConfig,
    TimeoutTypes,
    clean_headers,
)
from .._errors import APIConnectionError, APITimeoutError, KlingError, MissingCredentialsError
from .._logging import setup_logging
from .._raw_response import LAST_RESPONSE
from .._response import list_items, parse_response
from .._retry import CallPolicy, note_attempts, retry_kwargs
from .._version import __version__
from ._generated_properties import AsyncFamilyProperties

if TYPE_CHECKING:
    from httpx._client import UseClientDefault
    from typing_extensions import Self

    from .._archive import ArchiveReport
    from .._budget import Budget, BudgetLike
    from .._call_options import Headers, Query
    from .._models_endpoints import FaceIdentification, ImageRecognition
    from .._params import IdentifyFaceParams, ImageRecognizeParams
    from ._archive import ArchiveOptions
    from ._custom_elements import AsyncCustomElements
    from ._download import ProgressHook
    from ._endpoints import AsyncAccount, AsyncTTS
    from ._generated_products import AsyncV2
    from ._jobs import AsyncBatch
    from ._raw import AsyncKlingWithRawResponse
    from ._task import AnyAsyncTask, AsyncTask
    from ._task_v2 import AsyncV2Task

__all__ = ["AsyncKlingClient"]

T = TypeVar("T")

_USER_AGENT = f"kling-python/{__version__}"


class _Shared:
    """What a client shares with the copies ``with_options`` makes: the in-flight limit, the
    pollers and the budget, as it shares the connection pool."""

    def __init__(
        self,
        limiter: _compat.Limiter,
        creates: _compat.Limiter,
        pool_defaults: tuple[dict[str, str], httpx.Timeout] | None,
        budget: Budget | None = None,
    ) -> None:
        self.limiter = limiter
        #: The creates being prepared or sent (twice the requests in flight): the others wait
        #: before their parameters are checked and their media read, so that ten thousand
        #: creates started at once neither hold ten thousand bodies in memory nor check them
        #: all at once, before any other work gets a turn.
        self.creates = creates
        #: What the creates may spend, shared by the copies as well (``kling._budget``).
        self.budget = budget
        #: The headers and timeout an SDK-owned pool was built with (None for the caller's
        #: http_client): requests that would repeat them leave them out, since httpx merges
        #: per-request headers and timeouts anew on every call.
        self.pool_defaults = pool_defaults
        #: (family name, auth) -> that family's poller: copies with other keys poll apart.
        self.pollers: dict[tuple[str, object], Any] = {}
        #: The pollers of waits given extra_headers or extra_query, by those too: held weakly,
        #: so that one per trace id does not outlive its waits.
        self.call_pollers: weakref.WeakValueDictionary[tuple[object, ...], Any] = (
            weakref.WeakValueDictionary()
        )
        #: Cache file -> that account's task history, for estimates (``kling._eta``).
        self.histories: dict[object, Any] = {}


class AsyncKlingClient(AsyncFamilyProperties):
    """Async client for the Kling AI API (asyncio or trio).

    Credentials come from the arguments, else from ``KLING_ACCESS_KEY``/``KLING_SECRET_KEY``
    (or ``KLING_API_KEY``); ``base_url`` from ``KLING_BASE_URL``, else the global endpoint.
    ``max_concurrent_requests`` bounds the requests in flight at once (the rest queue inside
    the SDK; the connection pool is sized to match). ``budget`` caps what its creates may spend,
    in resource-package units (:class:`~kling.Budget`, a mapping such as ``{"video": 100}``, or a
    number for all packages together): a create that would pass it raises
    ``BudgetExceededError`` before it is sent. Create one client and share it; close it (or use
    ``async with``) when done::

        async with AsyncKlingClient() as client:
            task = await client.text_to_video.create_and_wait(prompt="a corgi surfing at sunset")
            print(task.videos[0].url)
    """

    def __init__(
        self,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        auth: AuthMode = "both",
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_concurrent_requests: int = DEFAULT_MAX_CONCURRENT_REQUESTS,
        http_client: httpx.AsyncClient | None = None,
        default_headers: dict[str, str] | None = None,
        budget: BudgetLike | None = None,
    ) -> None:
        spending = None
        if budget is not None:  # the budget's module comes with the first budget
            from .._budget import budget_of

            spending = budget_of(budget)
        config = ClientConfig.resolve(
            access_key=access_key,
            secret_key=secret_key,
            base_url=base_url,
            api_key=api_key,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            max_concurrent_requests=max_concurrent_requests,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        pool_defaults = None
        if http_client is None:
            # As many pooled connections as requests may be in flight, all kept alive: the
            # limiter below queues the rest, so the pool never has waiters to cancel.
            size = config.max_concurrent_requests
            limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
            # Only headers that may go anywhere: downloads from CDNs share this pool.
            pool_defaults = ({"User-Agent": _USER_AGENT}, httpx.Timeout(config.timeout))
            http_client = httpx.AsyncClient(
                limits=limits, headers=pool_defaults[0], timeout=pool_defaults[1]
            )
        self._setup(
            config,
            _auths(config),
            http_client,
            _Shared(
                _compat.Limiter(config.max_concurrent_requests),
                _compat.Limiter(2 * config.max_concurrent_requests),
                pool_defaults,
                spending,
            ),
            _headers(default_headers),
        )

    def _setup(
        self,
        config: ClientConfig,
        auths: tuple[KlingAuth, KlingAuth | None],
        http_client: httpx.AsyncClient,
        shared: _Shared,
        headers: dict[str, str],
        call: CallOptions | None = None,
    ) -> None:
        setup_logging()
        #: Spans per request and task when OpenTelemetry is installed (``kling._tracing``).
        self._tracer = _tracing.active()
        self._config = config
        #: Legacy calls' auth (the key pair, else the API key), and the new standard's.
        self._auth, self._auth_v2 = auths
        self._http = http_client
        self._shared = shared
        self._limiter = shared.limiter
        self._default_headers = headers
        #: The client the tasks read are bound to: itself, or the one a call's copy was made of.
        self._plain = self
        pooled_headers, pooled_timeout = shared.pool_defaults or (None, None)
        #: What each request passes to httpx: the settings the pool does not already have.
        self._request_headers: dict[str, str] | None = (
            None if self._default_headers == pooled_headers else self._default_headers
        )
        self._request_timeout: TimeoutTypes | UseClientDefault = (
            httpx.USE_CLIENT_DEFAULT
            if httpx.Timeout(config.timeout) == pooled_timeout
            else config.timeout
        )
        #: One call's options (``_for_call``), and the query they add to each request.
        self._call_options = call
        self._extra_query = dict(call.query) if call and call.query else None
        if call is not None:
            if call.headers:
                self._request_headers = _headers(self._default_headers, dict(call.headers))
            if call.timeout is not NOT_GIVEN:
                self._request_timeout = cast("TimeoutTypes", call.timeout)

    # -- configuration ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def budget(self) -> Budget | None:
        """The spending limit of this client and its copies (None: no limit)."""
        return self._shared.budget

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    @property
    def timeout(self) -> TimeoutTypes:
        return self._config.timeout

    def with_options(
        self,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        auth: AuthMode | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: dict[str, str] | None = None,
    ) -> Self:
        """A copy with some settings changed that shares this client's connection pool.

        ``client.with_options(max_retries=0).text_to_video.get(task_id)``. Closing the copy
        leaves the pool open; close the original when done.
        """
        old = self._config
        new_keys = access_key is not None or secret_key is not None or api_key is not None
        config = ClientConfig.resolve(
            access_key=access_key if new_keys else old.access_key,
            secret_key=secret_key
            if new_keys
            else (old.secret_key.get() if old.secret_key else None),
            api_key=api_key if new_keys else (old.api_key.get() if old.api_key else None),
            base_url=base_url or old.base_url,
            auth=auth or old.auth,
            timeout=old.timeout if timeout is NOT_GIVEN else timeout,
            max_retries=old.max_retries if max_retries is None else max_retries,
            max_concurrent_requests=old.max_concurrent_requests,
        )
        same_auth = not new_keys and config.auth == old.auth and config.base_url == old.base_url
        clone = object.__new__(type(self))
        clone._owns_http = False
        clone._setup(
            config,
            (self._auth, self._auth_v2) if same_auth else _auths(config),
            self._http,
            self._shared,
            _headers(self._default_headers, default_headers),
        )
        return clone

    def _for_call(
        self, extra_headers: Headers | None, extra_query: Query | None, timeout: TimeoutTypes
    ) -> Self:
        """A copy for one call with its options (itself without any): it shares everything
        with this client, and its ``_send`` adds the options to each request. Tasks it reads
        are bound to this client, so that nothing the call asked for outlives it."""
        call = CallOptions.of(extra_headers, extra_query, timeout)
        if call is None:
            return self
        clone = object.__new__(type(self))
        clone._owns_http = False
        clone._setup(
            self._config,
            (self._auth, self._auth_v2),
            self._http,
            self._shared,
            self._default_headers,
            call,
        )
        clone._plain = self._plain
        return clone

    def _spending(self, budget: Budget) -> Self:
        """A copy whose creates spend from ``budget`` (made ``_within`` this client's own, if
        any): a batch's ``max_units``. It shares the in-flight limits, not the pollers, so that
        its tasks are read, and their charges seen, by the copy."""
        clone = object.__new__(type(self))
        clone._owns_http = False
        shared = _Shared(
            self._shared.limiter, self._shared.creates, self._shared.pool_defaults, budget
        )
        clone._setup(
            self._config, (self._auth, self._auth_v2), self._http, shared, self._default_headers
        )
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.describe()})"

    # -- lifecycle --------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- resources (imported on first use to keep ``import kling`` cheap; the task families'
    # attributes are generated into AsyncFamilyProperties) ---------------------------------------

    @cached_property
    def v2(self) -> AsyncV2:
        """Kling's new-standard API (Kling 3.0 video and later; API keys only).

        ``await client.v2.text_to_video.create(model="kling-3.0", prompt=..., duration=10)``;
        ``client.v2.tasks`` gets, lists and waits for tasks of both standards.
        """
        from ._generated_products import AsyncV2

        return AsyncV2(self)

    @cached_property
    def with_raw_response(self) -> AsyncKlingWithRawResponse:
        """The same methods, each returning a :class:`~kling.RawResponse` of its HTTP answer.

        ``raw = await client.with_raw_response.text_to_video.create(prompt=...)``:
        ``raw.status_code``, ``raw.headers``, ``raw.request_id``, ``raw.json()``, and
        ``raw.parse()`` for the task. For the calls that send one request (create, get, the
        synchronous endpoints, account pages), not for waits or listings.
        """
        from ._raw import AsyncKlingWithRawResponse

        return AsyncKlingWithRawResponse(self)

    @cached_property
    def batch(self) -> AsyncBatch:
        """Batch jobs from a file, resumable and exactly once, with a manifest.

        ``await client.batch.run("jobs.jsonl", output_dir="out/")``
        """
        from ._jobs import AsyncBatch

        return AsyncBatch(self)

    @cached_property
    def tts(self) -> AsyncTTS:
        """Text to speech (answers at once)."""
        from ._endpoints import AsyncTTS

        return AsyncTTS(self)

    @cached_property
    def account(self) -> AsyncAccount:
        """Account information: resource packs and their balances, and what each task cost."""
        from ._endpoints import AsyncAccount

        return AsyncAccount(self)

    @cached_property
    def custom_elements(self) -> AsyncCustomElements:
        """Kling's older element library (``/v1/general/custom-elements``): create, list,
        presets, delete. Newer elements are tasks: ``client.elements``."""
        from ._custom_elements import AsyncCustomElements

        return AsyncCustomElements(self)

    async def identify_face(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[IdentifyFaceParams],
    ) -> FaceIdentification:
        """Find the faces in a video (``video_id`` or ``video_url``) for advanced lip-sync.

        ``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout`` apply to this call
        only.
        """
        from .._families import ENDPOINTS
        from .._ids import random_external_id
        from .._models_endpoints import FaceIdentification
        from ._prepare import prepare
        from ._resources import budgeted

        endpoint = ENDPOINTS["identify_face"]
        client = self._for_call(extra_headers, extra_query, timeout)
        body = await prepare(endpoint, params, extra_body)
        send = functools.partial(
            client._request,
            "POST",
            endpoint.path,
            body=body,
            parse=FaceIdentification.model_validate,
            idempotent=False,
        )
        return await budgeted(client, endpoint, params, random_external_id(), send)

    async def image_recognize(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[ImageRecognizeParams],
    ) -> ImageRecognition:
        """Segment an ``image`` into subject, head, face and clothing masks.

        ``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout`` apply to this call
        only.
        """
        from .._families import ENDPOINTS
        from .._ids import random_external_id
        from .._models_endpoints import ImageRecognition
        from ._prepare import prepare
        from ._resources import budgeted

        endpoint = ENDPOINTS["image_recognize"]
        client = self._for_call(extra_headers, extra_query, timeout)
        body = await prepare(endpoint, params, extra_body)
        send = functools.partial(
            client._request,
            "POST",
            endpoint.path,
            body=body,
            parse=ImageRecognition.model_validate,
            idempotent=False,
        )
        return await budgeted(client, endpoint, params, random_external_id(), send)

    async def download(
        self,
        url: str,
        path: str | os.PathLike[str] = ".",
        *,
        on_progress: ProgressHook | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> Path:
        """Download one result URL to ``path``: a file name, or a directory to keep the URL's.

        Streams to a temporary file renamed when complete, resumes a dropped connection, and
        checks the size against ``Content-Length``. What comes back must be the media the URL
        (or ``path``) names by its extension, any result media if neither does: a login page,
        a JSON error or an empty body raises ``DownloadError`` and nothing is kept. No
        credentials are sent, nor any header but the SDK's. ``timeout`` replaces the
        client's for this download's requests.
        """
        from .._paths import check_url, resolve_target
        from ._download import download_url

        check_url(url)
        client = self if timeout is NOT_GIVEN else self.with_options(timeout=timeout)
        return await download_url(client, url, resolve_target(url, path), on_progress=on_progress)

    async def archive(
        self, directory: str | os.PathLike[str], **options: Unpack[ArchiveOptions]
    ) -> ArchiveReport:
        """Save the result files of every finished task on the account into ``directory``,
        before Kling deletes them (30 days after generation).

        Reads every family's list and the new standard's ``/tasks``; ``directory`` gets the
        files and ``archive.jsonl``, a line per file once it is whole and checked. Run it again
        (after a crash too): it saves only what is missing. Options: ``since``, ``families``,
        ``concurrency``, ``warn_days``, ``verify``, ``on_progress``.
        """
        from ._archive import archive

        return await archive(self, directory, **options)

    def _task(self, data: Any, family: str | None = None) -> AsyncTask:
        """A legacy task model bound to this client (so ``task.download()`` works)."""
        task = _legacy_task_model().model_validate(data)
        task._client = self._plain
        task._family = family
        if self._shared.budget is not None:
            self._shared.budget._observe(task)
        return task

    def _task_list(self, data: Any, family: str | None = None) -> list[AsyncTask]:
        """A page of tasks (``data: null`` is an empty page)."""
        return [self._task(item, family) for item in list_items(data)]

    def _polled(
        self,
        items: list[Any],
        known: Mapping[str, AnyAsyncTask],
        *,
        v2: bool,
        family: str | None = None,
    ) -> dict[str, AnyAsyncTask]:
        """The tasks of a poll's raw items (of one standard) that ``known`` holds, by id.

        A task whose item has the state it had when the known model was built by a poll is
        that model, not validated again: most polls of a long task find nothing new, and a
        page of 500 models would cost several times its JSON decoding, in time and garbage.
        Items of tasks nobody waits for are skipped without being validated.
        """
        model: type[AnyAsyncTask] = _v2_task_model() if v2 else _legacy_task_model()
        id_field, fields = model.ID_FIELD, model.STATE_FIELDS
        fresh: dict[str, AnyAsyncTask] = {}
        for item in items:
            if not isinstance(item, dict):
                continue
            task_id = item.get(id_field)
            current = known.get(task_id)  # type: ignore[arg-type]
            if current is None:
                continue
            state = tuple(map(item.get, fields))
            # Read where pydantic keeps private attributes: its __getattr__ for them costs
            # microseconds, a tenth of a round when nothing changed.
            if (current.__pydantic_private__ or {}).get("_state") != state:
                current = self._v2_task(item) if v2 else self._task(item, family)
                current._state = state
            fresh[task_id] = current  # type: ignore[index]
        return fresh

    def _v2_task(self, data: Any) -> AsyncV2Task:
        """A new-standard task model bound to this client."""
        task = _v2_task_model().model_validate(data)
        task._client = self._plain
        if self._shared.budget is not None:
            self._shared.budget._observe(task)
        return task

    def _v2_task_list(self, data: Any) -> list[AsyncV2Task]:
        return [self._v2_task(item) for item in list_items(data)]

    def _v2_auth(self) -> KlingAuth:
        """The API-key auth of new-standard calls; raises before sending when there is none."""
        if self._auth_v2 is None:
            raise MissingCredentialsError(
                "Kling's new-standard endpoints (client.v2) take an API key, not an access/"
                "secret key pair: create one in the console (https://kling.ai/dev/api-key) "
                "and pass api_key= or set KLING_API_KEY (the pair keeps working for the "
                "legacy endpoints)"
            )
        return self._auth_v2

    # -- the request pipeline ---------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[Any], T],
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        idempotent: bool = True,
        retry_rate_limits: bool = True,
        recover: Callable[[], _compat.Awaitable[T | None]] | None = None,
        auth: KlingAuth | None = None,
    ) -> T:
        """Send one logical call and return ``parse(data)``: build, auth, send, classify, retry.

        ``idempotent=False`` marks a call that may start a paid task (creates, TTS): it is
        repeated only when Kling said it did nothing (429 rate limits) or the request never
        left. ``recover`` makes a create safe after an ambiguous failure: it looks the task up
        by its ``external_task_id`` and returns it, or None when Kling has no such task, and
        only then is the create sent again. One budget for the whole call: at most
        ``max_retries + 1`` sends and as many lookups. ``auth`` replaces the legacy auth
        (new-standard calls pass their API-key auth).
        """
        if self._tracer is None or self._tracer.idle():
            return await self._call(
                method, path, parse, params, body, idempotent, retry_rate_limits, recover, auth
            )
        with self._tracer.tracing.call(method, path, body) as span:  # the parent of its sends
            return span.done(
                await self._call(
                    method, path, parse, params, body, idempotent, retry_rate_limits, recover, auth
                )
            )

    async def _call(
        self,
        method: str,
        path: str,
        parse: Callable[[Any], T],
        params: dict[str, Any] | None,
        body: dict[str, Any] | None,
        idempotent: bool,
        retry_rate_limits: bool,
        recover: Callable[[], _compat.Awaitable[T | None]] | None,
        auth: KlingAuth | None,
    ) -> T:
        """``_request`` without its span."""
        try:
            return await self._send(method, path, params, body, parse, auth)
        except KlingError as exc:
            first_failure = exc
        policy = CallPolicy(
            idempotent=idempotent,
            retry_rate_limits=retry_rate_limits,
            can_recover=recover is not None,
        )
        policy.send_failed(first_failure)
        if not policy.should_retry(first_failure):
            raise first_failure
        # Only a failure pays for the retry machinery (tenacity is imported here, not earlier).
        from tenacity import AsyncRetrying

        retrying = AsyncRetrying(
            **retry_kwargs(
                max_retries=self._config.max_retries,
                should_retry=policy.should_retry,
                sleep=_compat.sleep,
                describe=f"{method} {path}",
            )
        )
        result: Any = None
        attempts = 0
        try:
            async for attempt in retrying:
                attempts = attempt.retry_state.attempt_number
                with attempt:
                    if attempt.retry_state.attempt_number == 1:
                        raise first_failure  # replayed so that the policy decides what follows
                    if recover is not None and policy.needs_lookup:
                        try:
                            result = await recover()
                        except KlingError:
                            policy.lookup_failed()
                            raise
                        policy.lookup_done()
                        if result is not None:
                            continue  # found: a success, so tenacity stops
                    try:
                        result = await self._send(method, path, params, body, parse, auth)
                    except KlingError as exc:
                        policy.send_failed(exc)
                        raise
        except KlingError as exc:
            note_attempts(exc, attempts)
            if recover is None or not policy.wants_final_lookup(exc):
                raise
            try:
                found = await recover()
            except KlingError as lookup_error:
                raise exc from lookup_error
            if found is None:
                raise
            return found
        return cast("T", result)

    async def _send(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: dict[str, Any] | None,
        parse: Callable[[Any], T],
        auth: KlingAuth | None = None,
        *,
        poll: bool = False,
    ) -> T:
        """One request, no retry. ``poll=True`` marks a poll of waited-for tasks: it takes the
        limiter's priority lane, so a poll round never queues behind the creates of a batch."""
        if self._tracer is None or self._tracer.idle():
            response = await self._exchange(method, path, params, body, auth, poll)
            return parse_response(response, parse)
        with self._tracer.tracing.request(
            method, path, self._config.base_url
        ) as span:  # CLIENT span
            return span.parse(await self._exchange(method, path, params, body, auth, poll), parse)

    async def _exchange(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: dict[str, Any] | None,
        auth: KlingAuth | None,
        poll: bool,
    ) -> httpx.Response:
        """Send one request and return its response, or raise what a failure to get one means."""
        if self._extra_query is not None:  # a call's extra_query, over its own parameters
            params = {**(params or {}), **self._extra_query}
        try:
            async with self._limiter.priority if poll else self._limiter:
                # Built once a slot is free: building costs about 0.1 ms, and a thousand
                # callers that start at once would otherwise pay it in one turn of the loop.
                request = self._http.build_request(
                    method,
                    self._config.base_url + path,
                    params=params,
                    json=body,
                    headers=self._request_headers,
                    timeout=self._request_timeout,
                )
                # Never follow a redirect, even when the caller's http_client would: the
                # credentials must go to base_url's origin only.
                response = await self._http.send(
                    request, auth=auth or self._auth, follow_redirects=False
                )
            raw = LAST_RESPONSE.get()
            if raw is not None:  # a with_raw_response call: it keeps its last response
                raw.append(response)
        except httpx.PoolTimeout as exc:
            raise APITimeoutError(
                f"{method} {path}: no free connection in the pool within the timeout; lower "
                "max_concurrent_requests, or give your http_client larger "
                "httpx.Limits(max_connections=...)",
                sent=False,
            ) from exc
        except httpx.TimeoutException as exc:
            # A connect timeout happens before a byte of the request is sent.
            sent = not isinstance(exc, httpx.ConnectTimeout)
            raise APITimeoutError(
                f"{method} {path} to {self._config.host} timed out ({exc or type(exc).__name__})",
                sent=sent,
            ) from exc
        except httpx.TransportError as exc:
            sent = not isinstance(exc, httpx.ConnectError)
            raise APIConnectionError(
                f"{method} {path} to {self._config.host} failed: {type(exc).__name__}: {exc}",
                sent=sent,
            ) from exc
        return response


def _headers(*layers: dict[str, str] | None) -> dict[str, str]:
    """The headers every request carries: ours, then each layer of ``default_headers``.

    Names compare as HTTP compares them, so ``user-agent`` replaces the SDK's ``User-Agent``
    rather than sending both.
    """
    merged = {"user-agent": ("User-Agent", _USER_AGENT)}
    for layer in layers:
        for name, value in clean_headers(layer).items():
            merged[name.lower()] = (name, value)
    return dict(merged.values())


def _auths(config: ClientConfig) -> tuple[KlingAuth, KlingAuth | None]:
    """The auth of legacy calls, and of new-standard ones (None without an API key)."""
    v2 = KlingAuth(config, api_key_only=True) if config.api_key is not None else None
    return KlingAuth(config), v2


# The task models are imported with the first answer, not with the client: they cost the most
# to make. The new standard's apart, so that legacy calls never make its classes. Cached, since an
# import statement costs microseconds on every call.


@cache
def _legacy_task_model() -> type[AsyncTask]:
    from ._task import AsyncTask

    return AsyncTask


@cache
def _v2_task_model() -> type[AsyncV2Task]:
    from ._task_v2 import AsyncV2Task

    return AsyncV2Task
