"""`partyledger users add --admin`: the first administrator of a ledger, once; they then sign in as themselves."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from eventstore import open_store
from services.cli.main import cli
from services.commands.context import CommandContext
from services.commands.sign_in import SignIn, sign_in
from services.credentials import CredentialStore
from services.data_keys import open_ledger_log
from services.embedded import seed_minimal_province
from services.settings import Settings

NEW = "Mật-khẩu-riêng-2026"


def test_the_first_administrator_is_created_once_and_signs_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    environment = {"PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_DATABASE_URL": url}
    runner = CliRunner()
    empty = open_store(url)
    empty.close()
    refused = runner.invoke(cli, ["users", "add", "--admin", "quantri", "--name", "Trần Văn Bình"], env=environment)
    assert refused.exit_code == 1 and "province is not registered yet" in refused.output

    store = open_store(url)
    seed_minimal_province(store)
    store.close()
    made = runner.invoke(cli, ["users", "add", "--admin", "quantri", "--name", "Trần Văn Bình"], env=environment)
    assert made.exit_code == 0, made.output
    found = re.search(r"one-time password \(shown once\): (\S+)", made.output)
    assert found is not None
    again = runner.invoke(cli, ["users", "add", "--admin", "quantri2", "--name", "Lê Thị Hoa"], env=environment)
    assert (
        again.exit_code == 1
        and again.output.strip() == "Error: an administrator exists already: create users in the product"
    )

    settings = Settings.from_environment(environment)
    store = open_ledger_log(settings)  # with the deployment's keys: an officer's name is sealed (I13)
    engine = sa.create_engine(url)
    try:
        tokens = sign_in(CommandContext(store), CredentialStore(engine), settings,
                         SignIn("quantri", found.group(1), "127.0.0.1", new_password=NEW))  # fmt: skip
    finally:
        store.close()
        engine.dispose()
    assert (str(tokens.actor.role), tokens.actor.unit_id) == ("provincial_admin", "unit-province")
