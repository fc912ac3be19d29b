"""Counter rows summed over many units, read from the kept roll-ups where they cover the units asked about
(`projections/rollup.py`) and from the units' own rows where they do not.

A group is used for an answer only when every one of its members is a unit of the answer; the answer's other
units are read one by one, as before there were roll-ups. So whatever the groups are — grouped before a
reorganisation, a unit never grouped, a past date's tree — the sum is the sum of exactly the units asked
about: the same as adding up their rows, from a few hundred rows for the city instead of ~660,000.

Group members are cached per process, keyed by the group's token (it changes whenever the members do), and
read again in the answer's own snapshot when a token differs: an answer never mixes two memberships.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from threading import Lock
from typing import Any, Final

import sqlalchemy as sa

from ..rollup import POSITIONS, ROLLED_UP, Sums, add_into, pruned, stored_sums, sums_of
from ..rollup_schema import rollup_groups, rollup_members, rollup_rows
from ..schema import projection_rows as pr
from .reading import unit_in

Scopes = Mapping[str, Sequence[str]]
"""An answer's name → the units it sums (a dashboard's children: one per child; else one)."""
SummedRows = dict[str, Sums]
"""row key → {"n": rows summed, "sum": their numbers added up, zeros dropped}."""

_MEMBERS: dict[str, tuple[str, frozenset[str]]] = {}
"""group → (token, members) as last read by this process."""
_MEMBERS_LOCK: Final = Lock()


def summed_rows(
    connection: sa.Connection,
    projection: str,
    version: int,
    scopes: Scopes,
    keys: Iterable[str] | None = None,
    prefix: str = "",
) -> dict[str, SummedRows]:
    """Each scope's counter rows of `projection` at `version` (the named `keys`, or every counter key starting
    with `prefix`), summed over the scope's units."""
    counted = ROLLED_UP[projection]
    wanted = sorted(set(keys)) if keys is not None else None
    if counted.counters is None:
        if wanted is not None and not all(counted.source(key) for key in wanted):
            raise ValueError(f"only counter rows of {projection} are summed")
        source_keys, source_prefix = wanted, prefix
    else:
        source_keys, source_prefix = None, counted.prefix
    members = _group_members(connection, set().union(*scopes.values()))
    covered: dict[str, list[str]] = {}
    alone: dict[str, list[str]] = {}
    for scope, units in scopes.items():
        covered[scope], alone[scope] = _cover(units, members)
    groups = sorted({g for found in covered.values() for g in found})
    singles = sorted({u for found in alone.values() for u in found})
    kept = _rows(connection, rollup_rows, rollup_rows.c.group_id, projection, version, groups, wanted, prefix)
    own = _rows(connection, pr, pr.c.unit_id, projection, version, singles, source_keys, source_prefix)
    counted_alone = {unit: sums_of(projection, rows) for unit, rows in own.items()}
    answers: dict[str, SummedRows] = {}
    for scope in scopes:
        summed: SummedRows = {}
        for group in covered[scope]:
            for key, data in kept.get(group, {}).items():
                sums = stored_sums(data)
                if sums["n"] or sums["sum"]:
                    into = summed.setdefault(key, {"n": 0, "sum": {}})
                    into["n"] += sums["n"]
                    add_into(into["sum"], sums["sum"])
        for unit_id in alone[scope]:
            for key, sums in counted_alone.get(unit_id, {}).items():
                if (wanted is None or key in wanted) and key.startswith(prefix):
                    into = summed.setdefault(key, {"n": 0, "sum": {}})
                    into["n"] += sums["n"]
                    add_into(into["sum"], sums["sum"])
        answers[scope] = {key: {"n": s["n"], "sum": pruned(s["sum"])} for key, s in summed.items()}
    return answers


def groups_position(
    connection: sa.Connection, projection: str, version: int, units: Sequence[str]
) -> tuple[int | None, list[str]]:
    """The lowest checkpoint of `projection` at `version` over the members of the groups wholly within
    `units` (0 if one was never built; None if no group is), from the groups' kept positions, and the units
    no such group holds (whose own checkpoints the caller reads)."""
    members = _group_members(connection, set(units))
    groups, alone = _cover(units, members)
    if not groups:
        return None, alone
    kept = _rows(connection, rollup_rows, rollup_rows.c.group_id, projection, version, groups, [POSITIONS], "")
    counted, lowest = 0, None
    for group in groups:
        at: dict[str, int] = stored_sums(kept.get(group, {}).get(POSITIONS, {}))["sum"]
        counted += sum(at.values())
        if at:
            low = min(int(position) for position in at)
            lowest = low if lowest is None else min(lowest, low)
    if counted < sum(len(members[group]) for group in groups) or lowest is None:
        return 0, alone
    return lowest, alone


def sums_only(summed: SummedRows) -> dict[str, Any]:
    """row key → the summed row, as the dashboard reads it."""
    return {key: sums["sum"] for key, sums in summed.items()}


