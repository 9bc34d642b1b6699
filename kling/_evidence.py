"""Why a check exists: the source that documents it, and what kind of rule it is.

A typed SDK for a paid API earns its checks only if they are never wrong: a check that refuses a
call Kling would take blocks paid work with no way around it. So every rule the SDK checks before
sending, and every refusal FakeKling makes, carries :class:`Evidence`: its :class:`Kind` and the
:class:`Source` s that document it. The kind decides what happens (docs/rules.md lists them all):

==============  ====================================  =====================  ==================
kind            example                               the SDK                FakeKling
==============  ====================================  =====================  ==================
``limit``       kling-2.6 makes no 4k video           refuses before sending refuses, as Kling
``ignored``     TTS ``voice_speed`` out of range is   sends, and logs one    accepts
                rounded                               WARNING
``unsettled``   the pages disagree, or say nothing    sends                  accepts
==============  ====================================  =====================  ==================

This module is sans-I/O and imports nothing heavy: the SDK's tables, FakeKling's and the
generated ``docs/rules.md`` all read it.
"""

from __future__ import annotations

import enum
from typing import NamedTuple, NoReturn

__all__ = ["COPIED", "PAGES", "Evidence", "Kind", "Rule", "Source", "page"]

#: Where the copies of Kling's own pages that the sources name live.
PAGES = "https://github.com/aself101/kling-api/blob/main/docs/api/"


class Kind(str, enum.Enum):
    """What a rule is, which decides what the SDK and FakeKling do with a call that breaks it."""

    LIMIT = "limit"
    """Kling documents the limit and enforces it: refused before sending, and by FakeKling."""
    IGNORED = "ignored"
    """Kling documents the value as having no effect (ignored, rounded, "only takes effect when"):
    sent, with one WARNING on the ``kling`` logger; FakeKling accepts it."""
    UNSETTLED = "unsettled"
    """The sources conflict or are silent: sent without a word; FakeKling accepts it."""


class Source(NamedTuple):
    """One document behind a rule: a page of Kling's, a changelog entry, or a live observation.

    (A named tuple: the tables hold hundreds, and start-up pays for each class it defines.)
    """

    page: str
    """A Kling page's file name as copied under :data:`PAGES`, or a full URL."""
    date: str
    """ISO date of the page's copy, the changelog entry or the observation."""
    quote: str = ""
    """The words of the page that decide the rule."""

    @property
    def url(self) -> str:
        """Where to read the source."""
        return self.page if "://" in self.page else PAGES + self.page

    def __str__(self) -> str:
        return f"{self.page} ({self.date})"


class Evidence(NamedTuple):
    """A rule's kind and its sources."""

    kind: Kind
    sources: tuple[Source, ...]
    why: str = ""
    """For ``ignored`` and ``unsettled``: what Kling does with the value, in a few words."""


#: The date of the copies of Kling's pages under :data:`PAGES` (fetched then).
COPIED = "2026-09-20"


def page(name: str, quote: str = "", *, date: str = COPIED) -> Source:
    """A source on one of Kling's pages under :data:`PAGES`, named without its ``.md`` (e.g.
    ``page("kling-text-to-speech", "rounded")``), or on a page at a full URL."""
    return Source(name if "://" in name else f"{name}.md", date, quote)


class Rule(NamedTuple):
    """One rule a side checks: a stable id, what it says, and its evidence.

    A check that finds the rule broken calls :meth:`Rule.broken`, which does what the rule's kind
    says, so that a rule's kind changes in its row and nowhere else.
    """

    id: str
    """Stable and dotted, e.g. ``legacy.cfg_scale``: docs/rules.md is sorted by it."""
    statement: str
    evidence: Evidence

    @property
    def kind(self) -> Kind:
        """The rule's kind (its evidence decides it)."""
        return self.evidence.kind

    def broken(self, field: str, reason: str, *, at: str | None = None) -> None:
        """A call breaks this rule: refuse it (a ``limit``), warn and send it (``ignored``), or
        send it without a word (``unsettled``). The message is ``"<at or field>: <reason>"``.

        Returns only when the call may go on: a caller checks nothing that assumed the rule held.
        """
        message = f"{at or field}: {reason}"
        if self.evidence.kind is Kind.LIMIT:
            from ._errors import InvalidParameterError

            raise InvalidParameterError(message, field=field)
        if self.evidence.kind is Kind.IGNORED:
            from ._logging import logger

            sources = " and ".join(source.url for source in self.evidence.sources)
            why = self.evidence.why or "Kling documents it as having no effect"
            logger.warning("%s; sent anyway: %s. See %s", message, why, sources)

    def refuse(self, field: str, reason: str, *, at: str | None = None) -> NoReturn:
        """Refuse a call that breaks this rule, whatever its kind: for the shapes a page defines
        (a point is two numbers), limits by nature; a test checks that each row used so is one."""
        from ._errors import InvalidParameterError

        raise InvalidParameterError(f"{at or field}: {reason}", field=field)


def rule(id: str, statement: str, kind: Kind, *sources: Source, why: str = "") -> Rule:
    """A :class:`Rule` row; ``sources`` must name at least one document."""
    return Rule(id, statement, Evidence(kind, sources, why))
