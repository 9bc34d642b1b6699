"""Batch jobs: what a job is, the id derived from it, and the manifest of a run. No network I/O.

A job is one line of a JSONL file (``{"family": "text_to_video", "prompt": "..."}``, or
``{"product": "text_to_video", "model": "kling-3.0", ...}`` for the new standard) or one row of
a CSV file whose columns are a family's parameters. Its ``external_task_id`` is derived from its
content: Kling keeps every task under that id for 30 days and refuses a second create with it,
so the id is at once a lock (two runs, or two machines, cannot both create the task) and a
journal (a run after a crash finds the tasks that were made). The runner is in
``kling/_async/_jobs.py``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import time
import types
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from typing_extensions import NotRequired, Required, get_type_hints, is_typeddict

from ._errors import APIConnectionError, InvalidParameterError
from ._ids import canonical_json, content_digest, derived_external_id
from ._logging import logger
from ._manifest import RecordProblem, read_records, record_line
from ._result_media import file_is_media

if TYPE_CHECKING:
    from ._eta import Estimate
from ._rows import TaskRow

__all__ = [
    "MANIFEST",
    "BatchProgress",
    "BatchReport",
    "Job",
    "JobResult",
    "JobStatus",
    "ManifestEntry",
    "Shard",
    "check_record",
    "jobs_from",
    "load_jobs",
    "manifest_entries",
    "manifest_line",
    "parse_jobs",
    "quoted_units",
    "read_manifest",
]

#: The manifest's file name inside the output directory.
MANIFEST = "manifest.jsonl"
#: The prefix of a job's derived ``external_task_id`` (``kj-<digest>``).
_ID_PREFIX = "kj"

JobStatus = Literal["succeeded", "failed", "not_created"]
"""How a job settled: its task succeeded (files downloaded), it failed, or none was made."""


@dataclass(frozen=True)
class Shard:
    """``--shard i/N``: this run takes the jobs whose id falls in slice ``index`` of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"0/4"`` -> ``Shard(0, 4)``; refuses anything else with what to write."""
        head, sep, tail = text.partition("/")
        if not (sep and head.isdigit() and tail.isdigit()) or not 0 <= int(head) < int(tail):
            raise InvalidParameterError(
                f"shard must be INDEX/COUNT with 0 <= INDEX < COUNT, such as 0/4; got {text!r}",
                field="shard",
            )
        return cls(int(head), int(tail))

    def takes(self, job: Job) -> bool:
        return int(job.digest, 16) % self.count == self.index


@dataclass(frozen=True)
class Job:
    """One job: where it came from, what to create, and the id that makes it happen once."""

    line: int
    """1-based line (JSONL) or row (CSV, the header being line 1) of the job file."""
    standard: Literal["legacy", "new"]
    name: str
    """The family (legacy) or product (new standard), as the client names it."""
    params: dict[str, Any]
    """The create parameters, local media as ``Path``s."""
    model: str | None = None
    """The new standard's model (the path segment)."""
    digest: str = ""
    """The job's identity: a hash of its content (see :func:`parse_jobs`)."""
    spec: dict[str, Any] = field(default_factory=dict)
    """The job as written in the file, for the manifest."""
    row: TaskRow | None = field(default=None, compare=False, repr=False)
    """The table row of ``name`` in its standard: what the job creates a task of."""

    @property
    def create_params(self) -> dict[str, Any]:
        """The keyword arguments of the row's create (a new-standard product's carry the
        model)."""
        return self.params if self.model is None else {**self.params, "model": self.model}

    def external_id(self, attempt: int = 0) -> str:
        """The job's ``external_task_id`` for an attempt (a new attempt is a new task)."""
        return derived_external_id(_ID_PREFIX, self.digest, attempt)


@dataclass(frozen=True)
class JobResult:
    """How one job settled, as the manifest records it (one line per settled job)."""

    line: int
    job: dict[str, Any]
    status: JobStatus
    job_id: str
    """The job's identity across attempts (its first attempt's external id)."""
    external_task_id: str
    attempt: int = 0
    task_id: str | None = None
    message: str | None = None
    urls: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    units_charged: float | None = None
    adopted: bool = False
    """The task existed already (made by an earlier or a concurrent run) and was adopted."""
    units_quoted: float | None = None
    """What the job costs by Kling's price table (:func:`quoted_units`); None: unpriced."""

    @property
    def downloaded(self) -> bool:
        """Whether every result file is saved, checked to be the media it should be (a job
        without results: trivially). A succeeded job whose files are not is fetched again by
        the next run."""
        return len(self.files) == len(self.urls)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "job": self.job,
            "status": self.status,
            "job_id": self.job_id,
            "task_id": self.task_id,
            "external_task_id": self.external_task_id,
            "attempt": self.attempt,
            "message": self.message,
            "urls": list(self.urls),
            "files": list(self.files),
            "units_charged": self.units_charged,
            "adopted": self.adopted,
            "units_quoted": self.units_quoted,
        }


