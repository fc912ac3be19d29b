"""What a batch writes back: only rows that changed, and deletes only of rows the database holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.rows import UnitRows


def test_a_row_made_and_removed_within_a_batch_is_neither_written_nor_deleted() -> None:
    rows = UnitRows()
    rows.put("d:person-1", {"due_on": "2026-03-01"})
    rows.delete("d:person-1")

    assert rows.changes() == ({}, set())


def test_a_stored_row_removed_is_deleted_and_one_put_back_is_written() -> None:
    rows = UnitRows({"p:1": {"stage": "Applicant"}, "p:2": {"stage": "Applicant"}})
    rows.delete("p:1")
    rows.delete("p:2")
    rows.put("p:2", {"stage": "Verified"})

    assert rows.changes() == ({"p:2": {"stage": "Verified"}}, {"p:1"})


def test_after_a_write_the_rows_written_are_the_stored_ones() -> None:
    rows = UnitRows({"gone": {"n": 1}})
    rows.put("new", {"n": 2})
    rows.delete("gone")
    rows.committed()
    rows.delete("new")
    rows.put("gone", {"n": 3})

    assert rows.changes() == ({"gone": {"n": 3}}, {"new"})


operations = st.lists(
    st.tuples(st.sampled_from(["put", "edit", "delete", "commit"]), st.sampled_from("abcd"), st.integers(0, 9))
)


@given(stored=st.dictionaries(st.sampled_from("abcd"), st.integers(0, 9)), steps=operations)
def test_writing_the_changes_leaves_the_database_equal_to_the_rows_held(
    stored: dict[str, int], steps: list[tuple[str, str, int]]
) -> None:
    """A model of the table, changed only by what `changes` says, always ends equal to what is held, and a
    delete is never sent for a key the table does not have."""
    table = {key: {"n": n} for key, n in stored.items()}
    rows = UnitRows({key: dict(row) for key, row in table.items()})

    def write() -> None:
        upserts, deletes = rows.changes()
        assert deletes <= table.keys()
        for key in deletes:
            del table[key]
        table.update({key: dict(row) for key, row in upserts.items()})
        rows.committed()

    for operation, key, n in steps:
        if operation == "put":
            rows.put(key, {"n": n})
        elif operation == "edit":
            rows.edit(key)["n"] = n
        elif operation == "delete":
            rows.delete(key)
        else:
            write()
    write()

    assert table == dict(rows.items())
