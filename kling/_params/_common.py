"""Field types shared by the parameter TypedDicts.

Each alias is ``Annotated[<static type>, <runtime check>]``: mypy and editors see only the static
type, pydantic runs the check. Checks fail with a ``PydanticCustomError`` of type ``"kling"``
whose message is already plain words ("at most 2500 characters (got 2612)"); ``_validate`` puts
the field path in front.

The checks are :class:`After` and :class:`Plain` markers rather than pydantic's own validator
classes, and the config is set as ``__pydantic_config__``: the same to pydantic, but importing
them does not import pydantic's validator machinery, which only the first validation needs
(the table of families imports this module).

The markers also say what they imply in JSON Schema (``maxLength``, ``minimum``, an enum...), so
``pydantic.TypeAdapter(params).json_schema()`` describes exactly what validation accepts; the
attribute docstrings of the TypedDicts become the properties' descriptions. None of that runs
before a JSON schema is asked for.
"""

import functools
from collections.abc import Callable, Sized
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    NoReturn,
    TypeVar,
    get_args,
    get_origin,
)

from typing_extensions import Required, TypedDict, is_typeddict

from .._errors import InvalidParameterError
from .._evidence import Kind, Rule
from .._files import (
    MediaError,
    MediaInput,
    encode_audio,
    encode_audio_file,
    encode_image,
    encode_url,
)
from . import _rulebook as R

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema

#: A JSON Schema (a JSON object).
JsonSchema = dict[str, Any]
#: Set on the JSON schema of a media input that takes the file itself (not only a URL); its value
#: says what it takes: ``"image"``, ``"audio"`` or ``"audio_file"`` (the file only, no URL).
MEDIA_KEY = "x-kling-media"
#: Where a :class:`Plain` marker leaves its JSON schema in the core schema's metadata.
_SCHEMA_KEY = "kling_json_schema"

_N = TypeVar("_N", int, float)
_S = TypeVar("_S", bound=Sized)
_T = TypeVar("_T")


def params_config(cls: _T) -> _T:
    """Validate a params TypedDict strictly (no "5" -> 5 coercion), refusing unknown keys, so
    that a typo is an error instead of a silently ignored field."""
    cls.__pydantic_config__ = {  # type: ignore[attr-defined]
        "extra": "forbid",
        "strict": True,
        # Only read when a JSON schema is generated, so validation never pays for the docstrings.
        "json_schema_extra": _describe_properties,
    }
    return cls


class After:
    """Annotated metadata: ``check(value)`` runs once the value has its declared type.

    ``json_schema`` holds the keywords the check implies (``{"maxLength": 2500}``), added to
    the declared type's schema.
    """

    __slots__ = ("check", "json_schema")

    def __init__(self, check: Callable[[Any], Any], json_schema: JsonSchema | None = None) -> None:
        self.check = check
        self.json_schema = json_schema or {}

    def __get_pydantic_core_schema__(
        self, source: Any, handler: "GetCoreSchemaHandler"
    ) -> "CoreSchema":
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: "CoreSchema", handler: "GetJsonSchemaHandler"
    ) -> JsonSchema:
        return _merged(handler(schema), self.json_schema)


class Plain:
    """Annotated metadata: ``check(value)`` validates the raw value and returns what is sent.

    ``json_schema`` is what the check accepts (pydantic cannot know it), as a JSON schema or a
    function of the annotated type.
    """

    __slots__ = ("check", "json_schema")

    def __init__(
        self,
        check: Callable[[Any], Any],
        json_schema: JsonSchema | Callable[[Any], JsonSchema],
    ) -> None:
        self.check = check
        self.json_schema = json_schema

    def __get_pydantic_core_schema__(
        self, source: Any, handler: "GetCoreSchemaHandler"
    ) -> "CoreSchema":
        from pydantic_core import core_schema

        # The annotated type rides along for the JSON schema; it costs validation nothing.
        return core_schema.no_info_plain_validator_function(
            self.check, metadata={_SCHEMA_KEY: functools.partial(self.schema_for, source)}
        )

    def __get_pydantic_json_schema__(
        self, schema: "CoreSchema", handler: "GetJsonSchemaHandler"
    ) -> JsonSchema:
        # The handler is not called: pydantic has no JSON schema for a plain validator.
        build = (schema.get("metadata") or {}).get(_SCHEMA_KEY)
        return build() if callable(build) else {}

    def schema_for(self, source: Any) -> JsonSchema:
        """The JSON schema of this check on a field annotated with ``source``."""
        if callable(self.json_schema):
            return self.json_schema(source)
        return dict(self.json_schema)


