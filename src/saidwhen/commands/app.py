"""The `saidwhen` Typer app; each group of commands lives in `saidwhen.commands.*` (run by `saidwhen.cli.main`)."""

from __future__ import annotations

import os
from enum import Enum

import typer

from saidwhen.commands import browse, ingest, serving, spark, timeline
from saidwhen.statements.accurate import MODE_ENV, MODES, model_problem

Attribution = Enum("Attribution", {m: m for m in MODES}, type=str)  # type: ignore[misc]

app = typer.Typer(
    name="saidwhen",
    help="Who said what, when — with the evidence. Turns news articles into dated, attributed statements.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def _options(
    attribution: Attribution = typer.Option(
        None, "--attribution", envvar=MODE_ENV, show_envvar=True,
        help="fast: the rules only (default); accurate: the trained span model + the rules (more reported "
             "speech found, slower). Applies to every command that extracts statements.",
    ),
) -> None:
    if attribution:
        os.environ[MODE_ENV] = attribution.value  # worker processes inherit it
    if (attribution.value if attribution else None) == "accurate" and (problem := model_problem()):
        typer.echo(problem, err=True)
        raise typer.Exit(2)


for module in (ingest, browse, timeline, serving, spark):
    module.register(app)
