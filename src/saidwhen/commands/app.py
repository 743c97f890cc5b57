"""The `saidwhen` Typer app; each group of commands lives in `saidwhen.commands.*` (run by `saidwhen.cli.main`)."""

from __future__ import annotations

import typer

from saidwhen.commands import browse, ingest, serving, spark, timeline

app = typer.Typer(
    name="saidwhen",
    help="Who said what, when — with the evidence. Turns news articles into dated, attributed statements.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

for module in (ingest, browse, timeline, serving, spark):
    module.register(app)
