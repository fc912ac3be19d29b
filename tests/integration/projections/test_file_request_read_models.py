"""R-FILE-REQUEST in the read models: the request, the hand-over and the refusal are applied by every projection
without parking a unit; the closed file stays in the list of the cell that closed it (as closed files do) and
the asking cell's list shows the file it then opens."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from eventstore import open_store
from projections.engine import projection_engine
from projections.schema import projection_checkpoints, projection_rows
from services.commands.context import CommandContext
from services.commands.file_requests import RequestAnswer, answer_request
from services.commands.walls import today
from services.embedded import seed_minimal_province
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.support.person_ids import KEY_SETTING, TEST_PERSON_ID_KEY
from tests.unit.services.officers import CELL, NEIGHBOUR, SIBLING, citizen, particulars, person, take
from tests.unit.services.test_file_requests import SCHOOL, ask, world


def test_requests_and_their_answers_reach_the_read_models(tmp_path: Path) -> None:
    embedded = {"PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": "memory://"}
    settings = Settings.from_environment(embedded | KEY_SETTING)
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    ctx = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    world(ctx)
    granted = ask(ctx, 2)
    answer_request(ctx, RequestAnswer(SCHOOL, granted.request_id, True, "Đồng ý", 2, "grant"))
    refused = ask(ctx, 3, key="ask-3")
    answer_request(ctx, RequestAnswer(SCHOOL, refused.request_id, False, "Hồ sơ đang mở", 1, "refuse"))
    take(ctx, NEIGHBOUR, "nominateCandidate", person(2), "re-2", citizen_id=citizen(2),
         particulars=particulars("Quần Chúng Bình"), helper_id=person(5), resolution_ref="NQ 9",
         occurred_on=today().isoformat(), expected_version=3)  # fmt: skip
    store.close()

    catch_up_every_unit(settings)

    engine = projection_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            parked = connection.execute(
                sa.select(projection_checkpoints.c.unit_id).where(projection_checkpoints.c.parked_error.is_not(None))
            ).all()
            files = connection.execute(
                sa.select(projection_rows.c.unit_id, projection_rows.c.row_key).where(
                    projection_rows.c.projection == "files"
                )
            ).all()
    finally:
        engine.dispose()
    assert parked == []
    assert sorted(files) == sorted([(CELL, f"f:{person(2)}"), (CELL, f"f:{person(3)}"), (SIBLING, f"f:{person(2)}")])
