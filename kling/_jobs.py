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
import hashlib
import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ._errors import InvalidParameterError
from ._ids import canonical_json, content_digest, derived_external_id
from ._manifest import read_records, record_line
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
        """Counts, units charged and wall time, as ``kling batch run --json`` prints them."""
        return {
            "counts": self.counts,
            "units_charged": round(self.units_charged, 3),
            "units_quoted": round(self.units_quoted, 3),
            "wall_time": round(self.wall_time, 3),
        }


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
        """Whether every result file of the job is in ``out`` (none expected: trivially)."""
        urls = self.record.get("urls") or ()
        return len(self.files) == len(urls) and all((out / f).is_file() for f in self.files)

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
    """Jobs from dicts written as JSONL lines are (``line`` counts from 1)."""
    text = "\n".join(json.dumps(dict(spec), default=_path_text) for spec in specs)
    return parse_jobs(text, family=family, namespace=namespace, base_dir=base_dir)


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
    """Jobs from the text of a job file; a bad line raises naming its number and the reason.

    ``family`` is the family of every CSV row (and the default of JSONL lines that name none);
    ``base_dir`` is where relative media paths are found; ``namespace`` goes into every id, so
    that the same file run for two purposes makes two sets of tasks.
    """
    rows = _csv_rows(text) if kind == "csv" else _jsonl_rows(text)
    jobs: list[Job] = []
    seen: Counter[str] = Counter()
    for line, spec in rows:
        job = _job(line, spec, family, base_dir or Path.cwd())
        content = _canonical(job)
        # Identical jobs are distinct tasks: the nth copy of a job gets its own id.
        seen[content] += 1
        digest = content_digest(f"{namespace or ''}\0{seen[content]}\0{content}")
        jobs.append(replace(job, digest=digest, spec=dict(spec)))
    return jobs


def load_jobs(
    path: str | os.PathLike[str],
    *,
    family: str | None = None,
    namespace: str | None = None,
) -> list[Job]:
    """Jobs from a ``.jsonl`` or ``.csv`` file (CSV needs ``family``); media paths are relative
    to the file's directory."""
    path = Path(path)
    kind: Literal["jsonl", "csv"] = "csv" if path.suffix.lower() == ".csv" else "jsonl"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidParameterError(
            f"cannot read the job file {path}: {exc}", field="jobs"
        ) from exc
    return parse_jobs(text, kind=kind, family=family, namespace=namespace, base_dir=path.parent)


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """The manifest's last entry per job (keyed by the job's first-attempt external id).

    A line cut short by a crash is ignored: that job simply settles again.
    """
    return manifest_entries(read_records(path))


def manifest_entries(records: Iterable[dict[str, Any]]) -> dict[str, ManifestEntry]:
    """The last entry per job of a manifest's records (lines of other kinds are skipped)."""
    return {str(r["job_id"]): ManifestEntry(r) for r in records if "job_id" in r}


def manifest_line(result: JobResult) -> str:
    """One manifest line: compact JSON and a newline."""
    return record_line(result.to_json())


# -- parsing -------------------------------------------------------------------------------------


def _jsonl_rows(text: str) -> Iterable[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise _bad(number, f"not valid JSON ({exc})") from None
        if not isinstance(value, dict):
            raise _bad(number, f"a job is a JSON object, got {type(value).__name__}")
        yield number, value


def _csv_rows(text: str) -> Iterable[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, start=2):  # the header is line 1
        if None in row:
            raise _bad(number, "more cells than the header has columns")
        values = {key: _cell(value) for key, value in row.items() if value not in (None, "")}
        if values:
            yield number, values


def _cell(text: str) -> Any:
    # A cell holds text, or JSON for numbers, booleans, lists and objects ("10", "[...]").
    stripped = text.strip()
    if stripped[:1] in "[{" or stripped in ("true", "false"):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text


def _job(line: int, spec: Mapping[str, Any], family: str | None, base_dir: Path) -> Job:
    from ._families import FAMILIES, PRODUCTS

    params = dict(spec)
    if "external_task_id" in params:
        raise _bad(
            line,
            "external_task_id is derived from the job's content (that is what makes a run "
            "resumable); remove it, or use a namespace to tell runs apart",
        )
    product = params.pop("product", None)
    named = params.pop("family", None)
    model = params.pop("model", None)
    if product is not None or model is not None:
        name = _name(line, product or named or family, PRODUCTS, "product")
        if not isinstance(model, str) or not model:
            raise _bad(
                line, f"a new-standard job needs a model, such as {PRODUCTS[name].example_model!r}"
            )
        row: TaskRow = PRODUCTS[name]
        return Job(line, "new", name, _localize(params, base_dir), model, row=row)
    name = _name(line, named or family, FAMILIES, "family")
    return Job(line, "legacy", name, _localize(params, base_dir), row=FAMILIES[name])


def _name(line: int, value: object, known: Mapping[str, Any], what: str) -> str:
    if value is None:
        raise _bad(line, f'no {what}: add "{what}" to the job (or pass --family)')
    text = str(value).strip().lower().replace("-", "_")
    aliases = {"image": "images", "text2video": "text_to_video", "image2video": "image_to_video"}
    text = aliases.get(text, text)
    if text not in known:
        raise _bad(line, f"unknown {what} {value!r}; one of: {', '.join(known)}")
    return text


def _localize(params: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """Relative file names that exist become Paths (under ``base_dir``); URLs stay as they are."""

    def visit(value: Any) -> Any:
        if isinstance(value, str) and not value.startswith(("http://", "https://", "data:")):
            candidate = (base_dir / value).expanduser() if not os.path.isabs(value) else Path(value)
            if len(value) < 1024 and "." in value and candidate.is_file():
                return candidate
            return value
        if isinstance(value, list):
            return [visit(item) for item in value]
        if isinstance(value, dict):
            return {key: visit(item) for key, item in value.items()}
        return value

    return {key: visit(value) for key, value in params.items()}


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


def _bad(line: int, reason: str) -> InvalidParameterError:
    return InvalidParameterError(f"line {line}: {reason}; nothing was created", field="jobs")