@dataclass
class BatchProgress:
    """Where a run stands; ``on_progress`` gets it after every change."""

    total: int
    submitted: int = 0
    succeeded: int = 0
    failed: int = 0
    downloaded: int = 0
    skipped: int = 0
    """Jobs settled by an earlier run (in the manifest), not touched again."""
    refused: int = 0
    """Jobs Kling refused to create (a content policy, an input it rejects); counted in failed."""
    started: float = field(default_factory=time.monotonic)
    time_left: Estimate | None = None
    """With ``on_progress``: how long the running task expected to finish last has left, from
    the account's own finished tasks of its kind (``kling._eta``); None while none runs."""

    @property
    def running(self) -> int:
        """Tasks created (or adopted) that have not finished yet."""
        return self.submitted - self.succeeded - (self.failed - self.refused)

    @property
    def settled(self) -> int:
        return self.succeeded + self.failed + self.skipped

    @property
    def eta(self) -> float | None:
        """Seconds until every job settles, at the pace so far (None before the first one)."""
        done = self.succeeded + self.failed
        remaining = self.total - self.settled
        if not done or remaining <= 0:
            return None if remaining > 0 else 0.0
        return (time.monotonic() - self.started) / done * remaining


@dataclass(frozen=True)
class BatchReport:
    """What a run settled: a result per job (in file order) and the totals."""

    results: list[JobResult]
    """One per job this run was given (its shard), settled now or by an earlier run."""
    pending: list[Job]
    """Jobs left unsettled (the wait timed out, or Kling was unreachable): run again later."""
    wall_time: float
    unreachable: APIConnectionError | None = None
    """Set when Kling could not be reached for ``unreachable_timeout`` seconds (or a create
    could not reach it): what left jobs unsettled. The tasks go on at Kling; run again later."""

    @property
    def counts(self) -> dict[str, int]:
        """Jobs by status (``succeeded``, ``failed``, ``not_created``), plus ``pending``."""
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        if self.pending:
            counts["pending"] = len(self.pending)
        return counts

    @property
    def not_downloaded(self) -> list[JobResult]:
        """Jobs whose task succeeded but whose files could not be saved (a result URL that
        answered an error page, a full disk): the next run downloads them."""
        return [r for r in self.results if r.status == "succeeded" and not r.downloaded]

    @property
    def units_charged(self) -> float:
        """Resource-pack units of the tasks whose cost Kling reported."""
        return sum(r.units_charged or 0.0 for r in self.results)

    @property
    def units_quoted(self) -> float:
        """What the jobs that succeeded cost by Kling's price table (the priced ones): held
        against :attr:`units_charged`, a difference says the table is stale."""
        return sum(r.units_quoted or 0.0 for r in self.results if r.status == "succeeded")

    @property
    def unpriced(self) -> int:
        """Jobs that succeeded whose cost the price table does not give."""
        return sum(1 for r in self.results if r.status == "succeeded" and r.units_quoted is None)

    def summary(self) -> dict[str, Any]:
        """Counts, units charged and wall time, as ``kling batch run --json`` prints them
        (and ``not_downloaded`` when some succeeded job's files could not be saved)."""
        summary: dict[str, Any] = {
            "counts": self.counts,
            "units_charged": round(self.units_charged, 3),
            "units_quoted": round(self.units_quoted, 3),
            "wall_time": round(self.wall_time, 3),
        }
        if self.not_downloaded:
            summary["not_downloaded"] = len(self.not_downloaded)
        return summary


