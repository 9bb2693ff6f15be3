"""The generator's command: ``python -m loaders.synthetic --out DIR --size N --seed S``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from .generator import DEFAULT_TODAY, generate

__all__ = ["main"]


@click.command()
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder."
)
@click.option(
    "--size",
    default=2000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Approximate number of entities.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed.")
@click.option(
    "--today",
    default=DEFAULT_TODAY.isoformat(),
    show_default=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Reference date (YYYY-MM-DD).",
)
def main(out: Path, size: int, seed: int, today: datetime) -> None:
    """Synthetic, deterministic test data for the five Ondergraaf source files."""
    rows = generate(out, size, seed, today.date())
    for name, n in rows.items():
        click.echo(f"{name}.csv\t{n}")
    click.echo(f"planted.json\t{out / 'planted.json'}")
