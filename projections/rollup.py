"""Kept roll-ups (DESIGN §5): each group's sum of its member units' counter rows, written in the same
transaction as the units' own rows, so at every committed snapshot a group's sum equals the sum a query
would make of its members' rows.

Why kept: the city's dashboard and HD 11 page summed ~660,000 rows of 30,171 units at query time (7 – 16 s).
With the units grouped under their commune-level committee (~170 groups of ~180 units), an upper unit's
answer reads its groups' rows and the few units no group covers (`projections/queries/rollup.py`).

- **Groups** (`rollup_members`): each unit is in at most one group; a group is named by a unit id (the
  commune-level committee the units stood under when grouped). Membership never changes what an answer
  says, only how fast it is: a reader uses a group only when every member of it is a unit it was asked
  about, and reads the other units' own rows. `regroup` follows the tree (a unit moved, ceased and merged).
- **Sums** (`rollup_rows`): for each rolled-up (projection, version) and row key, {"n": members with a row
  at that key, "sum": their numbers added up, nested maps key by key, zeros dropped}. `n` tells "no member
  has a target" from "their targets add up to 0" (`_own_or_sum`).
- **Writers**: the runner hands over each batch's rows before and after (`capture`, `record`); rebuild's swap
  hands over the scratch rows replacing the live ones (`record_swap`); a dropped version drops its sums.
  Scratch versions (rebuild, compare) keep no sums: they are summed when swapped in.
- **Positions** (`POSITIONS`): each group also counts its members' checkpoints per position, changed with
  them, so an answer over groups reports the lowest checkpoint of their members without reading them.
- **Locks**, always in this order: the units' checkpoints (the runner's), their membership (an advisory lock
  per unit, shared by writers, exclusive when `regroup` moves them: it exists before the unit joins a group),
  their `rollup_members` rows (FOR SHARE; FOR UPDATE when moved), then the sum rows: on PostgreSQL a writer
  adds its change in its upsert (`rollup_schema.ROLLUP_ADD`, rows in key order), so writers of one commune
  wait only on the rows they both change, never on another commune's; `regroup` also locks the groups' rows.
  SQLite has one writer.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from domain.errors import InvalidCommand
from domain.units.tree import UnitTree

from .checkpoints import Move
from .rollup_schema import rollup_groups, rollup_members, rollup_rows
from .rows import Row, UnitRows, row_json
from .schema import projection_checkpoints as cp
from .schema import projection_rows as pr

SCRATCH_VERSIONS: Final = 1_000_000
"""Versions from here are a rebuild's scratch space (`projections.rebuild.SCRATCH`): no sums kept for them."""


@dataclass(frozen=True)
class Counted:
    """How a projection's rows feed the sums: which row keys are sources (`source`), and the counter rows a
    source row adds to (`counters`; a row counts as itself unless told otherwise)."""

    source: Callable[[str], bool]
    counters: Callable[[str, Row], dict[str, Row]] | None = None
    prefix: str = ""
    """A prefix every source key has (what a query reads of a unit's rows when the counters are not the rows)."""

    def of(self, key: str, row: Row) -> dict[str, Row]:
        return self.counters(key, row) if self.counters is not None else {key: row}


def _open_deadline_due(_key: str, row: Row) -> dict[str, Row]:
    """A running deadline counts under "due" by its due date: how many are overdue today is a sum over the
    dates before today's cut (`queries.deadlines`), never stored. Other clocks (met, breached, stale papers)
    count nothing."""
    if row.get("status") == "open" and row.get("kind") == "deadline":
        return {"due": {row["due_on"]: 1}}
    return {}


ROLLED_UP: Final[dict[str, Counted]] = {
    "unit_dashboard": Counted(lambda key: not key.startswith("p:")),
    "statistics": Counted(lambda key: key.startswith("s:")),
    "unit_plans": Counted(lambda key: key.startswith(("target:", "plan:"))),
    "deadlines": Counted(lambda key: key.startswith("d:"), _open_deadline_due, "d:"),
}
"""The projections whose rows are summed up the tree, and how (a unit_dashboard `p:` row is a person's
place, not a count; a deadline row is a person's clock, counted by its due date)."""

