"""`partyledger seal` and the seal-signature part of `partyledger verify` (I7).

The private key is read here, in the one process that seals, from `PARTYLEDGER_SEAL_KEY_FILE` or `--key`;
`verify` needs only the public key (`PARTYLEDGER_SEAL_PUBLIC_KEY_FILE` or `--public-key`).
"""

from __future__ import annotations

from pathlib import Path

import click

from eventstore import EventStore
from eventstore.seal_signing import SignatureReport, check_signatures, load_private_key, load_public_key, seal_signer
from services.audit.receipts import Receipt, public_key_id, write_receipt
from services.audit.sealing import seal_and_stamp
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
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the sealing key: {exc}") from exc
    try:
        certificates = None if tsa_cert is None else tsa_cert.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read the authority's certificates: {exc}") from exc
    store = open_log(settings, create=False)
    try:
        sealed = seal_and_stamp(
            store, sign=None if key is None else seal_signer(key), tsa_url=tsa_url, tsa_certificates=certificates
        )
    finally:
        store.close()
    click.echo(sealed.made.printable() if sealed.made else "nothing new to seal")
    if sealed.made is None and (tsa_url or receipt):
        click.echo(f"the last seal: {sealed.last.printable()}" if sealed.last else "no seal yet: no receipt written")
    if receipt is not None and sealed.last is not None:
        key_id = None if key is None else public_key_id(key.public_key())
        stamped_by = tsa_url if sealed.stamped_now else None
        write_receipt(receipt, Receipt(sealed.last, key_id, stamped_by))
    if sealed.stamp_failure is not None:
        raise click.ClickException(sealed.stamp_failure)


def signatures(store: EventStore, public_key: Path | None) -> SignatureReport | None:
    """Every seal's signature checked with the public key; None when no key was given."""
    if public_key is None:
        return None
    try:
        key = load_public_key(public_key)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the seals' public key: {exc}") from exc
    return check_signatures(store.seals(), key)
