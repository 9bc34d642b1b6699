"""The spans the clients make when ``opentelemetry-api`` is installed (see ``kling._tracing``).

Imported only once ``kling._tracing`` has found the package. The spans go to the global tracer
provider (``trace.get_tracer("kling", version)``), so they appear wherever the application
sends its traces, and nowhere (a no-op tracer) when it configured no SDK:

* ``{METHOD} {url.template}``, CLIENT: one per HTTP request, with the attributes of
  OpenTelemetry's HTTP client conventions
  (https://opentelemetry.io/docs/specs/semconv/http/http-spans/) plus ``kling.request_id`` and
  ``kling.code`` (Kling's business code); a resend carries ``http.request.resend_count``.
* ``kling {METHOD} {url.template}``, INTERNAL: one per logical call, the parent of its
  requests and retries (and of the lookups that make a create safe to resend).
* ``kling.task.create_and_wait``: around ``create_and_wait``; ``kling.task``: a task created by
  a plain ``create``, emitted when a wait sees it finish, from the create's start, under the
  context the create ran in and linked to the create's call. A task nobody waits for leaves
  no open span behind, only the small record on its model.
* ``kling.poll``: a root span per poll round (linked to the tasks' creates): shared polling
  serves every waiter, so its requests belong to none of them.

No attribute holds a credential, a header, prompt text or media: URLs lose their user
information and sensitive query values (all query values for downloads, whose signed URLs are
credentials), and a create's prompt is added only with ``KLING_OTEL_CAPTURE_PROMPTS=1``.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

import httpx
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

from ._errors import KlingError
from ._response import parse_response
from ._version import __version__

if TYPE_CHECKING:
    from types import TracebackType

    from ._rows import TaskRow

__all__ = ["Tracing"]

T = TypeVar("T")

#: The logical call (``_request``) the current request belongs to, for its resend count.
_CALL: ContextVar[_Call | None] = ContextVar("kling_otel_call", default=None)
#: The ``create_and_wait`` under way, which the task its create makes belongs to.
_OWNER: ContextVar[_CreateAndWait | None] = ContextVar("kling_otel_owner", default=None)

#: Query parameters whose values are credentials, per the HTTP conventions' ``url.full`` note,
#: and names that say so.
_SECRET_QUERY = ("awsaccesskeyid", "signature", "sig", "x-goog-signature")
_SECRET_WORDS = ("token", "secret", "key", "signature", "credential", "auth", "password")
#: What the global provider is before the application sets one, or when it sets none.
_NO_PROVIDERS = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
#: Links a poll round keeps (a round may poll a thousand tasks; exporters cap links anyway).
_MAX_LINKS = 32


class Tracing:
    """The process's tracer and what each kind of span needs."""

    def __init__(self, *, capture_prompts: bool) -> None:
        self.tracer = trace.get_tracer("kling", __version__)
        #: Whether task spans carry the create's prompt (``KLING_OTEL_CAPTURE_PROMPTS``).
        self.capture_prompts = capture_prompts
        self._live = False
        #: Whether the API would make the provider the environment names on first use.
        self._provider_from_env = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ

    def idle(self) -> bool:
        """Whether no tracer provider is set (the API alone: every span a no-op), so that a
        request skips making spans nobody records.

        Once the application has set one it stays set (OpenTelemetry allows one), so the
        check ends with the first request that finds it.
        """
        if self._live:
            return False
        # The API's own global, read first: get_tracer_provider() looks at os.environ on every
        # call until a provider is set, a microsecond per request for nothing.
        if getattr(trace, "_TRACER_PROVIDER", self) is None and not self._provider_from_env:
            return True
        if isinstance(trace.get_tracer_provider(), _NO_PROVIDERS):
            return True
        self._live = True
        return False

    def call(self, method: str, path: str, body: Mapping[str, Any] | None) -> _Call:
        """The span of one logical call (``_request``): sends, retries, lookups."""
        return _Call(self, method, path, body)

    def request(self, method: str, path: str, base_url: str) -> _Request:
        """The CLIENT span of one request to Kling (``_send``)."""
        return _Request(self, method, path, base_url)

    def create_and_wait(self, row: TaskRow, params: Mapping[str, Any]) -> _CreateAndWait:
        return _CreateAndWait(self, row, params)

    def poll_round(self, source: str, records: Iterable[_TaskRecord | None]) -> _Span:
        links = []
        for record in records:
            if record is not None:
                links.append(Link(record.link))
                if len(links) == _MAX_LINKS:
                    break
        attributes = {"kling.source": source}
        # An empty parent: a new trace, whichever waiter leads the round.
        root = otel_context.Context()
        return _Span(self, "kling.poll", SpanKind.INTERNAL, attributes, root, links)

    def download(self, url: str) -> _Download:
        return _Download(self, url)


