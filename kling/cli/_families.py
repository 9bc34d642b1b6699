"""One command per task family and synchronous endpoint, generated from the SDK's table.

The table (``kling._families``) says which families and endpoints exist, what each command is
called and which parameters are positional (``kling text-to-video PROMPT``, ``kling
image-to-video IMAGE [PROMPT]``); each row's TypedDict says which parameters it takes. Every
other parameter becomes a ``--kebab-case`` option.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.markup import escape

# Typer vendors Click: the usage error it prints for a missing argument.
from typer._click.exceptions import MissingParameter
from typer.core import TyperArgument

from kling._families import ENDPOINTS, FAMILIES, PRODUCTS, Family, Product
from kling._families import Endpoint as Row

from ._checks import check_output, expected_results
from ._examples import examples
from ._fields import Field, ValueProblem, fields_of, localize, parse_assignment, read_value
from ._help import KlingCommand
from ._results import Finish, check_wait, finish, interrupted_create
from ._state import get_state

__all__ = [
    "GENERATE_PANEL",
    "TASK_COMMANDS",
    "Command",
    "Runner",
    "add_command",
    "add_create_command",
    "add_task_commands",
    "command_name",
    "family_names",
    "output_options",
    "resolve_family",
]

_PARAMETERS_PANEL = "Parameters"
#: Where the generated commands are listed in ``kling --help``.
GENERATE_PANEL = "Generate (creates a task)"
_PARAM_HELP = "Any parameter as KEY=VALUE (VALUE read as JSON when it parses). Repeatable."
_EXTRA_BODY_HELP = "Send a field this SDK does not know, as KEY=VALUE (JSON when it parses)."


#: The option that sends a command to the new standard: ``--model kling-3.0``.
MODEL_FIELD = Field("model", str, "text", False, open_choices=True)


@dataclass(frozen=True)
class Command:
    """A row of the table as one command presents it.

    A family command whose product exists on the new standard takes ``--model`` too: with it,
    the call goes to ``client.v2`` and takes that product's options; without, the legacy ones.
    """

    row: Row
    name: str
    """Command name, e.g. ``text-to-video``."""
    summary: str | None = None
    """One-line help, when not the row's summary."""
    product: Product | None = None
    """The new-standard product ``--model`` routes to."""

    @property
    def key(self) -> str:
        """The row's name: the client attribute."""
        return self.row.name

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every option the command shows: the legacy row's, then the product's own."""
        legacy = fields_of(self.row.params)
        if self.product is None:
            return legacy
        keys = {field.key for field in legacy}
        extra = [f for f in fields_of(self.product.params) if f.key not in keys]
        model = dataclasses.replace(MODEL_FIELD, choices=tuple(self._models()))
        merged = [_loosened(f, self.product) for f in legacy]
        # Positional arguments of the new standard stand in for the legacy ones.
        mapped = {v2 for legacy_key, v2 in self._positions() if legacy_key != v2}
        return (*merged, *(f for f in extra if f.key not in mapped), model)

    @property
    def arguments(self) -> tuple[str, ...]:
        return self.row.arguments

    def route(self, values: dict[str, Any]) -> tuple[tuple[Field, ...], dict[str, Any], str | None]:
        """The fields and values of the call ``values`` asks for, and its model (None: legacy).

        Refuses an option the chosen standard does not have, saying which one has it.
        """
        model = values.get("model")
        if self.product is None or model is None:
            own = fields_of(self.row.params)
            self._refuse_foreign(values, {f.key for f in own}, new_standard=False)
            return own, values, None
        values = dict(values)
        for legacy_key, v2_key in self._positions():
            if legacy_key != v2_key and values.get(legacy_key) is not None:
                values[v2_key] = values.pop(legacy_key)
        own = fields_of(self.product.params)
        self._refuse_foreign(values, {f.key for f in own} | {"model"}, new_standard=True)
        return own, values, model

    def _positions(self) -> list[tuple[str, str]]:
        assert self.product is not None
        return list(zip(self.row.arguments, self.product.arguments, strict=False))

    def _models(self) -> list[str]:
        from kling._params._standard_models import known_models

        assert self.product is not None
        return known_models(self.product.name)

    def _refuse_foreign(
        self, values: dict[str, Any], known: set[str], *, new_standard: bool
    ) -> None:
        if self.product is None:
            return
        for field in self.fields:
            if field.key in known or values.get(field.key) in (None, False):
                continue
            if new_standard:
                raise typer.BadParameter(
                    f"{field.flag} is an option of the legacy endpoint (--model-name); with "
                    f"--model, the new standard takes: "
                    + ", ".join(f.flag for f in fields_of(self.product.params)),
                    param_hint=f"'{field.flag}'",
                )
            raise typer.BadParameter(
                f"{field.flag} is an option of the new standard: add --model (one of "
                f"{', '.join(self._models())}), which needs an API key",
                param_hint=f"'{field.flag}'",
            )


def command_name(key: str) -> str:
    """``text_to_video`` -> ``text-to-video`` (``images`` -> ``image``)."""
    return ENDPOINTS[key].command_name


def _loosened(field: Field, product: Product) -> Field:
    """A legacy field as the merged command reads it: text when the two standards type the
    same option differently (``--duration``: ``"5"`` legacy, ``5`` new), read per route."""
    other = {f.key: f for f in fields_of(product.params)}.get(field.key)
    if other is None or other.kind == field.kind:
        return field
    return dataclasses.replace(field, kind="text", choices=(), open_choices=False)


#: Task families with their own top-level command; elements and voices are ``<noun> create``.
TASK_COMMANDS = tuple(
    Command(family, family.command_name, product=PRODUCTS.get(family.name))
    for family in FAMILIES.values()
    if family.library is None
)


def resolve_family(name: str) -> str:
    """A family key from what a user typed: ``text-to-video``, ``text_to_video``, ``image``..."""
    wanted = name.strip().lower().replace("-", "_")
    for key, family in FAMILIES.items():
        spellings = (key, family.command_name, *family.aliases)
        if wanted in (spelling.replace("-", "_") for spelling in spellings):
            return key
    known = ", ".join(family.command_name for family in FAMILIES.values())
    raise typer.BadParameter(f"unknown family {name!r}; one of: {known}")


def family_names() -> list[str]:
    """Every family's command name, for help and shell completion."""
    return [family.command_name for family in FAMILIES.values()]


