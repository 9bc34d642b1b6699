"""One command per task row (both standards) and synchronous endpoint, from the SDK's table.

The table (``kling._families``) says which families, products and endpoints exist, what each
command is called and which parameters are positional (``kling text-to-video PROMPT``, ``kling
image-to-video IMAGE [PROMPT]``); each row's TypedDict says which parameters it takes. Every
other parameter becomes a ``--kebab-case`` option. How rows become commands is in ``_commands``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.markup import escape

# Typer vendors Click: the usage error it prints for a missing argument.
from typer._click.exceptions import MissingParameter
from typer.core import TyperArgument

from kling._families import ENDPOINTS, FAMILIES
from kling._rows import TaskRow, resource_of, tasks_of

from ._checks import check_output, expected_results
from ._commands import Command, source_command, task_commands
from ._examples import examples
from ._fields import Field, ValueProblem, fields_of, localize, parse_assignment, read_value
from ._groups import KlingCommand
from ._lazy import LazyCommand, add_lazily
from ._results import Finish, check_wait, finish, interrupted_create
from ._state import get_state

__all__ = [
    "GENERATE_PANEL",
    "TASK_COMMANDS",
    "Runner",
    "add_command",
    "add_create_command",
    "command_name",
    "dry_run_option",
    "family_names",
    "output_options",
    "register",
    "resolve_family",
]

_PARAMETERS_PANEL = "Parameters"
#: Where the generated commands are listed in ``kling --help``.
GENERATE_PANEL = "Generate (creates a task)"
_PARAM_HELP = "Any parameter as KEY=VALUE (VALUE read as JSON when it parses). Repeatable."
_EXTRA_BODY_HELP = "Send a field this SDK does not know, as KEY=VALUE (JSON when it parses)."

#: The task commands, one per name among the rows of both standards (libraries apart).
TASK_COMMANDS = task_commands()


def command_name(key: str) -> str:
    """``text_to_video`` -> ``text-to-video`` (``images`` -> ``image``)."""
    return ENDPOINTS[key].command_name


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


def register(app: typer.Typer) -> None:
    """``kling text-to-video``, ``kling image-to-video``, ... for every task row."""
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
        row = endpoint.target(params)
        assert isinstance(row, TaskRow)
        if options.get("opt_dry_run"):
            from ._quotes import print_dry_run

            print_dry_run(row, params, extra or None, json=state.json)
            return
        how = Finish(
            command=source_command(row),
            wait=options["opt_wait"],
            output=options.get("opt_output"),
            wait_timeout=options["opt_wait_timeout"],
            poll_interval=options["opt_poll_interval"],
        )
        # Before the create: a task is paid for even when its files cannot be saved after.
        check_wait(how)
        if how.output is not None:
            check_output(how.output, expected_results(row, params))
        client = state.client()
        resource, waits = resource_of(client, row), tasks_of(client, row.source)
        # Our own id, known before sending: after a Ctrl-C it is how to find the task.
        from kling._ids import random_external_id  # it imports hashlib: not at start-up

        external_id = params.setdefault("external_task_id", random_external_id())
        try:
            task = resource.create(extra_body=extra or None, **params)
        except KeyboardInterrupt:
            raise interrupted_create(
                state, how, external_id, findable=row.external_id_lookup
            ) from None
        finish(state, waits, task, how)

    add_command(
        app,
        endpoint,
        name,
        create,
        functools.partial(_task_options, downloads=downloads),
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
    options: Callable[[], list[inspect.Parameter]],
    *,
    hidden: bool = False,
    panel: str | None = None,
    invocation: str | None = None,
    task: bool = False,
) -> None:
    """Register ``name``: the endpoint's parameters plus ``options()``, handled by ``runner``.

    ``task``: whether it creates a task (``--wait``), for the examples in its help. On the root
    app the command is built when used (``_lazy``); its short help is all ``kling --help`` reads.
    """

    def add(target: typer.Typer) -> None:
        _add_command(
            target,
            endpoint,
            name,
            runner,
            options(),
            hidden=hidden,
            panel=panel,
            invocation=invocation,
            task=task,
        )

    short = _short_help(endpoint)
    add_lazily(app, LazyCommand(name, add, short_help=short, panel=panel, hidden=hidden))


def _add_command(
    app: typer.Typer,
    endpoint: Command,
    name: str,
    runner: Runner,
    options: list[inspect.Parameter],
    *,
    hidden: bool,
    panel: str | None,
    invocation: str | None,
    task: bool,
) -> None:
    """Add the command ``add_command`` registers to ``app``: its signature, help, examples."""
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
        params = collect_params(route_fields, values, positional=endpoint.positional(model))
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
    # What the command was made from, for whoever reads the command tree (the tests).
    command.__dict__["kling_command"] = endpoint
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


def dry_run_option() -> inspect.Parameter:
    """``--dry-run``, shared by every command that creates (``print_dry_run`` answers it)."""
    return _keyword(
        "opt_dry_run",
        Annotated[
            bool,
            typer.Option(
                "--dry-run",
                help="Check the parameters, print the body that would be sent and what it "
                "would cost at Kling's list prices; send nothing (no credentials needed).",
            ),
        ],
        False,
    )


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
        dry_run_option(),
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


def _short_help(endpoint: Command) -> str:
    """The row's summary (or the command's own): one line in ``kling --help``."""
    return (endpoint.summary or endpoint.row.summary).replace("``", "")


def _help(endpoint: Command) -> tuple[str, str]:
    """Short help from the row's summary, long help from its TypedDict's docstring."""
    short = _short_help(endpoint)
    details = (inspect.getdoc(endpoint.row.typed_dict) or "").replace("``", "")
    product = endpoint.product
    if product is not None:
        models = ", ".join(endpoint.models())
        # A field the command takes as a positional argument has no option: name the argument.
        positions = dict(zip(product.arguments, endpoint.arguments, strict=False))
        options = ", ".join(
            positions[f.key].upper() if f.key in positions else f.flag
            for f in fields_of(product.typed_dict)
        )
        if endpoint.legacy is None:
            details += (
                f"\n\nKling's new standard (API 2.0, which needs an API key): --model is "
                f"required ({models}, or a newer id). It takes: {options}."
            )
        else:
            details += (
                f"\n\nWith --model ({models}, or a newer id) the task goes to Kling's new "
                "standard (API 2.0, which needs an API key) and takes: "
                + options
                + ". Without --model it goes to the legacy endpoint, whose model is --model-name."
            )
    return short, f"{short}\n\n{details}" if details else short