_ROLLUP_COLUMNS: Final = (
    rollup_rows.c.projection,
    rollup_rows.c.version,
    rollup_rows.c.group_id,
    rollup_rows.c.row_key,
    rollup_rows.c.data,
)
Sums = dict[str, Any]
"""A roll-up row's data: {"n": rows summed, "sum": their numbers added up}."""
Key = tuple[str, int, str]
"""(projection, version, row key)."""


def add_into(into: dict[str, Any], row: Mapping[str, Any], sign: int = 1) -> None:
    """Add `row`'s numbers into `into` (times `sign`): ints add, nested maps add key by key, the rest (names,
    dates) is not a count and is left out. As `queries.reading.add_counts`, which sums at query time."""
    for key, value in row.items():
        if isinstance(value, dict):
            add_into(into.setdefault(key, {}), value, sign)
        elif isinstance(value, int) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + sign * value


def pruned(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row without zero counts and empty maps: a sum that fell back to nothing is absent, as it is when
    no member ever had it, so a kept sum and one made at query time compare equal."""
    kept: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            inner = pruned(value)
            if inner:
                kept[key] = inner
        elif value != 0:
            kept[key] = value
    return kept


def sums_of(name: str, rows: Mapping[str, Row]) -> dict[str, Sums]:
    """The counter rows `rows` (source rows of projection `name`) add up to: counter key → {"n": source rows
    adding to it, "sum": what they add}."""
    counted = ROLLED_UP[name]
    found: dict[str, Sums] = {}
    for key, row in rows.items():
        if counted.source(key):
            for counter, value in counted.of(key, row).items():
                sums = found.setdefault(counter, {"n": 0, "sum": {}})
                sums["n"] += 1
                add_into(sums["sum"], value)
    return found


def difference(new: Mapping[str, Sums], old: Mapping[str, Sums]) -> dict[str, Sums]:
    """Counter key → what to add to turn `old` sums into `new` ones (keys that do not change are left out)."""
    found: dict[str, Sums] = {}
    for key in {*new, *old}:
        change: Sums = {"n": 0, "sum": {}}
        for sums, sign in ((new.get(key), 1), (old.get(key), -1)):
            if sums is not None:
                change["n"] += sign * sums["n"]
                add_into(change["sum"], sums["sum"], sign)
        change["sum"] = pruned(change["sum"])
        if change["n"] or change["sum"]:
            found[key] = change
    return found


def _copy(row: Row) -> Row:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in row.items()}


def rolled_up(versions: Mapping[str, int]) -> dict[str, int]:
    """The (projection → version) pairs of a batch whose sums are kept."""
    return {name: v for name, v in versions.items() if name in ROLLED_UP and v < SCRATCH_VERSIONS}


Before = dict[tuple[str, str], dict[str, Row]]
"""(unit, projection) → its counter rows as they were loaded (copies: the batch changes rows in place)."""


def capture(rows: Mapping[str, Mapping[str, UnitRows]], versions: Mapping[str, int]) -> Before:
    """Copies of the counter rows of the units' rolled-up projections, before a batch is applied."""
    kept = rolled_up(versions)
    before: Before = {}
    for unit_id, by_name in rows.items():
        for name in kept:
            unit_rows = by_name.get(name)
            if unit_rows is not None:
                source = ROLLED_UP[name].source
                before[unit_id, name] = {k: _copy(v) for k, v in unit_rows.items() if source(k)}
    return before


UnitDeltas = dict[str, dict[Key, Sums]]
"""unit → (projection, version, row key) → the change to add to its group's sum there."""


def deltas(before: Before, rows: Mapping[str, Mapping[str, UnitRows]], versions: Mapping[str, int]) -> UnitDeltas:
    """What the batch changed in each unit's counters: the changed source rows' sums, new less old."""
    found: UnitDeltas = {}
    for (unit_id, name), old_rows in before.items():
        source = ROLLED_UP[name].source
        upserts, deletes = rows[unit_id][name].changes()
        changed = [key for key in [*upserts, *deletes] if source(key)]
        if not changed:
            continue
        old = sums_of(name, {key: old_rows[key] for key in changed if key in old_rows})
        new = sums_of(name, {key: upserts[key] for key in changed if key in upserts})
        for counter, change in difference(new, old).items():
            found.setdefault(unit_id, {})[name, versions[name], counter] = change
    return found


def record(
    connection: sa.Connection,
    before: Before,
    rows: Mapping[str, Mapping[str, UnitRows]],
    versions: Mapping[str, int],
    moves: Iterable[Move] = (),
) -> None:
    """Add a batch's changes to its units' groups: its counters, and where its checkpoints moved (call before
    the rows are saved: `changes` is still set)."""
    changes = deltas(before, rows, versions) if before else {}
    kept = rolled_up(versions)
    for move in moves:
        checkpoint = move.checkpoint
        if kept.get(checkpoint.projection) == checkpoint.version and move.position != checkpoint.position:
            change = _position_change(checkpoint.position, move.position)
            if change is not None:
                changes.setdefault(checkpoint.unit_id, {})[checkpoint.projection, checkpoint.version, POSITIONS] = (
                    change
                )
    add_to_groups(connection, changes)


POSITIONS: Final = "@positions"
"""A group's row of its members' checkpoints: {"sum": {position: members there}} (a member at 0, never built,
is not counted): the lowest key is the position an answer over the whole group reflects."""


def stored_sums(data: Mapping[str, Any]) -> Sums:
    """A stored roll-up row as {"n", "sum"}: PostgreSQL's adding leaves zeros out (`ROLLUP_ADD`)."""
    return {"n": int(data.get("n", 0)), "sum": dict(data.get("sum", {}))}


def _position_change(old: int, new: int) -> Sums | None:
    change: dict[str, int] = {}
    if old > 0:
        change[str(old)] = -1
    if new > 0:
        change[str(new)] = change.get(str(new), 0) + 1
    change = pruned(change)
    return {"n": 0, "sum": change} if change else None


def add_to_groups(connection: sa.Connection, changes: UnitDeltas) -> None:
    """Add each unit's changes to the sums of the group it is in (a unit in no group adds to none)."""
    if not changes:
        return
    groups = members_of(connection, sorted(changes), lock="share")
    by_group: dict[str, dict[Key, Sums]] = {}
    for unit_id, unit_changes in changes.items():
        group = groups.get(unit_id)
        if group is not None:
            _merge(by_group.setdefault(group, {}), unit_changes)
    _apply(connection, by_group)


def _merge(into: dict[Key, Sums], changes: Mapping[Key, Sums], sign: int = 1) -> None:
    for key, change in changes.items():
        sums = into.setdefault(key, {"n": 0, "sum": {}})
        sums["n"] += sign * change["n"]
        add_into(sums["sum"], change["sum"], sign)


def members_of(connection: sa.Connection, unit_ids: Sequence[str], lock: str | None = None) -> dict[str, str]:
    """unit → its group, for the units that are in one; `lock` "share" (a writer) or "update" (a move)."""
    query = (
        sa.select(rollup_members.c.unit_id, rollup_members.c.group_id)
        .where(_among(connection, rollup_members.c.unit_id, unit_ids))
        .order_by(rollup_members.c.unit_id)
    )
    if lock is not None and connection.dialect.name == "postgresql":
        _lock_membership(connection, unit_ids, exclusive=lock == "update")
        query = query.with_for_update(read=lock == "share")
    return dict(connection.execute(query).all())


_UNIT_LOCKS: Final = 0x526F6C6C  # "Roll": the advisory-lock class of a unit's membership
_LOCK_UNITS: Final = {
    False: "SELECT count(pg_advisory_xact_lock_shared(:space, k)) FROM unnest(CAST(:keys AS int[])) AS t(k)",
    True: "SELECT count(pg_advisory_xact_lock(:space, k)) FROM unnest(CAST(:keys AS int[])) AS t(k)",
}


def _lock_membership(connection: sa.Connection, unit_ids: Sequence[str], *, exclusive: bool) -> None:
    """A unit's membership, locked whether or not it has a row: a writer shares it until it commits, a move
    holds it alone. Row locks alone let a race through: a unit not yet in a group has no `rollup_members` row
    to lock, so a writer could find it in no group (adding nothing) while a move, reading the unit's rows as
    they stood before that writer committed, put it in one: the group's sums then missed the writer's change
    (a race open at the worker's first regroup, beside the soak's load). Keys are taken in one
    ascending order in every transaction (no deadlock); two units sharing a key only wait for each other."""
    keys = sorted(
        {int.from_bytes(hashlib.blake2b(u.encode(), digest_size=4).digest(), "big", signed=True) for u in unit_ids}
    )
    if keys:
        connection.execute(sa.text(_LOCK_UNITS[exclusive]), {"space": _UNIT_LOCKS, "keys": keys})


def _among(connection: sa.Connection, column: sa.ColumnElement[str], ids: Sequence[str]) -> sa.ColumnElement[bool]:
    if connection.dialect.name == "postgresql" and len(ids) > 64:
        return column == sa.any_(sa.bindparam(None, list(ids), type_=ARRAY(sa.Text())))
    return column.in_(list(ids))


def _lock_groups(connection: sa.Connection, group_ids: Sequence[str]) -> None:
    """The groups' rows, locked in id order: writers of one group take turns, other groups go on."""
    if connection.dialect.name == "postgresql" and group_ids:
        query = sa.select(rollup_groups.c.group_id).where(_among(connection, rollup_groups.c.group_id, group_ids))
        connection.execute(query.order_by(rollup_groups.c.group_id).with_for_update()).all()


def _apply(connection: sa.Connection, by_group: Mapping[str, Mapping[Key, Sums]]) -> None:
    """Add the changes to the groups' stored sums; a sum of no rows is deleted."""
    changed = {g: {k: s for k, s in c.items() if s["n"] or pruned(s["sum"])} for g, c in by_group.items()}
    changed = {g: c for g, c in changed.items() if c}
    if not changed:
        return
    if connection.dialect.name == "postgresql":
        _add_on_server(connection, changed)
        return
    stored = _stored(connection, changed)
    upserts, deletes = [], []
    for group, changes in changed.items():
        for (name, version, key), change in changes.items():
            sums = stored.get((name, version, group, key)) or {"n": 0, "sum": {}}
            total = {"n": sums["n"] + change["n"], "sum": _copy(sums["sum"])}
            add_into(total["sum"], change["sum"])
            total["sum"] = pruned(total["sum"])
            row = {"projection": name, "version": version, "group_id": group, "row_key": key}
            if total["n"] == 0 and not total["sum"]:
                deletes.append(row)
            else:
                upserts.append({**row, "data": total})
    if deletes:
        connection.execute(
            sa.delete(rollup_rows).where(
                rollup_rows.c.projection == sa.bindparam("projection"),
                rollup_rows.c.version == sa.bindparam("version"),
                rollup_rows.c.group_id == sa.bindparam("group_id"),
                rollup_rows.c.row_key == sa.bindparam("row_key"),
            ),
            deletes,
        )
    if upserts:
        _upsert(connection, upserts)


_ADD_ARRAYS = """
INSERT INTO rollup_rows AS kept (projection, version, group_id, row_key, data)
SELECT p, v, g, k, d::jsonb
  FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t(p, v, g, k, d, i)
 ORDER BY i
ON CONFLICT (projection, version, group_id, row_key) DO UPDATE
   SET data = partyledger_rollup_add(kept.data, excluded.data)
"""


def _add_on_server(connection: sa.Connection, changed: Mapping[str, Mapping[Key, Sums]]) -> None:
    """One statement: each change added to its stored sum by the server (`ROLLUP_ADD`), in (projection,
    version, group, key) order so that two writers lock shared rows in the same order."""
    rows = sorted(
        (name, version, group, key, change)
        for group, c in changed.items()
        for (name, version, key), change in c.items()
    )
    columns = (
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        [row_json({"n": r[4]["n"], "sum": pruned(r[4]["sum"])}) for r in rows],
    )
    connection.exec_driver_sql(_ADD_ARRAYS, columns)


def _stored(
    connection: sa.Connection, changed: Mapping[str, Mapping[Key, Sums]]
) -> dict[tuple[str, int, str, str], Sums]:
    pairs = sorted({(name, version) for changes in changed.values() for name, version, _ in changes})
    keys = sorted({key for changes in changed.values() for _, _, key in changes})
    query = sa.select(*_ROLLUP_COLUMNS).where(
        sa.tuple_(rollup_rows.c.projection, rollup_rows.c.version).in_(pairs),
        _among(connection, rollup_rows.c.group_id, sorted(changed)),
        _among(connection, rollup_rows.c.row_key, keys),
    )
    return {(n, v, g, k): data for n, v, g, k, data in connection.execute(query)}


def _upsert(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(rollup_rows)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(rollup_rows.primary_key.columns), set_={"data": statement.excluded.data}
        ),
        rows,
    )


