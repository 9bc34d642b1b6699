"""Cross-field checks (what types cannot say).

A check is a function taking the already type-checked parameters; each row of the family table
(``kling._families``) lists the checks its family needs, in the order they run. A check that
finds a rule broken names the rule's row in ``_rulebook``, whose kind decides whether the call is
refused (:class:`~kling._errors.InvalidParameterError`), warned about or let through.
"""

from collections.abc import Callable, Mapping
from typing import Any

from .._evidence import Rule
from . import _rulebook as R

Params = Mapping[str, Any]
Check = Callable[[Params], None]


def fail(rule: Rule, field: str, reason: str, *, subject: str | None = None) -> None:
    """``rule`` is broken: ``"<subject or field>: <reason>"`` is refused, warned about or let
    through as the rule's kind says (``kling._evidence``)."""
    rule.broken(field, reason, at=subject)


def _alternatives(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def exactly_one(rule: Rule, params: Params, *names: str, prefix: str = "") -> None:
    """Exactly one of ``names`` must be present (``prefix`` locates nested params)."""
    given = [name for name in names if name in params]
    if not given:
        fail(rule, prefix + names[0], f"one of {_alternatives(names)} is required")
    elif len(given) > 1:
        fail(
            rule,
            prefix + given[1],
            f"cannot be combined with {given[0]}; pass only one of {_alternatives(names)}",
        )


def one_of(*names: str) -> Check:
    """The check "exactly one of ``names``", e.g. ``one_of("video_id", "video_url")``."""

    def check(params: Params) -> None:
        exactly_one(R.ONE_INPUT, params, *names)

    check.__qualname__ = check.__name__ = f"one_of({', '.join(map(repr, names))})"
    return check


def require(rule: Rule, params: Params, name: str, when: str) -> None:
    """``name`` must be present; ``when`` explains the condition for the message."""
    if name not in params:
        fail(rule, name, f"required {when}")


def forbid(rule: Rule, params: Params, names: tuple[str, ...], reason: str) -> None:
    """None of ``names`` may be present."""
    for name in names:
        if name in params:
            fail(rule, name, reason)


# -- rules shared by several video families --------------------------------------------------------

_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")


def camera_control(params: Params) -> None:
    """``type="simple"`` needs a config with exactly one non-zero axis; other types take none."""
    control = params.get("camera_control")
    if control is None:
        return
    kind = control["type"]
    config = control.get("config")
    if kind == "simple":
        if config is None:
            fail(R.CAMERA_CONFIG, "camera_control.config", 'required when type is "simple"')
        moving = [axis for axis in _AXES if config.get(axis, 0) != 0]
        if len(moving) != 1:
            got = f"{len(moving)}: {', '.join(moving)}" if moving else "0"
            fail(
                R.CAMERA_CONFIG,
                "camera_control.config",
                f'type "simple" needs exactly one non-zero axis among {", ".join(_AXES)} '
                f"(got {got})",
            )
    elif config is not None:
        fail(
            R.CAMERA_CONFIG,
            "camera_control.config",
            f'only allowed when type is "simple" (got type "{kind}")',
        )


def multi_shot(params: Params) -> None:
    """``multi_shot``, ``shot_type`` and ``multi_prompt`` agree; shots fill ``duration``."""
    if not params.get("multi_shot", False):
        forbid(
            R.SHOTS_UNUSED, params, ("shot_type", "multi_prompt"), "only used with multi_shot=True"
        )
        return
    shot_type = params.get("shot_type")
    if shot_type is None:
        fail(R.SHOTS, "shot_type", 'required when multi_shot=True ("customize" or "intelligence")')
    if shot_type == "intelligence":
        require(R.SHOTS, params, "prompt", 'when shot_type is "intelligence"')
        forbid(R.SHOTS_UNUSED, params, ("multi_prompt",), 'only used when shot_type is "customize"')
        return
    require(R.SHOTS, params, "multi_prompt", 'when shot_type is "customize"')
    total = sum(int(shot["duration"]) for shot in params["multi_prompt"])
    if "duration" in params and total != int(params["duration"]):
        fail(
            R.SHOTS,
            "multi_prompt",
            f"shot durations add up to {total} s but duration is {params['duration']} s",
        )


def prompt_unless_custom_shots(params: Params) -> None:
    """``prompt`` is required except for multi-shot ``customize`` (each shot has its own)."""
    custom = params.get("multi_shot", False) and params.get("shot_type") == "customize"
    if "prompt" not in params and not custom:
        fail(R.PROMPT, "prompt", 'required (unless multi_shot=True with shot_type="customize")')


def voices_need_sound(params: Params) -> None:
    """``voice_list`` only works with ``sound="on"``."""
    if "voice_list" in params and params.get("sound") != "on":
        fail(R.VOICES_SOUND, "voice_list", 'needs sound="on"')
