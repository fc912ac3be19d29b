"""The register's figures on both databases: people and outcomes as the log holds them, the read-model rows
naming a person as the read models hold them, and the reads recorded (issue 20 item 6)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from domain.codec import EVENTS
from domain.retention import Outcome
from eventstore import EventStore
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import projection_rows
from services.audit.access import record_read
from services.audit.person_reads import ReadKind, record_person_read
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from services.privacy.report import privacy_report
from services.record_tables import create_record_tables
from tests.unit.services.officers import person
from tests.unit.services.test_privacy_report import a_cell_with_five_people


def test_the_register_counts_what_the_log_the_read_models_and_the_reads_hold(
    engine: sa.Engine, store: EventStore
) -> None:
    seed_minimal_province(store)
    a_cell_with_five_people(CommandContext(store, lambda units: None))
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
    for unit in sorted(store.unit_heads()):
        runner.catch_up(unit)
    create_record_tables(engine)
    record_read(engine, user_id="kiemtra.tinhuy", role="auditor", acting_unit="unit-province",
                operation="history", subject="unit-school", detail="")  # fmt: skip
    reader = Actor("bithu.chibo1", Role.CELL_SECRETARY, "unit-school-cell-1")
    record_person_read(engine, reader, ReadKind.FILE, person(1))
    record_person_read(engine, reader, ReadKind.PERSON, person(2))

    report = privacy_report(store, engine, retention_months=[], today=date(2026, 12, 7))

    figures = report.figures
    assert figures.people == 5
    assert figures.by_outcome == {Outcome.WITHDRAWN: 1, Outcome.REJECTED: 1}
    r = projection_rows.c
    with engine.connect() as connection:
        files = connection.execute(sa.select(sa.func.count()).where(r.projection == "files")).scalar_one()
        members = connection.execute(sa.select(sa.func.count()).where(r.row_key.like("m:%"))).scalar_one()
    assert figures.rows_naming_people is not None
    assert figures.rows_naming_people["files[f:<stream id>]"] == files == 3
    assert figures.rows_naming_people["member_roll[m:<stream id>]"] == members == 2
    assert (figures.reads, figures.readers, figures.audit_reads) == (2, 1, 1)
    assert report.head_position == store.head_position()
