"""Benches with and without the per-subject keys, so encryption's cost is measured beside the code before it.

`--keys` (the default) opens every store a bench writes or reads through with a keyring made from fixed bench
secrets: appends seal personal fields (AES-256-GCM, `eventstore/field_cipher.py`), reads open them, and the
bench log's rows carry `"_sealed"`. `--no-keys` opens the stores as before encryption (plaintext), which is
also how the same bench file runs in a checkout from before encryption (ab21b48), where the modules imported
here do not exist: they are imported only when keys are asked for.

    git worktree add ../before ab21b48 && cp bench/*.py ../before/bench/
    (cd ../before && .venv/bin/python -m bench.append --no-keys …)   # alternately with
    .venv/bin/python -m bench.append …                                 # this tree, keys on
"""

from __future__ import annotations

import argparse
from typing import Any

import psycopg

BENCH_KEK = "partyledger-bench-key-encryption-key-not-a-secret"
"""The bench's key-encryption key: a fixed text, so a worker started by a bench (`PARTYLEDGER_DATA_KEK`) and a
second run on a kept log (`--log`, `--url`) unwrap the keys the first run made."""
BENCH_ID_SECRET = b"partyledger-bench-subject-key-ids"


def add_keys_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="seal personal fields with per-subject keys (default); --no-keys writes and reads plaintext, "
        "as the code before encryption did",
    )


def keyring(keys: bool) -> Any:
    """The bench's keyring, or None (plaintext) for `--no-keys`."""
    if not keys:
        return None
    from eventstore.subject_keys import KeyEncryptionKeys, Keyring

    return Keyring(KeyEncryptionKeys.from_secrets(BENCH_KEK), BENCH_ID_SECRET)


def open_bench_store(url: str, keys: bool, **kwargs: Any) -> Any:
    """`open_store(url)`, with the bench keyring when `keys` (no `keyring` argument at all otherwise, so the
    call also works on code that predates it)."""
    from eventstore import open_store

    ring = keyring(keys)
    return open_store(url, **kwargs) if ring is None else open_store(url, keyring=ring, **kwargs)


def worker_env(keys: bool) -> dict[str, str]:
    """Settings a worker process needs to open what the bench sealed."""
    return {"PARTYLEDGER_DATA_KEK": BENCH_KEK} if keys else {}


def sealed_share(url: str) -> str:
    """How many of the log's events hold sealed fields, to show that a keyed bench did encrypt."""
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FILTER (WHERE data::text LIKE '%\"_sealed\"%'), count(*) FROM event_log"
        ).fetchone()
    sealed, total = (int(row[0]), int(row[1])) if row else (0, 0)
    return f'{sealed:,} of {total:,} events in the bench log hold "_sealed" fields'