def _merged(schema: JsonSchema, extra: JsonSchema) -> JsonSchema:
    """``schema`` with ``extra``'s keywords; descriptions add up rather than replace."""
    merged = {**schema, **extra}
    if "description" in schema and "description" in extra:
        merged["description"] = f"{schema['description']} {extra['description']}"
    return merged


# -- JSON Schema -----------------------------------------------------------------------------------
# Only used when a JSON schema is asked for (``TypeAdapter(params).json_schema()``).


def _describe_properties(schema: JsonSchema, cls: type) -> None:
    """Give each property of ``cls``'s JSON schema the docstring of its attribute (inherited
    ones too: pydantic's ``use_attribute_docstrings`` only reads the class's own, and reads them
    whenever the validator is built)."""
    docs = _attribute_docs(cls)
    for name, prop in schema.get("properties", {}).items():
        doc = docs.get(name)
        if doc is not None and isinstance(prop, dict):
            prop["description"] = f"{doc} {prop['description']}" if "description" in prop else doc


@functools.cache
def _attribute_docs(cls: type) -> dict[str, str]:
    """``{attribute: docstring}`` of a TypedDict and the TypedDicts it extends."""
    import ast
    import inspect
    import itertools
    import textwrap

    docs: dict[str, str] = {}
    for base in getattr(cls, "__orig_bases__", ()):
        if is_typeddict(base):
            docs.update(_attribute_docs(base))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):  # no source (a frozen app): no descriptions
        return docs
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def reject(reason: str) -> NoReturn:
    """Fail validation of the current value with ``reason`` (plain words, no field name)."""
    # Imported when validating (pydantic is loaded by then): the table that names these checks
    # (``kling._families``) is read without pydantic, by ``kling --help`` among others.
    from pydantic_core import PydanticCustomError

    raise PydanticCustomError("kling", "{reason}", {"reason": reason})


def number(value: float) -> str:
    """Format a number for a message: ``1.5``, ``10``, ``0.8``."""
    return str(value) if isinstance(value, int) else f"{value:g}"


# -- constraint factories --------------------------------------------------------------------------


def max_chars(limit: int) -> After:
    """At most ``limit`` characters."""

    def check(value: str) -> str:
        if len(value) > limit:
            reject(f"at most {limit} characters (got {len(value)})")
        return value

    return After(check, {"maxLength": limit})


def between(low: float, high: float, *, rule: Rule | None = None, field: str = "") -> After:
    """``low <= value <= high`` (NaN fails too).

    By default the endpoint's page documents the range as a limit; ``rule`` names a row of
    ``_rulebook`` when the page says otherwise (``field`` names the field for its warning), e.g.
    a value Kling rounds into range is sent with a WARNING.
    """

    def check(value: _N) -> _N:
        if not low <= value <= high:
            reason = f"must be between {number(low)} and {number(high)} (got {number(value)})"
            if rule is None or rule.kind is Kind.LIMIT:
                reject(reason)
            rule.broken(field, reason)
        return value

    return After(check, {"minimum": low, "maximum": high})


def at_least(low: int) -> After:
    """``value >= low``."""

    def check(value: int) -> int:
        if value < low:
            reject(f"must be at least {low} (got {value})")
        return value

    return After(check, {"minimum": low})


def _one_decimal(value: float) -> float:
    if round(value, 1) != value:
        reject(f"at most one decimal place (got {number(value)})")
    return value


# Its JSON schema says so in words, not as ``multipleOf: 0.1``: validators compute that in binary
# floating point, where 3.3 is no multiple of 0.1.
#: At most one decimal place (Kling's audio durations are given in tenths of a second).
one_decimal = After(_one_decimal, {"description": "At most one decimal place."})