# -- building the commands ----------------------------------------------------------------------

#: A command body: the context, the create parameters, and the command's own option values.
Runner = Callable[[typer.Context, dict[str, Any], dict[str, Any]], None]


def add_task_commands(app: typer.Typer) -> None:
    """``kling text-to-video``, ``kling image-to-video``, ... for every task family."""
    for command in TASK_COMMANDS:
        add_create_command(app, command, command.name, downloads=True, panel=GENERATE_PANEL)
        for alias in command.row.aliases:
            add_create_command(app, command, alias, downloads=True, hidden=True)


def add_create_command(
    app: typer.Typer,
    endpoint: Command,
    name: str,
    *,
    downloads: bool,
    hidden: bool = False,
    panel: str | None = None,
    invocation: str | None = None,
) -> None:
    """Register the command that creates a task of ``endpoint`` (then waits, downloads).

    ``invocation``: how the help's examples call it, when not ``kling NAME``.
    """

    def create(ctx: typer.Context, params: dict[str, Any], options: dict[str, Any]) -> None:
        state = get_state(ctx)
        extra = dict(assignments(options["opt_extra_body"], "--extra-body"))
        how = Finish(
            command=endpoint.name,
            wait=options["opt_wait"],
            output=options.get("opt_output"),
            wait_timeout=options["opt_wait_timeout"],
            poll_interval=options["opt_poll_interval"],
        )
        # Before the create: a task is paid for even when its files cannot be saved after.
        check_wait(how)
        if how.output is not None and isinstance(endpoint.row, Family):
            check_output(how.output, expected_results(endpoint.row, params))
        client = state.client()
        if "model" in params:  # the new standard
            resource, waits = getattr(client.v2, endpoint.key), client.v2.tasks
            how = dataclasses.replace(how, command=None)
        else:
            resource = waits = getattr(client, endpoint.key)
        from kling._sync._resources import new_external_id  # with the client, not with --help

        # Our own id, known before sending: after a Ctrl-C it is how to find the task.
        external_id = params.setdefault("external_task_id", new_external_id())
        try:
            task = resource.create(extra_body=extra or None, **params)
        except KeyboardInterrupt:
            findable = not isinstance(endpoint.row, Family) or endpoint.row.external_id_lookup
            raise interrupted_create(state, how, external_id, findable=findable) from None
        finish(state, waits, task, how)

    options = _task_options(downloads=downloads)
    add_command(
        app,
        endpoint,
        name,
        create,
        options,
        hidden=hidden,
        panel=panel,
        invocation=invocation,
        task=True,
    )