def cover(connection: sa.Connection, units: Sequence[str]) -> tuple[list[str], list[str]]:
    """The groups wholly within `units`, and the units none of them holds, as of the caller's snapshot."""
    return _cover(units, _group_members(connection, set(units)))


def _cover(units: Sequence[str], members: Mapping[str, frozenset[str]]) -> tuple[list[str], list[str]]:
    """The groups wholly within `units` (each named by one of them), and the units no such group holds.

    Remembered for the last few (units, memberships) asked: the city's dashboard asks it about the same
    30,000 units a dozen times (each counter projection, its positions, its deadlines), and working it out
    over 30,000 units was a quarter of the page (bench/city.py). The key holds the ids of the members' sets,
    and the entry the sets themselves, so no id is reused while the entry lives: a group whose members
    changed is a new set (`_group_members`), hence a new key."""
    if len(units) < _COVERS_FROM:
        return _cover_now(units, members)
    key = (tuple(units), tuple(sorted((group, id(held)) for group, held in members.items())))
    with _COVERS_LOCK:
        known = _COVERS.get(key)
        if known is not None:
            _COVERS.move_to_end(key)
    if known is not None:
        return list(known[1]), list(known[2])
    groups, alone = _cover_now(units, members)
    with _COVERS_LOCK:
        _COVERS[key] = (tuple(members.values()), tuple(groups), tuple(alone))
        while len(_COVERS) > _COVERS_KEPT:
            _COVERS.popitem(last=False)
    return groups, alone


def _cover_now(units: Sequence[str], members: Mapping[str, frozenset[str]]) -> tuple[list[str], list[str]]:
    chosen = set(units)
    groups = [g for g in dict.fromkeys(units) if g in members and members[g] <= chosen]
    held: set[str] = set().union(*(members[g] for g in groups)) if groups else set()
    return groups, [u for u in dict.fromkeys(units) if u not in held]


_COVERS_FROM: Final = 1_000
"""Fewer units are worked out each time (a dashboard's 170 children would push the city out of the cache)."""
_COVERS: OrderedDict[tuple[Any, ...], tuple[tuple[frozenset[str], ...], tuple[str, ...], tuple[str, ...]]] = (
    OrderedDict()
)
_COVERS_KEPT: Final = 16
_COVERS_LOCK: Final = Lock()


def _group_members(connection: sa.Connection, units: set[str]) -> dict[str, frozenset[str]]:
    """The members of every group named by one of `units`, as of the caller's snapshot."""
    tokens = dict(connection.execute(sa.select(rollup_groups.c.group_id, rollup_groups.c.token)).all())
    named = {g: t for g, t in tokens.items() if g in units}
    with _MEMBERS_LOCK:
        known = {g: _MEMBERS.get(g) for g in named}
    found: dict[str, frozenset[str]] = {}
    stale = []
    for group, token in sorted(named.items()):
        entry = known[group]
        if entry is not None and entry[0] == token:
            found[group] = entry[1]
        else:
            stale.append(group)
    if stale:
        read: dict[str, set[str]] = {g: set() for g in stale}
        query = sa.select(rollup_members.c.unit_id, rollup_members.c.group_id).where(
            unit_in(connection, rollup_members.c.group_id, stale)
        )
        for unit_id, group in connection.execute(query):
            read[group].add(unit_id)
        with _MEMBERS_LOCK:
            for group, unit_ids in read.items():
                found[group] = frozenset(unit_ids)
                _MEMBERS[group] = (named[group], found[group])
    return found


def _rows(
    connection: sa.Connection,
    table: sa.Table,
    owner: sa.ColumnElement[str],
    projection: str,
    version: int,
    owners: Sequence[str],
    keys: Sequence[str] | None,
    prefix: str,
) -> dict[str, dict[str, Any]]:
    """owner (a group, or a unit) → (row key → data) of the table's rows of the projection version."""
    if not owners:
        return {}
    query = sa.select(owner, table.c.row_key, table.c.data).where(
        table.c.projection == projection, table.c.version == version, unit_in(connection, owner, owners)
    )
    if keys is not None:
        query = query.where(table.c.row_key.in_(list(keys)))
    if prefix:
        query = query.where(table.c.row_key.startswith(prefix, autoescape=True))
    found: dict[str, dict[str, Any]] = {}
    for who, key, data in connection.execute(query):
        found.setdefault(who, {})[key] = data
    return found


def remember_members(connection: sa.Connection) -> int:
    """Read every group's members into this process's cache now (a server process as it starts): the first
    answer about the city otherwise read its 30,000 members while its officer waited. Answers whether
    groups are kept, and how many."""
    if not sa.inspect(connection).has_table(rollup_groups.name):
        return 0
    every = [str(g) for g in connection.execute(sa.select(rollup_groups.c.group_id)).scalars()]
    return len(_group_members(connection, set(every)))


def forget_members() -> None:
    """Drop this process's cache of group members (tests that recreate the tables)."""
    with _MEMBERS_LOCK:
        _MEMBERS.clear()
    with _COVERS_LOCK:
        _COVERS.clear()