class _Span:
    """A span made current for a ``with`` block; an exception leaving it is recorded."""

    __slots__ = ("_attributes", "_kind", "_links", "_name", "_parent", "_token", "_tracing", "span")

    def __init__(
        self,
        tracing: Tracing,
        name: str,
        kind: SpanKind,
        attributes: dict[str, Any],
        parent: otel_context.Context | None = None,
        links: list[Link] | None = None,
    ) -> None:
        self._tracing = tracing
        self._name = name
        self._kind = kind
        self._attributes = attributes
        self._parent = parent
        self._links = links

    def __enter__(self) -> _Span:
        self.span = self._tracing.tracer.start_span(
            self._name,
            context=self._parent,
            kind=self._kind,
            attributes=self._attributes,
            links=self._links,
        )
        self._token = otel_context.attach(trace.set_span_in_context(self.span, self._parent))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        otel_context.detach(self._token)
        if exc is not None:
            _failed(self.span, exc)
        self.span.end()


class _Call:
    """The INTERNAL span of one logical call; it counts its own sends (``resend_count``)."""

    __slots__ = (
        "_body",
        "_parent",
        "_start",
        "_token",
        "_tracing",
        "_var_token",
        "method",
        "path",
        "sends",
        "span",
    )

    def __init__(
        self, tracing: Tracing, method: str, path: str, body: Mapping[str, Any] | None
    ) -> None:
        self._tracing = tracing
        self.method = method
        self.path = path
        self._body = body
        self.sends = 0

    def __enter__(self) -> _Call:
        self._parent = otel_context.get_current()
        self._start = time.time_ns()
        template = _template(self.path)
        self.span = self._tracing.tracer.start_span(
            f"kling {self.method} {template}",
            context=self._parent,
            kind=SpanKind.INTERNAL,
            attributes={"http.request.method": self.method, "url.template": template},
            start_time=self._start,
        )
        self._token = otel_context.attach(trace.set_span_in_context(self.span, self._parent))
        self._var_token = _CALL.set(self)
        return self

    def done(self, result: T) -> T:
        """``result``, a created task given the record of its task span when it is one."""
        if self.method == "POST":
            private = getattr(result, "__pydantic_private__", None)
            if private is not None and "_trace" in private:
                private["_trace"] = self._task_record(result)
        return result

    def _task_record(self, task: Any) -> _TaskRecord:
        attributes = _task_attributes(self.path, self._body or {}, self._tracing.capture_prompts)
        attributes["kling.task.id"] = task.task_id
        if task.external_task_id:
            attributes["kling.task.external_id"] = task.external_task_id
        owner = _OWNER.get()
        if owner is not None and not owner.bound:
            owner.bound = True
            owner.span.set_attributes(attributes)
            return _TaskRecord(self._tracing, None, owner.span.get_span_context(), 0, {}, owner)
        link = self.span.get_span_context()
        return _TaskRecord(self._tracing, self._parent, link, self._start, attributes, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _CALL.reset(self._var_token)
        otel_context.detach(self._token)
        if exc is not None:
            _failed(self.span, exc)
        self.span.end()


class _Request:
    """The CLIENT span of one request to Kling."""

    __slots__ = ("_base_url", "_method", "_path", "_seen", "_token", "_tracing", "span")

    def __init__(self, tracing: Tracing, method: str, path: str, base_url: str) -> None:
        self._tracing = tracing
        self._method = method
        self._path = path
        self._base_url = base_url
        #: What the answer said, set on the span in one go when it ends (each call to the
        #: SDK's span takes its lock).
        self._seen: dict[str, Any] = {}

    def __enter__(self) -> _Request:
        method, path = self._method, self._path
        template = _template(path)
        host, port = _origin(self._base_url)
        attributes: dict[str, Any] = {
            "http.request.method": method,
            "server.address": host,
            "server.port": port,
            "url.template": template,
        }
        call = _CALL.get()
        if call is not None and call.method == method and call.path == path:
            if call.sends:  # set on resends only, as the conventions ask
                attributes["http.request.resend_count"] = call.sends
            call.sends += 1
        self.span = self._tracing.tracer.start_span(
            f"{method} {template}", kind=SpanKind.CLIENT, attributes=attributes
        )
        self._token = otel_context.attach(trace.set_span_in_context(self.span))
        return self

    def parse(self, response: httpx.Response, parse: Callable[[Any], T]) -> T:
        """``parse_response``, noting the status, the URL and Kling's envelope on the span."""
        seen = self._seen
        seen["http.response.status_code"] = response.status_code
        seen["url.full"] = _full_url(response.request.url, every_query=False)
        return parse_response(response, parse, self._envelope)

    def _envelope(self, body: dict[str, Any]) -> None:
        request_id, code = body.get("request_id"), body.get("code")
        if isinstance(request_id, str):
            self._seen["kling.request_id"] = request_id
        if type(code) is int:
            self._seen["kling.code"] = code

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        otel_context.detach(self._token)
        if exc is not None and "url.full" not in self._seen:
            request = _request_of(exc.__cause__)
            if request is not None:
                self._seen["url.full"] = _full_url(request.url, every_query=False)
        self.span.set_attributes(self._seen)
        if exc is not None:
            _failed(self.span, exc)
        self.span.end()


class _Download(_Span):
    """The CLIENT span of one download request (result files on a CDN)."""

    __slots__ = ()

    def __init__(self, tracing: Tracing, url: str) -> None:
        parsed = httpx.URL(url)
        attributes = {
            "http.request.method": "GET",
            "server.address": parsed.host,
            "server.port": parsed.port or (443 if parsed.scheme == "https" else 80),
            # Signed result URLs are credentials for as long as they last: no query values.
            "url.full": _full_url(parsed, every_query=True),
        }
        super().__init__(tracing, "GET", SpanKind.CLIENT, attributes)

    def status(self, code: int) -> None:
        """The response's status; 4xx and 5xx make the span an error."""
        self.span.set_attribute("http.response.status_code", code)
        if code >= 400:
            self.span.set_attribute("error.type", str(code))
            self.span.set_status(Status(StatusCode.ERROR))


class _CreateAndWait(_Span):
    """``kling.task.create_and_wait``: the task it creates reports its end to it."""

    __slots__ = ("_owner_token", "bound")

    def __init__(self, tracing: Tracing, row: TaskRow, params: Mapping[str, Any]) -> None:
        attributes = {_kind_of(row): row.name}
        model = params.get("model") or params.get("model_name")
        if isinstance(model, str):
            attributes["kling.model"] = model
        super().__init__(tracing, "kling.task.create_and_wait", SpanKind.INTERNAL, attributes)
        self.bound = False

    def __enter__(self) -> _CreateAndWait:
        super().__enter__()
        self._owner_token = _OWNER.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _OWNER.reset(self._owner_token)
        super().__exit__(exc_type, exc, tb)


class _TaskRecord:
    """What a created task's span needs when a wait sees the task finish (kept on its model)."""

    __slots__ = ("_attributes", "_done", "_owner", "_parent", "_start", "_tracing", "link")

    def __init__(
        self,
        tracing: Tracing,
        parent: otel_context.Context | None,
        link: trace.SpanContext,
        start: int,
        attributes: dict[str, Any],
        owner: _CreateAndWait | None,
    ) -> None:
        self._tracing = tracing
        self._parent = parent
        #: The span a poll round links to: the create's call, or the create_and_wait.
        self.link = link
        self._start = start
        self._attributes = attributes
        self._owner = owner
        self._done = False

    def finish(self, final: Any) -> None:
        """Report ``final`` (the finished task), once."""
        if self._done:
            return
        self._done = True
        attributes: dict[str, Any] = {"kling.task.status": final.task_status}
        units = final.units_charged
        if units is not None:
            attributes["kling.task.units_charged"] = units
        if self._owner is not None:
            self._owner.span.set_attributes(attributes)
            return  # the create_and_wait ends its own span (and records a TaskFailedError)
        span = self._tracing.tracer.start_span(
            "kling.task",
            context=self._parent,
            kind=SpanKind.INTERNAL,
            attributes={**self._attributes, **attributes},
            links=[Link(self.link)],
            start_time=self._start,
        )
        if final.is_failed:
            span.set_attribute("error.type", "kling.TaskFailedError")
            span.set_status(Status(StatusCode.ERROR, "the task failed"))
        span.end()


def _failed(span: trace.Span, exc: BaseException) -> None:
    """Record ``exc`` on ``span``: an event, ``error.type`` and the ERROR status."""
    kind = type(exc)
    name = f"kling.{kind.__name__}" if isinstance(exc, KlingError) else kind.__qualname__
    if not isinstance(exc, KlingError) and kind.__module__ != "builtins":
        name = f"{kind.__module__}.{name}"
    span.record_exception(exc)
    span.set_attribute("error.type", name)
    span.set_status(Status(StatusCode.ERROR, f"{kind.__name__}: {exc}"))


def _request_of(cause: BaseException | None) -> httpx.Request | None:
    """The request of an httpx error (transport errors carry it), else None."""
    if isinstance(cause, httpx.RequestError):
        try:
            return cause.request
        except RuntimeError:  # an error raised without its request
            return None
    return None


def _full_url(url: httpx.URL, *, every_query: bool) -> str:
    """``url`` for ``url.full``: no user information, and no value of a query parameter that
    could be a credential (with ``every_query``, no query value at all)."""
    if url.userinfo:
        url = url.copy_with(username="REDACTED", password="REDACTED")
    if url.query and (every_query or any(_secret(key) for key in url.params)):
        params = [
            (key, "REDACTED" if every_query or _secret(key) else value)
            for key, value in url.params.multi_items()
        ]
        url = url.copy_with(params=params)
    return str(url)


def _secret(key: str) -> bool:
    lowered = key.lower()
    return lowered in _SECRET_QUERY or any(word in lowered for word in _SECRET_WORDS)


@functools.lru_cache(maxsize=16)
def _origin(base_url: str) -> tuple[str, int]:
    """``server.address`` and ``server.port`` of a ``base_url``."""
    url = httpx.URL(base_url)
    return url.host, url.port or (443 if url.scheme == "https" else 80)


@dataclasses.dataclass(frozen=True)
class _Routes:
    """The table's paths: static ones, and those a last segment is added to."""

    static: frozenset[str]
    #: A legacy family's path -> the family (``{path}/{task_id}`` gets one of its tasks).
    families: dict[str, TaskRow]
    #: A product's path -> the product (``{path}/{model}`` creates its tasks).
    products: dict[str, TaskRow]


@functools.cache
def _routes() -> _Routes:
    from ._families import ENDPOINTS, FAMILIES, PRODUCTS

    static: set[str] = set()
    for row in (*ENDPOINTS.values(), *PRODUCTS.values()):
        static.add(row.path)
        for part in (getattr(row, "selections", None), getattr(row, "library", None)):
            if part is not None:
                static.update(
                    value for name, value in part._asdict().items() if name.endswith("path")
                )
    return _Routes(
        frozenset(static),
        {row.path: row for row in FAMILIES.values()},
        {row.path: row for row in PRODUCTS.values()},
    )


def _template(path: str) -> str:
    """``url.template``: the path with its task id (or model) replaced by a name."""
    routes = _routes()
    if path in routes.static:
        return path
    parent = path.rpartition("/")[0]
    if parent in routes.families:
        return f"{parent}/{{task_id}}"
    if parent in routes.products:
        return f"{parent}/{{model}}"
    return path


def _kind_of(row: TaskRow) -> str:
    return "kling.product" if row.standard == "new" else "kling.family"


def _task_attributes(path: str, body: Mapping[str, Any], prompts: bool) -> dict[str, Any]:
    """A created task's family or product and model (and prompt, if asked) from its create."""
    routes = _routes()
    parent, _, last = path.rpartition("/")
    attributes: dict[str, Any] = {}
    model: Any = body.get("model_name")
    if path in routes.families:
        attributes["kling.family"] = routes.families[path].name
    elif parent in routes.products:
        attributes["kling.product"] = routes.products[parent].name
        model = unquote(last)
    if isinstance(model, str) and model:
        attributes["kling.model"] = model
    if prompts:
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            contents = body.get("contents")
            texts = [
                item.get("text")
                for item in (contents if isinstance(contents, list) else [])
                if isinstance(item, dict) and item.get("type") == "prompt"
            ]
            prompt = texts[0] if texts else None
        if isinstance(prompt, str):
            attributes["kling.prompt"] = prompt
    return attributes
