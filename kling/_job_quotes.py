"""What a batch of jobs will cost: every job checked and quoted, nothing sent. No network I/O.

``kling batch run JOBS --dry-run`` prints it; a budget can read the same total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._errors import InvalidParameterError
from ._jobs import Job
from ._quote import Quote, quote_for

__all__ = ["BatchQuote", "JobQuote", "quote_jobs"]


@dataclass(frozen=True)
class JobQuote:
    """One job's quote, and what the batch's table files it under."""

    job: Job
    quote: Quote

    @property
    def what(self) -> str:
        """The family (``text_to_video``) or new-standard product (``v2.text_to_video``)."""
        return self.job.name if self.job.model is None else f"v2.{self.job.name}"

    @property
    def model(self) -> str:
        """The model the job asks for, or the family's default one; ``-`` when it has none."""
        if self.job.model is not None:
            return self.job.model
        from ._params._legacy_models import DEFAULT_MODELS

        model = self.job.params.get("model_name", DEFAULT_MODELS.get(self.job.name))
        return str(model) if model else "-"


@dataclass(frozen=True)
class BatchQuote:
    """The quote of every job of a batch, in file order."""

    jobs: list[JobQuote]

    @property
    def total(self) -> Quote:
        """All the jobs' quotes added up (``Quote(creates=0)`` for no job)."""
        return sum((item.quote for item in self.jobs), Quote(creates=0))

    def groups(self) -> list[tuple[str, str, Quote]]:
        """``(family or product, model, quote)`` per family and model, in order of first job."""
        found: dict[tuple[str, str], Quote] = {}
        for item in self.jobs:
            key = (item.what, item.model)
            found[key] = found[key] + item.quote if key in found else item.quote
        return [(what, model, quote) for (what, model), quote in found.items()]


def quote_jobs(jobs: Sequence[Job]) -> BatchQuote:
    """Check every job as ``batch.run`` does (the first bad one raises, with its line) and quote
    it; nothing is sent."""
    from ._params import prepare_body

    quoted = []
    for job in jobs:
        assert job.row is not None, "jobs come from parse_jobs, which resolves their row"
        try:
            prepare_body(job.row, job.create_params)
        except InvalidParameterError as exc:
            raise InvalidParameterError(
                f"line {job.line}: {exc}; nothing was created", field=exc.field
            ) from None
        quoted.append(JobQuote(job, quote_for(job.row, job.create_params)))
    return BatchQuote(quoted)