def record_swap(
    connection: sa.Connection, unit_ids: Sequence[str], live: Mapping[str, int], scratch: Mapping[str, int]
) -> None:
    """Rebuild's swap: the units' scratch rows replace their live ones, so their groups' sums change by the
    scratch counters less the live ones (call with the units' checkpoints locked, before the swap)."""
    kept = rolled_up(live)
    if not kept or not unit_ids:
        return
    changes: UnitDeltas = {}
    old = _counter_rows(connection, unit_ids, kept)
    new = _counter_rows(connection, unit_ids, {name: scratch[name] for name in kept})
    for unit_id in unit_ids:
        for name, version in kept.items():
            before, after = old.get((unit_id, name), {}), new.get((unit_id, name), {})
            for counter, change in difference(sums_of(name, after), sums_of(name, before)).items():
                changes.setdefault(unit_id, {})[name, version, counter] = change
    live_at = _checkpoints(connection, unit_ids, kept.items())
    scratch_at = _checkpoints(connection, unit_ids, [(name, scratch[name]) for name in kept])
    for unit_id in unit_ids:
        for name, version in kept.items():
            moved = _position_change(live_at.get((unit_id, name), 0), scratch_at.get((unit_id, name), 0))
            if moved is not None:
                changes.setdefault(unit_id, {})[name, version, POSITIONS] = moved
    add_to_groups(connection, changes)