@dataclass(frozen=True)
class ManifestEntry:
    """The last word of a manifest on one job: its record, as written."""

    record: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.record.get("status"))

    @property
    def attempt(self) -> int:
        return int(self.record.get("attempt") or 0)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(str(f) for f in self.record.get("files") or ())

    def downloaded(self, out: Path) -> bool:
        """Whether every result file of the job is in ``out`` and is the media it should be
        (none expected: trivially)."""
        urls = self.record.get("urls") or ()
        return len(self.files) == len(urls) and all(file_is_media(out / f) for f in self.files)

    def result(self) -> JobResult:
        """The job's result as this run reports it, from the manifest."""
        r = self.record
        return JobResult(
            line=int(r.get("line") or 0),
            job=dict(r.get("job") or {}),
            status=r["status"],
            job_id=str(r["job_id"]),
            external_task_id=str(r["external_task_id"]),
            attempt=self.attempt,
            task_id=r.get("task_id"),
            message=r.get("message"),
            urls=tuple(r.get("urls") or ()),
            files=self.files,
            units_charged=r.get("units_charged"),
            adopted=bool(r.get("adopted")),
            units_quoted=r.get("units_quoted"),
        )


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """The manifest's last entry per job (keyed by the job's first-attempt external id).

    The manifest never blocks a resume: a line that is not a record as a run writes it (cut
    short by a crash, not UTF-8, nested too deeply, a field of the wrong type) is skipped with
    a warning naming its line, and that job simply settles again. A ``files`` entry that is
    not a plain name inside the output directory is ignored (with a warning), so the file is
    downloaded again where it belongs (:func:`check_record`).
    """
    return manifest_entries(read_records(path, check_record))


def manifest_entries(records: Iterable[dict[str, Any]]) -> dict[str, ManifestEntry]:
    """The last entry per job of a manifest's records (lines of other kinds are skipped)."""
    return {str(r["job_id"]): ManifestEntry(r) for r in records if "job_id" in r}


_STATUSES = ("succeeded", "failed", "not_created")
_OPTIONAL_TEXT = ("task_id", "message")


def check_record(record: dict[str, Any]) -> list[str]:
    """Check a manifest record as ``read_records`` reads it: :class:`RecordProblem` for one that
    is not a record as a run writes it (the line is skipped); ``files`` outside the output
    directory are dropped, and named in the notes returned (so they are downloaded again
    where they belong)."""
    problem = _record_problem(record)
    if problem is not None:
        raise RecordProblem(problem)
    record.setdefault("urls", [])
    files = record.setdefault("files", [])
    record["files"] = [name for name in files if _is_plain_name(name)]
    return [
        f"file {name!r} is not in the output directory; ignored"
        for name in files
        if not _is_plain_name(name)
    ]


