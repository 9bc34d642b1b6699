"""Developer tasks: ``nox -s tests``, ``nox -s lint``, ``nox -s generate``."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after ``--``)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, and a check that kling/_sync matches its async source."""
    session.install("-e", ".[dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--strict", "kling", "scripts/unasync.py")
    session.run("python", "scripts/unasync.py", "--check")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate kling/_sync and tests/_sync from their async sources."""
    session.install("-e", ".[dev]")
    session.run("python", "scripts/unasync.py")
