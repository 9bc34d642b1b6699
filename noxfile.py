"""Developer tasks: ``nox -s tests``, ``nox -s lint``, ``nox -s generate``, ``nox -s bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after ``--``)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.10")
def oldest(session: nox.Session) -> None:
    """The test suite on the oldest supported Python (requires-python >= 3.10)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, and a check that the generated code matches its sources.

    ``tests/typing_checks`` holds code that must type-check, or fail to where it says so.
    """
    session.install("-e", ".[dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run(
        "mypy", "--strict", "kling", "scripts/unasync.py", "tests/typing_checks", "benchmarks"
    )
    session.run("python", "scripts/unasync.py", "--check")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the family modules from their table, and kling/_sync and tests/_sync."""
    session.install("-e", ".[dev]")
    session.run("python", "scripts/unasync.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx and a naive fan-out; rewrites benchmarks/RESULTS.md."""
    session.install("-e", ".[testing]")
    session.run("python", "-m", "benchmarks", *session.posargs)