def add_command(
    app: typer.Typer,
    endpoint: Command,
    name: str,
    runner: Runner,
    options: list[inspect.Parameter],
    *,
    hidden: bool = False,
    panel: str | None = None,
    invocation: str | None = None,
    task: bool = False,
) -> None:
    """Register ``name``: the endpoint's parameters plus ``options``, handled by ``runner``.

    ``task``: whether it creates a task (``--wait``), for the examples in its help.
    """
    fields = endpoint.fields
    own = {option.name for option in options}
    clash = own & {field.key for field in fields}
    if clash:  # pragma: no cover - a new SDK parameter named like a CLI option
        raise RuntimeError(f"{endpoint.key}: parameters {sorted(clash)} clash with CLI options")

    def command(ctx: typer.Context, **values: Any) -> None:
        given = values.get("opt_param") or any(values.get(f.key) for f in fields)
        if endpoint.arguments and not given:
            _missing_argument(ctx, endpoint.arguments[0])
        route_fields, values, model = endpoint.route(values)
        arguments = endpoint.product.arguments if model and endpoint.product else endpoint.arguments
        params = collect_params(route_fields, values, positional=arguments)
        if model is not None:
            params["model"] = model
        runner(ctx, params, {key: values.get(key) for key in own})

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        *_field_parameters(endpoint),
        *options,
    ]
    # Typer reads the command's parameters from its signature: give it the generated one.
    command.__dict__["__signature__"] = inspect.Signature(parameters)
    command.__name__ = command.__qualname__ = endpoint.key
    short, long = _help(endpoint)
    downloads = "opt_output" in own
    lines = examples(endpoint, invocation or f"kling {name}", task=task, downloads=downloads)
    long += "\n\nExamples:\n\n" + "\n".join(escape(line) for line in lines)
    # A missing argument is a usage error saying which one, not the whole help unasked.
    app.command(
        name, cls=KlingCommand, help=long, short_help=short, hidden=hidden, rich_help_panel=panel
    )(command)


def _missing_argument(ctx: typer.Context, key: str) -> None:
    """``kling text-to-video`` alone: say the argument is missing, as Click does for a required
    one (an argument the SDK may do without, such as a prompt beside custom shots, is declared
    optional, so Click would not)."""
    param = next(p for p in ctx.command.params if p.name == key)
    raise MissingParameter(ctx=ctx, param=param if isinstance(param, TyperArgument) else None)