def _checkpoints(
    connection: sa.Connection, unit_ids: Sequence[str], versions: Iterable[tuple[str, int]]
) -> dict[tuple[str, str], int]:
    """(unit, projection) → its checkpoint's position at the given versions."""
    pairs = sorted(versions)
    if not pairs:
        return {}
    query = sa.select(cp.c.unit_id, cp.c.projection, cp.c.position).where(
        sa.tuple_(cp.c.projection, cp.c.version).in_(pairs), _among(connection, cp.c.unit_id, unit_ids)
    )
    return {(unit_id, name): int(position) for unit_id, name, position in connection.execute(query)}


def _checkpoints_all(
    connection: sa.Connection, unit_ids: Sequence[str], versions: Sequence[tuple[str, int]]
) -> dict[str, dict[tuple[str, int], int]]:
    """unit → (projection, version) → its checkpoint's position."""
    if not versions:
        return {}
    query = sa.select(cp.c.unit_id, cp.c.projection, cp.c.version, cp.c.position).where(
        sa.tuple_(cp.c.projection, cp.c.version).in_(list(versions)), _among(connection, cp.c.unit_id, unit_ids)
    )
    found: dict[str, dict[tuple[str, int], int]] = {}
    for unit_id, name, version, position in connection.execute(query):
        found.setdefault(unit_id, {})[name, int(version)] = int(position)
    return found


