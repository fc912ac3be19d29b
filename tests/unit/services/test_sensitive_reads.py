"""Which fields a role that may not read sensitive data loses (issue 20 item 5, DOMAIN §4b): read from the
rows' privacy declarations, applied to named persons' entries only, never to counts."""

from __future__ import annotations

from datetime import date

from projections.queries.files import FileEntry, FilesPage
from projections.queries.member_roll import MemberEntry
from projections.queries.statistics import Statistics
from services.commands.actors import Actor, Role
from services.reads import PERSON_ENTRIES, SENSITIVE_READERS, as_reader_may_see, withheld_fields


def _file(ethnicity: str | None) -> FileEntry:
    return FileEntry(
        unit_id="unit-a", stream_id="person-1", full_name="Nguyễn Văn An", sex="male",
        date_of_birth=date(2000, 1, 2), ethnicity=ethnicity, stage="candidate", stage_label_vi="Quần chúng ưu tú",
        stage_since=None, cell_id=None, helper_id=None, opened_on=None, last_step_on=None, position=3, open=True,
        readmission=False, pending_rule_id=None, pending_due_on=None,
    )  # fmt: skip


def test_the_withheld_fields_are_the_rows_ethnicity_and_religion_declarations() -> None:
    assert withheld_fields(FileEntry) == {"ethnicity"}
    assert withheld_fields(MemberEntry) == frozenset()  # the roll's entry carries neither
    assert withheld_fields(Statistics) == frozenset()
    assert set(PERSON_ENTRIES) == {FileEntry, MemberEntry}


def test_only_the_roles_that_record_particulars_read_a_named_persons_ethnicity() -> None:
    page = FilesPage(3, (_file("tay"), _file(None)), None)
    for role in Role:
        seen = as_reader_may_see(Actor("user-1", role, "unit-a"), page)
        ethnicities = [f.ethnicity for f in seen.files]
        assert ethnicities == (["tay", None] if role in SENSITIVE_READERS else [None, None]), role
        assert [f.full_name for f in seen.files] == ["Nguyễn Văn An"] * 2
    assert {Role.CELL_SECRETARY, Role.GRASSROOTS_OFFICER, Role.PROVINCIAL_ADMIN} == SENSITIVE_READERS


def test_counts_by_ethnicity_stay_for_every_role() -> None:
    stats = Statistics(7, 2024, {"admissions": {"ethnicity": {"tay": 2, "kinh": 5}}})
    assert as_reader_may_see(Actor("user-1", Role.VIEWER, "unit-a"), stats) == stats