def items(low: int, high: int | None = None) -> After:
    """A list with ``low`` to ``high`` items (``high=None``: no upper bound)."""

    def check(value: _S) -> _S:
        count = len(value)
        if high == low and count != low:
            reject(f"exactly {_count(low)} (got {count})")
        if count < low:
            reject(f"at least {_count(low)} (got {count})")
        if high is not None and count > high:
            reject(f"at most {_count(high)} (got {count})")
        return value

    bounds: JsonSchema = {"minItems": low} if high is None else {"minItems": low, "maxItems": high}
    return After(check, bounds)


def _count(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def seconds(low: int, high: int, *, allowed: tuple[int, ...] = ()) -> Plain:
    """A whole number of seconds given as ``"5"`` or ``5``; Kling wants the string ``"5"``.

    ``allowed`` narrows ``low..high`` to a few values (e.g. ``5, 10``).
    """
    values = allowed or tuple(range(low, high + 1))

    def check(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            reject(f'must be a whole number of seconds like "5" (got {type(value).__name__})')
        if isinstance(value, str):
            if not (value.isascii() and value.isdigit()):
                reject(f'must be a whole number of seconds like "5" (got {value[:20]!r})')
            value = int(value)
        if value not in values:
            if allowed:
                choices = ", ".join(f'"{v}"' for v in allowed)
                reject(f'must be one of {choices} seconds (got "{value}")')
            reject(f'must be from "{low}" to "{high}" seconds (got "{value}")')
        return str(value)

    # Kling's spelling only: the integer the SDK also takes is a convenience for Python callers.
    return Plain(
        check,
        {
            "type": "string",
            "enum": [str(v) for v in values],
            "description": 'Whole seconds, as a string ("5").',
        },
    )


def _open_string(value: object) -> str:
    # model_name and friends: known values are listed for editors, but any string is sent so a
    # model released tomorrow works today.
    if not isinstance(value, str):
        reject(f"must be a string (got {type(value).__name__})")
    if not value:
        reject("must not be empty")
    return value


def _identifier(value: object) -> int | str:
    # Element and face ids are 64-bit numbers in Kling's examples but strings elsewhere.
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        reject(f"must be an id (int or str) (got {type(value).__name__})")
    if value == "":
        reject("must not be empty")
    return value


def _open_string_schema(source: Any) -> JsonSchema:
    # The known values of the Literal in ``Literal[...] | str`` are examples, not an enum.
    known = [v for arg in get_args(source) if get_origin(arg) is Literal for v in get_args(arg)]
    schema: JsonSchema = {"type": "string", "minLength": 1}
    if known:
        schema["examples"] = known
        schema["description"] = "Any model id; the ones known to this SDK are the examples."
    return schema


def _media(encode: Callable[[object], str], json_schema: JsonSchema) -> Plain:
    def check(value: object) -> str:
        try:
            return encode(value)
        except MediaError as exc:
            reject(str(exc))

    return Plain(check, json_schema)


_INLINE = "an http(s) URL, or the file itself as a data: URI or raw Base64"
_IMAGE_SCHEMA: JsonSchema = {
    "type": "string",
    "description": f"An image: {_INLINE} (JPEG or PNG, up to 10 MB, at least 300 px a side).",
    MEDIA_KEY: "image",
}
_AUDIO_SCHEMA: JsonSchema = {
    "type": "string",
    "description": f"Audio: {_INLINE} (MP3, WAV, M4A or AAC, up to 5 MB).",
    MEDIA_KEY: "audio",
}
_AUDIO_FILE_SCHEMA: JsonSchema = {
    "type": "string",
    "description": "Audio as a data: URI or raw Base64, not a URL (MP3, WAV, M4A or AAC, <= 5 MB).",
    MEDIA_KEY: "audio_file",
}
_URL_SCHEMA: JsonSchema = {"type": "string", "format": "uri", "description": "An http(s) URL."}


# -- reusable field types --------------------------------------------------------------------------

#: Image input: URL, Path, bytes, data: URI or raw Base64; sent as URL or raw Base64.
ImageInput = Annotated[MediaInput, _media(encode_image, _IMAGE_SCHEMA)]
#: Audio input (MP3/WAV/M4A/AAC, <= 5 MB): URL, Path, bytes, data: URI or raw Base64.
AudioInput = Annotated[MediaInput, _media(encode_audio, _AUDIO_SCHEMA)]
#: Audio given inline only (Path, bytes, data: URI or raw Base64; not a URL).
AudioFileInput = Annotated[MediaInput, _media(encode_audio_file, _AUDIO_FILE_SCHEMA)]
#: An ``http(s)`` URL (videos are only ever passed by URL).
Url = Annotated[str, _media(encode_url, _URL_SCHEMA)]
#: Element / face id: an int or a string.
Identifier = Annotated[
    int | str,
    Plain(_identifier, {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]}),
]
OpenString = Plain(_open_string, _open_string_schema)


def _non_blank(value: str) -> str:
    if not value.strip():
        reject("must not be empty or only spaces")
    return value


#: Refuses a string that is empty or only whitespace (Kling answers those with 1201).
non_blank = After(_non_blank, {"minLength": 1, "pattern": r"\S"})

Prompt = Annotated[str, max_chars(2500), non_blank]
NegativePrompt = Annotated[str, max_chars(2500)]
CfgScale = Annotated[float, between(0, 1)]
Fidelity = Annotated[float, between(0, 1)]
ImageCount = Annotated[int, between(1, 9)]
VoiceSpeed = Annotated[float, between(0.8, 2.0, rule=R.VOICE_SPEED, field="voice_speed")]

Mode = Literal["std", "pro"]
VideoAspectRatio = Literal["16:9", "9:16", "1:1"]
ImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]
OnOff = Literal["on", "off"]
YesNo = Literal["yes", "no"]
VoiceLanguage = Literal["zh", "en"]