def _counter_rows(connection: sa.Connection, unit_ids: Sequence[str], versions: Mapping[str, int]) -> Before:
    """(unit, projection) → its source rows of the given versions (person rows not read)."""
    query = sa.select(pr.c.unit_id, pr.c.projection, pr.c.row_key, pr.c.data).where(
        sa.tuple_(pr.c.projection, pr.c.version).in_(sorted(versions.items())),
        _among(connection, pr.c.unit_id, unit_ids),
        ~pr.c.row_key.startswith("p:"),
    )
    found: Before = {}
    for unit_id, name, key, data in connection.execute(query):
        if ROLLED_UP[name].source(key):
            found.setdefault((unit_id, name), {})[key] = data
    return found


def drop_version(connection: sa.Connection, projection: str, version: int) -> None:
    rows = rollup_rows.c
    connection.execute(sa.delete(rollup_rows).where(rows.projection == projection, rows.version == version))


def group_of(tree: UnitTree, unit_id: str, on: date) -> str | None:
    """The group a unit's counts are kept in: the unit below the top of the tree it stood under on `on` (a
    commune-level committee, or the top's direct child itself); a ceased unit goes with the unit holding its
    files (R-UNIT-REORG), whose answers read its rows. The top of the tree is in no group."""
    try:
        holder = tree.successor_of(unit_id, on)
    except (InvalidCommand, ValueError):
        return None
    path = tree.as_of(on).path(holder) if holder in tree.as_of(on) else ()
    return path[1] if len(path) >= 2 else None


