"""Sign-in cost: argon2id with the parameters this deployment chose (`services.passwords`), beside the
library's own defaults, and a whole sign-in and refresh through the use cases.

    .venv/bin/python -m bench.signin [--rounds 20] [--threads 2]

1. Raw hash and verify times of argon2-cffi, with its defaults (`PasswordHasher()`: t=3, 64 MiB, p=4) and
   with ours (t=3, 64 MiB, p=1): the cost an attacker pays per guess and the server per sign-in.
2. `sign_in` (throttle and lockout reads, the accounts stream, one verify, the session row and a token) and
   `refresh` (no hash: the session, the account and its assignment), on the memory store and a SQLite file
   for the credentials, one caller, then `--threads` callers at once (argon2 releases the GIL).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher

from eventstore import open_store
from services.commands import accounts as uc
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.sign_in import SignIn, refresh, sign_in
from services.commands.walls import today
from services.credentials import CredentialStore, create_credential_tables
from services.embedded import seed_minimal_province
from services.passwords import hasher
from services.settings import Settings

PASSWORD = "Mật-khẩu-riêng-2026"
ADMIN = Actor("bench-admin", Role.PROVINCIAL_ADMIN, "unit-province")


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    spent = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def line(name: str, spent: list[float]) -> str:
    ordered = sorted(spent)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name:<44} median {statistics.median(spent):7.1f} ms   p95 {p95:7.1f} ms"


def raw(rounds: int) -> None:
    for label, chosen in (("library defaults (t=3, 64 MiB, p=4)", PasswordHasher()), ("ours", hasher())):
        stored = chosen.hash(PASSWORD)
        print(line(f"hash, {label}", timed(lambda c=chosen: c.hash(PASSWORD), rounds)))  # type: ignore[misc]
        print(line(f"verify, {label}", timed(lambda c=chosen, s=stored: c.verify(s, PASSWORD), rounds)))  # type: ignore[misc]
    ours = hasher()
    print(f"ours: time_cost={ours.time_cost}, memory_cost={ours.memory_cost} KiB, parallelism={ours.parallelism}")


def through_use_cases(rounds: int, threads: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url="memory://", broker_url="memory://")
        store = open_store("memory://")
        seed_minimal_province(store)
        ctx = CommandContext(store)
        engine = sa.create_engine(f"sqlite:///{folder}/credentials.db")
        create_credential_tables(engine)
        credentials = CredentialStore(engine)
        logins = []
        for n in range(threads):
            made = uc.create_user(ctx, credentials, ADMIN, login=f"bench.{n}", full_name="Người Đo", contact="",
                                  unit_id="unit-school-cell-1")  # fmt: skip
            uc.assign_role(ctx, ADMIN, user_id=made.user_id, role="cell_secretary", unit_id="unit-school-cell-1",
                           valid_from=today() - timedelta(days=1), valid_until=None, decision_ref="QĐ 1")  # fmt: skip
            sign_in(ctx, credentials, settings, SignIn(made.login, made.one_time_password, "b", new_password=PASSWORD))
            logins.append(made.login)

        def one(login: str) -> str:
            return sign_in(ctx, credentials, settings, SignIn(login, PASSWORD, f"bench-{login}")).refresh_token

        print(line("sign_in, one caller", timed(lambda: one(logins[0]), rounds)))
        token = [one(logins[0])]

        def renew() -> None:
            token[0] = refresh(ctx, credentials, settings, token[0]).refresh_token

        print(line("refresh, one caller", timed(renew, rounds)))
        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, [logins[i % threads] for i in range(rounds * threads)]))
        seconds = time.perf_counter() - start
        print(f"sign_in, {threads} callers at once: {rounds * threads / seconds:.1f} sign-ins/s")
        engine.dispose()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    options = parser.parse_args()
    raw(options.rounds)
    through_use_cases(options.rounds, options.threads)


if __name__ == "__main__":
    main()