def _record_problem(record: dict[str, Any]) -> str | None:
    for key in ("job_id", "external_task_id"):
        if not isinstance(record.get(key), str):
            return f"{key} must be a string, got {record.get(key)!r}"[:200]
    if record.get("status") not in _STATUSES:
        return f"status must be one of {', '.join(_STATUSES)}, got {record.get('status')!r}"[:200]
    for key in ("line", "attempt"):
        value = record.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{key} must be a whole number, got {value!r}"[:200]
    for key in _OPTIONAL_TEXT:
        if not isinstance(record.get(key), (str, type(None))):
            return f"{key} must be a string or null, got {record.get(key)!r}"[:200]
    for key in ("urls", "files"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"{key} must be a list of strings"
    units = record.get("units_charged")
    if isinstance(units, bool) or not isinstance(units, (int, float, type(None))):
        return f"units_charged must be a number or null, got {units!r}"[:200]
    if not isinstance(record.get("job", {}), dict):
        return "job must be an object"
    if not isinstance(record.get("adopted", False), bool):
        return "adopted must be true or false"
    return None


def _is_plain_name(name: str) -> bool:
    """A file name as the batch writes them: no directory part, so inside the output dir."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def manifest_line(result: JobResult) -> str:
    """One manifest line: compact JSON and a newline."""
    return record_line(result.to_json())


# -- job files: read as a stream, every line checked before the first create ----------------------

#: Bad lines shown in full; the rest are counted.
_SHOWN_PROBLEMS = 20
#: No path is longer (Linux's PATH_MAX): a longer media string is the file itself, in Base64.
_PATH_MAX = 4096
_INLINE = ("http://", "https://", "data:")
_BOM = b"\xef\xbb\xbf"

#: A line of a job file: its number, and the job as written or why it cannot be one.
_Row = tuple[int, "dict[str, Any] | str"]


def quoted_units(job: Job) -> float | None:
    """What ``job``'s create costs by Kling's price table, in units; None when unpriced (or
    spanning several packages)."""
    from ._quote import quote_for

    assert job.row is not None, "jobs come from parse_jobs, which resolves their row"
    quote = quote_for(job.row, job.create_params)
    if not quote.priced or len(quote.packages) != 1:
        return None
    return float(quote.units)


def jobs_from(
    specs: Iterable[Mapping[str, Any]],
    *,
    family: str | None = None,
    namespace: str | None = None,
    base_dir: Path | None = None,
) -> list[Job]:
    """Jobs from dicts written as JSONL lines are (``line`` counts from 1); see
    :func:`load_jobs`. Local media paths are relative to ``base_dir`` (the working directory)."""
    items = list(specs)

    def rows() -> Iterator[_Row]:
        for number, spec in enumerate(items, start=1):
            try:
                yield number, json.loads(json.dumps(dict(spec), default=_path_text))
            except (TypeError, ValueError) as exc:
                yield number, str(exc)

    return _read(rows, family, namespace, base_dir or Path.cwd(), "the base directory")


def _path_text(value: object) -> str:
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    raise TypeError(f"a job value must be JSON or a path, got {type(value).__name__}")


def parse_jobs(
    text: str,
    *,
    kind: Literal["jsonl", "csv"] = "jsonl",
    family: str | None = None,
    namespace: str | None = None,
    base_dir: Path | None = None,
) -> list[Job]:
    """Jobs from the text of a job file; see :func:`load_jobs`.

    ``family`` is the family of every CSV row (and the default of JSONL lines that name none);
    ``base_dir`` is where relative media paths are found; ``namespace`` goes into every id, so
    that the same file run for two purposes makes two sets of tasks.
    """

    def rows() -> Iterator[_Row]:
        if kind == "csv":
            return _csv_rows(io.StringIO(text, newline=""))
        return _jsonl_rows(io.BytesIO(text.encode("utf-8", "surrogatepass")))

    return _read(rows, family, namespace, base_dir or Path.cwd(), "the base directory")


def load_jobs(
    path: str | os.PathLike[str],
    *,
    family: str | None = None,
    namespace: str | None = None,
) -> list[Job]:
    """Jobs from a ``.jsonl`` or ``.csv`` file (CSV needs ``family``); media paths are relative
    to the file's directory.

    Every line is checked first (its JSON, its family or product, its parameters as a create
    checks them), reading the file as a stream in bounded memory, and nothing is kept until
    all are good: the bad lines raise together (the first 20, then how many more), naming each
    line's number and reason. Only media fields read files; a missing one is named relative to
    the jobs file. A new-standard model this SDK does not know gets one warning naming the
    models it knows, and is sent as written (Kling may have added it since this release).
    """
    path = Path(path)
    csv_file = path.suffix.lower() == ".csv"

    def rows() -> Iterator[_Row]:
        try:
            if csv_file:
                with path.open(encoding="utf-8-sig", newline="") as text:
                    yield from _csv_rows(text)
            else:
                with path.open("rb") as data:
                    yield from _jsonl_rows(data)
        except OSError as exc:
            raise InvalidParameterError(
                f"cannot read the job file {path}: {exc.strerror or exc}", field="jobs"
            ) from exc

    return _read(rows, family, namespace, path.parent, "the jobs file")


def _read(
    rows: Callable[[], Iterator[_Row]],
    family: str | None,
    namespace: str | None,
    base_dir: Path,
    relative_to: str,
) -> list[Job]:
    """Two passes over ``rows``: check every line keeping nothing (so a bad last line of a huge
    file is found in bounded memory), then, when all are good, make the jobs."""
    problems = _Problems()
    unknown: dict[tuple[str, str], list[int]] = {}
    for line, spec in rows():
        try:
            if isinstance(spec, str):
                raise InvalidParameterError(spec, field="jobs")
            job = _job(spec, family, base_dir, relative_to)
            _check(job)
        except InvalidParameterError as exc:
            problems.add(line, str(exc))
            continue
        if job.model is not None and not _known_model(job.name, job.model):
            unknown.setdefault((job.name, job.model), []).append(line)
    problems.raise_any()
    _warn_unknown(unknown)
    jobs: list[Job] = []
    # Identical jobs are distinct tasks: the nth copy of a job gets its own id. Counted by a
    # hash of the content, not the content itself, to keep a big file's memory down.
    seen: Counter[bytes] = Counter()
    for line, spec in rows():
        if isinstance(spec, str):  # the file changed since it was checked
            raise _bad_line(line, spec)
        try:
            job = replace(_job(spec, family, base_dir, relative_to), line=line, spec=spec)
        except InvalidParameterError as exc:
            raise _bad_line(line, str(exc)) from None
        content = _canonical(job)
        key = hashlib.sha256(content.encode("utf-8", "surrogatepass")).digest()
        seen[key] += 1
        digest = content_digest(f"{namespace or ''}\0{seen[key]}\0{content}")
        jobs.append(replace(job, digest=digest))
    return jobs


class _Problems:
    """The bad lines of a job file: the first ones in full, the rest counted."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.count = 0

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        if len(self.shown) < _SHOWN_PROBLEMS:
            self.shown.append(f"line {line}: {reason}")

    def raise_any(self) -> None:
        if self.count == 1:
            raise InvalidParameterError(f"{self.shown[0]}; nothing was created", field="jobs")
        if self.count:
            more = self.count - len(self.shown)
            text = "\n".join(self.shown) + (f"\n... and {more} more" if more else "")
            raise InvalidParameterError(
                f"{self.count} bad lines; nothing was created:\n{text}", field="jobs"
            )


def _bad_line(line: int, reason: str) -> InvalidParameterError:
    return InvalidParameterError(f"line {line}: {reason}; nothing was created", field="jobs")


def _check(job: Job) -> None:
    """What a create of the job would refuse, refused now (files are read, nothing sent)."""
    from ._params import prepare_body
    from ._params._validate import EXTRA_BODY_HINT

    assert job.row is not None
    try:
        prepare_body(job.row, job.create_params)
    except InvalidParameterError as exc:
        # A job has no extra_body: an unknown key is a typo to fix, not a field to send.
        message = str(exc).replace(f" {EXTRA_BODY_HINT}", "")
        raise InvalidParameterError(message, field=exc.field) from None


def _known_model(product: str, model: str) -> bool:
    from ._params._standard_models import rules_for

    return rules_for(product, model) is not None


def _warn_unknown(unknown: Mapping[tuple[str, str], list[int]]) -> None:
    from ._params._standard_models import known_models

    for (product, model), lines in unknown.items():
        shown = ", ".join(map(str, lines[:_SHOWN_PROBLEMS])) + (
            ", ..." if len(lines) > _SHOWN_PROBLEMS else ""
        )
        logger.warning(
            "line%s %s: model %r is not one this SDK knows for %s (it knows %s); sent as "
            "written, since Kling may have added it since this release",
            "s" if len(lines) > 1 else "",
            shown,
            model,
            product,
            ", ".join(known_models(product)),
        )


def _jsonl_rows(data: Iterable[bytes]) -> Iterator[_Row]:
    """The lines of a JSONL file, one at a time (a bad one is its reason, not an exception)."""
    for number, raw in enumerate(data, start=1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        stripped = raw.strip()
        if not stripped or stripped.startswith(b"#"):
            continue
        try:
            value = json.loads(stripped.decode("utf-8"))
        except UnicodeDecodeError:
            yield number, "not UTF-8 text"
            continue
        except RecursionError:
            yield number, "nested too deeply"
            continue
        except ValueError as exc:
            yield number, f"not valid JSON ({exc})"
            continue
        if not isinstance(value, dict):
            yield number, f"a job is a JSON object, got {type(value).__name__}"
            continue
        yield number, value


def _csv_rows(text: Iterable[str]) -> Iterator[_Row]:
    reader = csv.DictReader(text)
    number = 1
    try:
        for number, row in enumerate(reader, start=2):  # the header is line 1
            if None in row:
                yield number, "more cells than the header has columns"
                continue
            values = {key: _cell(value) for key, value in row.items() if value not in (None, "")}
            if values:
                yield number, values
    except (UnicodeDecodeError, csv.Error) as exc:
        yield number + 1, f"cannot be read ({exc}); the rest of the file was not checked"


def _cell(text: str) -> Any:
    # A cell holds text, or JSON for numbers, booleans, lists and objects ("10", "[...]").
    stripped = text.strip()
    if stripped[:1] in "[{" or stripped in ("true", "false"):
        try:
            return json.loads(stripped)
        except (ValueError, RecursionError):
            return text
    return text


def _job(spec: Mapping[str, Any], family: str | None, base_dir: Path, relative_to: str) -> Job:
    """The job of one line (its ``line`` and ``digest`` are set by the caller)."""
    from ._families import FAMILIES, PRODUCTS

    params = dict(spec)
    if "external_task_id" in params:
        raise _bad(
            "external_task_id is derived from the job's content (that is what makes a run "
            "resumable); remove it, or use a namespace to tell runs apart"
        )
    product = params.pop("product", None)
    named = params.pop("family", None)
    model = params.pop("model", None)
    if product is not None or model is not None:
        name = _name(product or named or family, PRODUCTS, "product")
        if not isinstance(model, str) or not model:
            raise _bad(
                f"a new-standard job needs a model, such as {PRODUCTS[name].example_model!r}"
            )
        row: TaskRow = PRODUCTS[name]
        local = _localize(row, params, base_dir, relative_to)
        return Job(0, "new", name, local, model, row=row)
    name = _name(named or family, FAMILIES, "family")
    row = FAMILIES[name]
    return Job(0, "legacy", name, _localize(row, params, base_dir, relative_to), row=row)


def _name(value: object, known: Mapping[str, Any], what: str) -> str:
    if value is None:
        raise _bad(f'no {what}: add "{what}" to the job (or pass --family)')
    text = str(value).strip().lower().replace("-", "_")
    aliases = {"image": "images", "text2video": "text_to_video", "image2video": "image_to_video"}
    text = aliases.get(text, text)
    if text not in known:
        raise _bad(f"unknown {what} {value!r}; one of: {', '.join(known)}")
    return text


def _localize(
    row: TaskRow, params: dict[str, Any], base_dir: Path, relative_to: str
) -> dict[str, Any]:
    """Media fields' file names become Paths (under ``base_dir``); every other value, a prompt
    that happens to name a file included, stays as written."""
    hints = _hints(row.typed_dict)
    return {
        key: _walk(hints[key], value, base_dir, relative_to, key) if key in hints else value
        for key, value in params.items()
    }


@functools.cache
def _hints(typed_dict: type) -> dict[str, Any]:
    return get_type_hints(typed_dict, include_extras=True)


def _bare(hint: Any) -> Any:
    while get_origin(hint) in (Annotated, Required, NotRequired):
        hint = get_args(hint)[0]
    return hint


def _is_media(hint: Any) -> bool:
    """An image/audio input: ``str | os.PathLike[str] | bytes`` (sent as URL or Base64)."""
    return any(arg is os.PathLike or get_origin(arg) is os.PathLike for arg in get_args(hint))


def _walk(hint: Any, value: Any, base_dir: Path, relative_to: str, field: str) -> Any:
    hint = _bare(hint)
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        if isinstance(value, str) and _is_media(hint):
            return _media_file(value, base_dir, relative_to, field)
        for arg in map(_bare, get_args(hint)):  # the branch of the value's shape
            if (isinstance(value, list) and get_origin(arg) is list) or (
                isinstance(value, dict) and is_typeddict(arg)
            ):
                return _walk(arg, value, base_dir, relative_to, field)
        return value
    if origin is list and isinstance(value, list):
        (item,) = get_args(hint)
        return [
            _walk(item, element, base_dir, relative_to, f"{field}[{index}]")
            for index, element in enumerate(value)
        ]
    if is_typeddict(hint) and isinstance(value, dict):
        keys = _hints(hint)
        return {
            key: _walk(keys[key], item, base_dir, relative_to, f"{field}.{key}")
            if key in keys
            else item
            for key, item in value.items()
        }
    return value


def _media_file(value: str, base_dir: Path, relative_to: str, field: str) -> str | Path:
    """A media field's text: a URL, a ``data:`` URI or Base64 stays text; a file name becomes
    the file's Path, or an error saying where it was looked for."""
    if value.startswith(_INLINE) or len(value) > _PATH_MAX:
        return value
    path = Path(value).expanduser()
    candidate = path if path.is_absolute() else base_dir / path
    if candidate.is_file():
        return candidate
    if "." in value:  # Base64 never has a dot: this is a file name, and the file is not there
        where = "" if path.is_absolute() else f" (relative to {relative_to})"
        raise _bad(f"{field}: file not found: {value}{where}")
    return value


def _canonical(job: Job) -> str:
    """The job's content as one string: a local file counts by its bytes, not its name."""

    def visit(value: Any) -> Any:
        if isinstance(value, Path):
            return {"sha256": hashlib.sha256(value.read_bytes()).hexdigest()}
        if isinstance(value, list):
            return [visit(item) for item in value]
        if isinstance(value, dict):
            return {key: visit(item) for key, item in value.items()}
        return value

    content = {
        "standard": job.standard,
        "name": job.name,
        "model": job.model,
        "params": visit(job.params),
    }
    return canonical_json(content)


def _bad(reason: str) -> InvalidParameterError:
    return InvalidParameterError(reason, field="jobs")