def wanted_groups(tree: UnitTree, on: date) -> dict[str, str]:
    """unit → the group it should be in on `on`, for every unit the tree knows."""
    found = {}
    for unit in tree.all_latest():
        group = group_of(tree, unit.unit_id, on)
        if group is not None:
            found[unit.unit_id] = group
    return found


@dataclass(frozen=True)
class Regrouped:
    joined: int
    moved: int
    left: int

    @property
    def total(self) -> int:
        return self.joined + self.moved + self.left


MOVE_CHUNK = 500
"""Units moved in one transaction: the first grouping of a city moves all 30,000."""


def regroup(engine: sa.Engine, wanted: Mapping[str, str]) -> Regrouped:
    """Put every unit in the group `wanted` names (none when absent), moving its counts along: a unit that
    joins adds its rows to its group, one that leaves takes them away. Safe beside running writers (the
    lock order above) and twice (a second run finds nothing to move)."""
    with engine.connect() as connection:
        query = sa.select(rollup_members.c.unit_id, rollup_members.c.group_id)
        current = dict(connection.execute(query).all())
    differing = sorted(u for u in {*wanted, *current} if wanted.get(u) != current.get(u))
    joined = moved = left = 0
    for start in range(0, len(differing), MOVE_CHUNK):
        with engine.begin() as connection:
            j, m, lft = _move(connection, differing[start : start + MOVE_CHUNK], wanted)
        joined, moved, left = joined + j, moved + m, left + lft
    return Regrouped(joined, moved, left)


def _move(connection: sa.Connection, unit_ids: list[str], wanted: Mapping[str, str]) -> tuple[int, int, int]:
    now = members_of(connection, unit_ids, lock="update")
    moving = [u for u in unit_ids if wanted.get(u) != now.get(u)]
    if not moving:
        return 0, 0, 0
    versions = _kept_versions(connection)  # after the lock: a version a writer starts now adds to the new group
    rows = _counter_rows_all(connection, moving, versions)
    positions = _checkpoints_all(connection, moving, versions)
    by_group: dict[str, dict[Key, Sums]] = {}
    for unit_id in moving:
        contribution: dict[Key, Sums] = {}
        for (name, version), by_key in rows.get(unit_id, {}).items():
            for counter, sums in sums_of(name, by_key).items():
                contribution[name, version, counter] = sums
        for (name, version), position in positions.get(unit_id, {}).items():
            at = _position_change(0, position)
            if at is not None:
                contribution[name, version, POSITIONS] = at
        old, new = now.get(unit_id), wanted.get(unit_id)
        if old is not None:
            _merge(by_group.setdefault(old, {}), contribution, -1)
        if new is not None:
            _merge(by_group.setdefault(new, {}), contribution)
    touched = sorted({now[u] for u in moving if u in now} | {wanted[u] for u in moving if u in wanted})
    _ensure_groups(connection, touched)
    _lock_groups(connection, touched)
    connection.execute(sa.delete(rollup_members).where(_among(connection, rollup_members.c.unit_id, moving)))
    joining = [{"unit_id": u, "group_id": wanted[u]} for u in moving if u in wanted]
    if joining:
        connection.execute(sa.insert(rollup_members), joining)
    for group in touched:
        token = uuid.uuid4().hex
        connection.execute(sa.update(rollup_groups).where(rollup_groups.c.group_id == group).values(token=token))
    _apply(connection, by_group)
    _forget_empty(connection, touched)
    joined = sum(1 for u in moving if u not in now)
    left = sum(1 for u in moving if u not in wanted)
    return joined, len(moving) - joined - left, left


