"""`partyledger seal` and the seal-signature part of `partyledger verify` (I7).

The private key is read here, in the one process that seals, from `PARTYLEDGER_SEAL_KEY_FILE` or `--key`;
`verify` needs only the public key (`PARTYLEDGER_SEAL_PUBLIC_KEY_FILE` or `--public-key`).
"""

from __future__ import annotations

from pathlib import Path

import click

from eventstore import EventStore
from eventstore.seal_signing import SignatureReport, check_signatures, load_public_key, signer_from_file
from services.cli.options import URL_HELP, open_log, settings_for


@click.command("seal")
@click.option("--database-url", help=URL_HELP)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 private key (PEM) to sign the seal; default $PARTYLEDGER_SEAL_KEY_FILE, else unsigned.",
)
def seal_command(database_url: str | None, key_file: Path | None) -> None:
    """Seal the log up to now and print the seal, to be kept outside the system."""
    settings = settings_for(database_url)
    try:
        sign = signer_from_file(key_file or settings.seal_key_file)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the sealing key: {exc}") from exc
    store = open_log(settings.database_url, create=False)
    try:
        made = store.seal(sign=sign)
    finally:
        store.close()
    click.echo(made.printable() if made else "nothing new to seal")


def signatures(store: EventStore, public_key: Path | None) -> SignatureReport | None:
    """Every seal's signature checked with the public key; None when no key was given."""
    if public_key is None:
        return None
    try:
        key = load_public_key(public_key)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the seals' public key: {exc}") from exc
    return check_signatures(store.seals(), key)