def collect_params(
    fields: tuple[Field, ...], values: dict[str, Any], *, positional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The create parameters from the parsed command line: given options, then ``--param``."""
    params: dict[str, Any] = {}
    for field in fields:
        value = values.get(field.key)
        if value is None:
            continue
        try:
            params[field.key] = read_value(field, value)
        except ValueProblem as exc:
            name = field.key.upper() if field.key in positional else field.flag
            raise typer.BadParameter(str(exc), param_hint=f"'{name}'") from None
    by_key = {field.key: field for field in fields}
    for key, value in assignments(values.get("opt_param"), "--param"):
        known = by_key.get(key)
        try:
            params[key] = localize(known.hint, value) if known is not None else value
        except ValueProblem as exc:
            raise typer.BadParameter(str(exc), param_hint="'--param'") from None
    return params


def assignments(items: list[str] | None, flag: str) -> list[tuple[str, Any]]:
    pairs = []
    for item in items or ():
        try:
            pairs.append(parse_assignment(item))
        except ValueProblem as exc:
            raise typer.BadParameter(str(exc), param_hint=f"'{flag}'") from None
    return pairs


def _field_parameters(endpoint: Command) -> list[inspect.Parameter]:
    by_key = {field.key: field for field in endpoint.fields}
    parameters = []
    for key in endpoint.arguments:
        field = by_key[key]
        argument = typer.Argument(
            metavar=key.upper(), help=field.help(usage=False), show_default=False
        )
        parameters.append(
            inspect.Parameter(
                key,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[str | None, argument],
                default=inspect.Parameter.empty if field.required else None,
            )
        )
    for field in by_key.values():
        if field.key in endpoint.arguments:
            continue
        parameters.append(
            inspect.Parameter(
                field.key,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[_option_type(field), _option(field)],
                default=None,
            )
        )
    return parameters


def _option_type(field: Field) -> Any:
    kind = {"int": int, "float": float, "bool": bool}.get(field.kind, str)
    return kind | None


def _option(field: Field) -> Any:
    decls = (f"{field.flag}/--no-{field.flag[2:]}",) if field.kind == "bool" else (field.flag,)
    return typer.Option(
        *decls,
        help=field.help(),
        metavar=field.metavar or None,
        show_default=False,
        rich_help_panel=_PARAMETERS_PANEL,
    )


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def output_options() -> list[inspect.Parameter]:
    """``--output DIR`` and ``--param KEY=VALUE``, shared by every generated command."""
    return [
        _keyword(
            "opt_output",
            Annotated[
                # Text, not Path: a trailing slash ("out.d/") says "directory" to the SDK.
                str | None,
                typer.Option(
                    "--output",
                    "-o",
                    metavar="DIR",
                    help="Download the result files into DIR (a file name for a single result).",
                ),
            ],
            None,
        ),
        _keyword(
            "opt_param",
            Annotated[
                list[str] | None,
                typer.Option("--param", "-p", metavar="KEY=VALUE", help=_PARAM_HELP),
            ],
            None,
        ),
    ]


def _task_options(*, downloads: bool) -> list[inspect.Parameter]:
    options = [
        _keyword(
            "opt_wait",
            Annotated[
                bool,
                typer.Option(
                    "--wait", "-w", help="Wait for the task to finish, showing its status."
                ),
            ],
            False,
        ),
        _keyword(
            "opt_wait_timeout",
            Annotated[
                float,
                typer.Option(
                    "--wait-timeout", metavar="SECONDS", help="Give up waiting after this long."
                ),
            ],
            900.0,
        ),
        _keyword(
            "opt_poll_interval",
            Annotated[
                float | None,
                typer.Option(
                    "--poll-interval",
                    metavar="SECONDS",
                    help="First pause between status checks (it grows to 15 s).",
                    show_default=False,
                ),
            ],
            None,
        ),
        _keyword(
            "opt_extra_body",
            Annotated[
                list[str] | None,
                typer.Option("--extra-body", metavar="KEY=VALUE", help=_EXTRA_BODY_HELP),
            ],
            None,
        ),
    ]
    output, param = output_options()
    if downloads:
        options.insert(1, output)
    return [*options, param]


def _help(endpoint: Command) -> tuple[str, str]:
    """Short help from the row's summary, long help from its TypedDict's docstring."""
    short = (endpoint.summary or endpoint.row.summary).replace("``", "")
    details = (inspect.getdoc(endpoint.row.params) or "").replace("``", "")
    if endpoint.product is not None:
        models = ", ".join(endpoint._models())
        details += (
            f"\n\nWith --model ({models}, or a newer id) the task goes to Kling's new "
            "standard (API 2.0, which needs an API key) and takes its options: "
            + ", ".join(f.flag for f in fields_of(endpoint.product.params))
            + ". Without --model it goes to the legacy endpoint, whose model is --model-name."
        )
    return short, f"{short}\n\n{details}" if details else short