#: Video length in seconds as Kling spells it ("5"); an int is accepted and sent as a string.
#: The union of all models' values: "5"/"10" for older models, "3"..."15" for kling-v3.
VideoDuration = Annotated[
    Literal["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"] | int,
    seconds(3, 15),
]
#: Older endpoints that only make 5 or 10 second videos.
ShortVideoDuration = Annotated[Literal["5", "10"] | int, seconds(5, 10, allowed=(5, 10))]


# -- shared nested structures ----------------------------------------------------------------------


@params_config
class WatermarkInfo(TypedDict, total=False):
    """``{"enabled": True}`` also returns a watermarked copy (``watermark_url``)."""

    enabled: Required[bool]


@params_config
class ImageListItem(TypedDict, total=False):
    """One reference image: ``{"image": Path("a.png")}``."""

    image: Required[ImageInput]


@params_config
class ElementListItem(TypedDict, total=False):
    """A reference to an element from the element library: ``{"element_id": 8298...}``."""

    element_id: Required[Identifier]


@params_config
class VoiceListItem(TypedDict, total=False):
    """A voice for ``<<<voice_1>>>`` in the prompt: ``{"voice_id": "..."}``."""

    voice_id: Required[str]


class CallbackOptions(TypedDict, total=False):
    """Optional on every asynchronous create."""

    callback_url: str
    """Kling POSTs the task here whenever its status changes."""
    external_task_id: str
    """Your own id for the task, unique per account; lets you look the task up by it."""


class TaskOptions(CallbackOptions, total=False):
    """Optional on every asynchronous create that produces media."""

    watermark_info: WatermarkInfo


def describe(value: Any) -> str:
    """A short, safe rendering of a value for a message (never a whole Base64 payload)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value)} characters)"
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    text = repr(value)
    return text if len(text) <= 60 else f"<{type(value).__name__}>"


def unix_ms(value: object, field: str) -> int:
    """A time given as a ``datetime`` (naive: local time) or Unix milliseconds, in ms."""
    from datetime import datetime

    if isinstance(value, datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 10**11:
            raise InvalidParameterError(
                f"{field} looks like seconds ({value}); pass Unix milliseconds or a datetime",
                field=field,
            )
        return value
    raise InvalidParameterError(
        f"{field} must be a datetime or Unix milliseconds, got {value!r}", field=field
    )
