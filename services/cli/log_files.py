"""`partyledger export`, `partyledger import`, `partyledger migrate-log` and the kept-seal check of
`partyledger verify --seal`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from eventstore import EventStore, EventStoreError
from eventstore.field_cipher import SealBroken
from eventstore.seal_signing import load_private_key, load_public_key, seal_signer
from projections.queries import subtree_units
from services.audit.clocks import VIETNAM
from services.audit.log_migration import migrate_ledger
from services.audit.receipts import read_receipt
from services.audit.transfer import ImportRefused, export_log, import_log
from services.audit.verifying import KeptSeal, check_kept_seal, check_receipt
from services.cli.options import URL_HELP, first_line, open_log, redacted, settings_for
from services.commands.tree_log import load_tree


def check_seal(store: EventStore, kept: str, public_key: Path | None, tsa_cert: Path | None) -> None:
    """Exit 0 when the log still proves the kept seal (a printed line or a receipt file), 1 (with the reason)
    when it does not. With the sealing key's public half every seal up to it must be signed by it."""
    try:
        key = None if public_key is None else load_public_key(public_key)
        certificates = None if tsa_cert is None else tsa_cert.read_bytes()
        receipt = read_receipt(Path(kept)) if _is_file(kept) else None
        parsed = None if receipt is not None else KeptSeal.parse(kept)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if parsed is not None and certificates is not None:
        raise click.ClickException("--tsa-cert checks a receipt's time-stamp: give --seal the receipt file")
    if receipt is not None:
        result = check_receipt(store, receipt, key, certificates)
    else:
        assert parsed is not None
        result = check_kept_seal(store, parsed, key)
    if not result.holds:
        click.echo(f"seal {result.kept} does not hold: {result.reason}", err=True)
        sys.exit(1)
    click.echo(f"seal {result.seal_number} ({result.kept}) holds: {result.reason}")


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a printed line too long for a file name, or with a NUL
        return False


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--unit", "unit_id", help="Only the streams touching this unit's subtree (no seals).")
@click.option("--database-url", help=URL_HELP)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 sealing key (PEM) to sign the export's digest, checked by `import --public-key`.",
)
def export_command(file: Path, unit_id: str | None, database_url: str | None, key_file: Path | None) -> None:
    """Write the log as JSON Lines with every hash, seal and stream head, for an auditor or a restore, and print
    the export's digest to keep apart from the file (`import --digest`)."""
    try:
        key = None if key_file is None else load_private_key(key_file)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the sealing key: {exc}") from exc
    store = open_log(settings_for(database_url), create=False)
    try:
        units = None
        if unit_id is not None:
            tree, _ = load_tree(store)
            on = datetime.now(VIETNAM).date()
            if tree.state_on(unit_id, on) is None:
                raise click.ClickException(f"no unit {unit_id!r} in the tree today")
            units = subtree_units(tree, unit_id, on)
        with file.open("wb") as out:
            done = export_log(store, out, units, sign=None if key is None else key.sign)
    finally:
        store.close()
    scope = f"the streams of {unit_id}'s subtree" if unit_id else "the log"
    signed = ", signed by the sealing key" if key is not None else ""
    click.echo(f"exported {scope}: {done.events} events, {done.seals} seals to {file}")
    click.echo(f"export digest sha256 {done.digest.hex()}{signed} (keep it apart: import --digest checks it)")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", help=URL_HELP)
@click.option("--digest", "kept_digest", help="The export digest `export` printed: the file must still give it.")
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 public key (PEM): the export must be signed by the sealing key.",
)
def import_command(file: Path, database_url: str | None, kept_digest: str | None, public_key: Path | None) -> None:
    """Verify every hash of an export and write it into an EMPTY log; a tampered file (a stream's tail cut
    included) is refused, naming its line."""
    try:
        digest = None if kept_digest is None else bytes.fromhex(kept_digest.strip().removeprefix("sha256 "))
        key = None if public_key is None else load_public_key(public_key)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"--digest is 64 hex digits and --public-key an Ed25519 PEM key: {exc}") from exc
    settings = settings_for(database_url)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_log(settings)
    try:
        done = import_log(store, file, digest=digest, public_key=key)
    except ImportRefused as exc:
        raise click.ClickException(f"refused, nothing imported: {file}:{exc.line}: {exc.reason}") from exc
    except EventStoreError as exc:
        raise click.ClickException(f"refused, nothing imported: {exc}") from exc
    finally:
        store.close()
    checked = "" if digest is None and key is None else ", checked against the one kept"
    click.echo(
        f"imported {done.events} events and {done.seals} seals from {file}; every hash verified; "
        f"export digest sha256 {done.digest.hex()}{checked}"
    )


@click.command("migrate-log")
@click.option("--from", "old_url", required=True, help="The log written before encryption (only read).")
@click.option("--database-url", help="The NEW, empty log: " + URL_HELP)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 private key (PEM) to sign the new log's first seal; default $PARTYLEDGER_SEAL_KEY_FILE.",
)
def migrate_log_command(old_url: str, database_url: str | None, key_file: Path | None) -> None:
    """Re-write a log written before encryption into a NEW, EMPTY log with every personal field sealed: verifies
    the old log (sealed up to its head) first, keeps every event's stream, version, unit, type, data, metadata and
    both clocks, and starts the new log with a record naming the old last seal, which its first seal binds. All
    or nothing; the old log is never written."""
    settings = settings_for(database_url)
    try:
        key_path = key_file or settings.seal_key_file
        key = None if key_path is None else load_private_key(key_path)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read the sealing key: {exc}") from exc
    if settings.database_url == old_url:
        raise click.ClickException("--from names the new log itself: give the new, empty log's --database-url")
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    source = open_log(settings_for(old_url), create=False)
    try:
        target = open_log(settings)
        try:
            done = migrate_ledger(source, target, sign=None if key is None else seal_signer(key))
        except (EventStoreError, SealBroken) as exc:
            raise click.ClickException(f"refused, nothing migrated: {exc}") from exc
        except Exception as exc:  # a driver's error mid-way: the new log's transaction rolled back
            raise click.ClickException(f"failed, nothing migrated: {first_line(exc)}") from exc
        finally:
            target.close()
    finally:
        source.close()
    click.echo(
        f"migrated {done.events} events in {done.streams} streams from {redacted(old_url)} "
        f"(its last {done.previous.printable()}); {done.keys_copied} keys carried over"
    )
    click.echo(f"new log's first {done.first_seal.printable()} (keep it; it binds the record at position 1)")
