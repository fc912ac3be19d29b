"""The `partyledger` command line: one entry point for operators and for the embedded demo."""

from __future__ import annotations

import click


@click.group()
def cli() -> None:
    """Party Ledger: the member-development log of a provincial party organisation."""
