"""`partyledger seal` and the seal-signature part of `partyledger verify` (I7).

The private key is read here, in the one process that seals, from `PARTYLEDGER_SEAL_KEY_FILE` or `--key`;
`verify` needs only the public key (`PARTYLEDGER_SEAL_PUBLIC_KEY_FILE` or `--public-key`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from eventstore import EventStore
from eventstore.seal_signing import SignatureReport, check_signatures, load_private_key, load_public_key, seal_signer
from services.audit.receipts import Receipt, public_key_id, write_receipt
from services.audit.timestamps import TimestampRefused, TokenInvalid, check_token, request_token
from services.cli.options import URL_HELP, open_log, settings_for


@click.command("seal")
@click.option("--database-url", help=URL_HELP)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 private key (PEM) to sign the seal; default $PARTYLEDGER_SEAL_KEY_FILE, else unsigned.",
)
@click.option(
    "--receipt",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the seal's receipt (JSON: position, digest, signature, key id, time-stamp) to FILE, "
    "for `verify --seal FILE`.",
)
@click.option("--tsa", "tsa_url", help="RFC 3161 time-stamp authority URL to time-stamp the seal's digest.")
@click.option(
    "--tsa-cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The authority's certificate chain (PEM): a token that does not check against it is not kept.",
)
def seal_command(
    database_url: str | None, key_file: Path | None, receipt: Path | None, tsa_url: str | None, tsa_cert: Path | None
) -> None:
    """Seal the log up to now and print the seal, to be kept outside the system; the printed line (or the
    receipt) is what `verify --seal` takes. With --tsa, an authority time-stamps the seal after it is recorded:
    if it cannot, the seal stays recorded, the error is one line, and `seal --tsa` again stamps it."""
    settings = settings_for(database_url)
    try:
        key_path = key_file or settings.seal_key_file
        key = None if key_path is None else load_private_key(key_path)
        certificates = None if tsa_cert is None else tsa_cert.read_bytes()
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the sealing key: {exc}") from exc
    store = open_log(settings.database_url, create=False)
    failure = None
    try:
        made = store.seal(sign=None if key is None else seal_signer(key))
        kept = store.seals()
        target = made or (kept[-1] if kept and (tsa_url or receipt) else None)
        click.echo(made.printable() if made else "nothing new to seal")
        if target is None and (tsa_url or receipt):
            click.echo("no seal yet: nothing to time-stamp, no receipt written")
        if made is None and target is not None:
            click.echo(f"the last seal: {target.printable()}")
        if tsa_url and target is not None and target.timestamp is None:
            try:
                token = request_token(tsa_url, target.seal_hash)
                if certificates is not None:
                    check_token(token, target.seal_hash, certificates)
            except (TimestampRefused, TokenInvalid) as exc:
                failure = f"{exc}; seal {target.seal_number} is recorded without a time-stamp (run seal --tsa again)"
            else:
                store.keep_timestamp(target.seal_number, token)
                target = replace(target, timestamp=token)
    finally:
        store.close()
    if receipt is not None and target is not None:
        key_id = None if key is None else public_key_id(key.public_key())
        write_receipt(receipt, Receipt(target, key_id, tsa_url if target.timestamp is not None else None))
    if failure is not None:
        raise click.ClickException(failure)


def signatures(store: EventStore, public_key: Path | None) -> SignatureReport | None:
    """Every seal's signature checked with the public key; None when no key was given."""
    if public_key is None:
        return None
    try:
        key = load_public_key(public_key)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the seals' public key: {exc}") from exc
    return check_signatures(store.seals(), key)