def _forget_empty(connection: sa.Connection, group_ids: Sequence[str]) -> None:
    """Sums added down to nothing on PostgreSQL (an empty object): gone when their group is regrouped."""
    if connection.dialect.name == "postgresql" and group_ids:
        connection.execute(
            sa.delete(rollup_rows).where(
                _among(connection, rollup_rows.c.group_id, group_ids),
                rollup_rows.c.data == sa.cast(sa.literal("{}"), rollup_rows.c.data.type),
            )
        )


def _ensure_groups(connection: sa.Connection, group_ids: Iterable[str]) -> None:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    rows = [{"group_id": g, "token": uuid.uuid4().hex} for g in group_ids]
    if rows:
        connection.execute(insert(rollup_groups).on_conflict_do_nothing(), rows)


def _kept_versions(connection: sa.Connection) -> list[tuple[str, int]]:
    """Every (projection, version) of the rolled-up projections that units have reached (live, or built
    beside): read from the checkpoints, a row per unit, not from the rows, millions in a city."""
    query = (
        sa.select(cp.c.projection, cp.c.version)
        .where(cp.c.projection.in_(sorted(ROLLED_UP)), cp.c.version < SCRATCH_VERSIONS)
        .distinct()
    )
    return sorted((str(name), int(version)) for name, version in connection.execute(query))


def _counter_rows_all(
    connection: sa.Connection, unit_ids: Sequence[str], versions: Sequence[tuple[str, int]]
) -> dict[str, dict[tuple[str, int], dict[str, Row]]]:
    if not versions:
        return {}
    query = sa.select(pr.c.unit_id, pr.c.projection, pr.c.version, pr.c.row_key, pr.c.data).where(
        sa.tuple_(pr.c.projection, pr.c.version).in_(list(versions)),
        _among(connection, pr.c.unit_id, unit_ids),
        ~pr.c.row_key.startswith("p:"),
    )
    found: dict[str, dict[tuple[str, int], dict[str, Row]]] = {}
    for unit_id, name, version, key, data in connection.execute(query):
        if ROLLED_UP[name].source(key):
            found.setdefault(unit_id, {}).setdefault((name, version), {})[key] = data
    return found


def regroup_to_tree(engine: sa.Engine, tree: UnitTree, on: date) -> Regrouped:
    """`regroup` to the tree as it stands on `on` (today, for the worker's sweep and after a rebuild)."""
    return regroup(engine, wanted_groups(tree, on))


@dataclass(frozen=True)
class Mismatch:
    """A group whose kept sum differs from its members' rows summed now (None where one side has nothing)."""

    projection: str
    version: int
    group_id: str
    row_key: str
    kept: Sums | None
    summed: Sums | None


def check(connection: sa.Connection) -> list[Mismatch]:
    """Every group's kept sums against its members' rows summed at query time, in one snapshot (the caller's
    connection; REPEATABLE READ on PostgreSQL while writers run)."""
    members: dict[str, list[str]] = {}
    for unit_id, group in connection.execute(sa.select(rollup_members.c.unit_id, rollup_members.c.group_id)):
        members.setdefault(group, []).append(unit_id)
    versions = _kept_versions(connection)
    kept_rows: dict[tuple[str, int, str, str], Sums] = {}
    for name, version, group, key, data in connection.execute(sa.select(*_ROLLUP_COLUMNS)):
        sums = stored_sums(data)
        if sums["n"] or sums["sum"]:
            kept_rows[name, version, group, key] = sums
    summed: dict[tuple[str, int, str, str], Sums] = {}
    for group, units in members.items():
        for by_version in _counter_rows_all(connection, units, versions).values():
            for (name, version), by_key in by_version.items():
                for counter, sums in sums_of(name, by_key).items():
                    into = summed.setdefault((name, version, group, counter), {"n": 0, "sum": {}})
                    into["n"] += sums["n"]
                    add_into(into["sum"], sums["sum"])
        for reached in _checkpoints_all(connection, units, versions).values():
            for (name, version), position in reached.items():
                if position > 0:
                    into = summed.setdefault((name, version, group, POSITIONS), {"n": 0, "sum": {}})
                    add_into(into["sum"], {str(position): 1})
    for sums in summed.values():
        sums["sum"] = pruned(sums["sum"])
    found = []
    for where in sorted({*kept_rows, *summed}):
        kept, made = kept_rows.get(where), summed.get(where)
        if kept != made:
            found.append(Mismatch(*where, kept, made))
    return found
