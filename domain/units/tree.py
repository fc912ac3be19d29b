"""All party organisations through time, built from the unit events (R-UNIT-TREE, R-UNIT-REORG, R-AUTH-ADMIT).

Each unit's events are folded twice with the same `evolve`: in log order (`latest`, what commands act on) and
in order of the date each takes effect (`as_of`, what the tree looked like on a date). A reorganisation
recorded today with an earlier effective date therefore rewrites "as of" answers for the dates it covers,
while the old tree stays answerable for dates before it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidCommand, RuleViolation
from domain.units.events import UnitEvent, UnitRegistered, effective_date
from domain.units.layered import K, Layered, V
from domain.units.snapshot import TreeAsOf, TreeProblem, unit_problem
from domain.units.state import Unit, evolve


@dataclass(frozen=True)
class _Record:
    effective_on: date
    sequence: int
    event: UnitEvent
    occurred_on: date


@dataclass(frozen=True)
class _History:
    """One unit's states by the date they took effect; `dates` is sorted for bisection."""

    records: tuple[_Record, ...]
    dates: tuple[date, ...]
    states: tuple[Unit, ...]
    latest: Unit


def _history(records: tuple[_Record, ...]) -> _History:
    registration = next((r for r in records if isinstance(r.event, UnitRegistered)), None)
    if registration is None:
        raise ValueError(f"events of unit {records[0].event.unit_id} without its UnitRegistered")
    latest = None
    for record in records:
        latest = evolve(latest, record.event, record.occurred_on)
    state = evolve(None, registration.event, registration.occurred_on)
    dates, states = [state.registered_on], [state]
    for record in sorted((r for r in records if r is not registration), key=lambda r: (r.effective_on, r.sequence)):
        state = evolve(state, record.event, record.occurred_on)
        on = max(record.effective_on, dates[0])
        if on == dates[-1]:
            states[-1] = state
        else:
            dates.append(on)
            states.append(state)
    assert latest is not None
    return _History(records, tuple(dates), tuple(states), latest)


class UnitTree:
    """Immutable; `with_event` returns a new tree. Snapshots are cached per interval between changes."""

    def __init__(
        self,
        histories: Mapping[str, _History],
        codes: Mapping[str, str],
        sequence: int,
        *,
        change_dates: tuple[date, ...] | None = None,
        ever_under: Mapping[str, tuple[str, ...]] | None = None,
        snapshots: dict[int, TreeAsOf] | None = None,
    ) -> None:
        """`change_dates`, `ever_under` and `snapshots` are what `with_event` already knows of the new tree;
        computed from the histories when not given. Kept as `Layered` mappings, which a new tree shares."""
        self._histories = _layered(histories)
        self._codes = _layered(codes)
        self._sequence = sequence
        if change_dates is None:
            change_dates = tuple(sorted({d for h in histories.values() for d in h.dates}))
        self._change_dates = change_dates
        if ever_under is None:
            found: dict[str, list[str]] = {}
            for unit_id, history in histories.items():
                for parent_id in dict.fromkeys(s.parent_id for s in history.states if s.parent_id is not None):
                    found.setdefault(parent_id, []).append(unit_id)
            ever_under = {parent_id: tuple(ids) for parent_id, ids in found.items()}
        self._ever_under = _layered(ever_under)
        self._snapshots: dict[int, TreeAsOf] = snapshots if snapshots is not None else {}

    @classmethod
    def from_events(cls, records: Iterable[tuple[UnitEvent, date]]) -> UnitTree:
        """Build from (event, occurred_on) pairs in log order."""
        by_unit: dict[str, list[_Record]] = {}
        codes: dict[str, str] = {}
        sequence = 0
        for sequence, (event, occurred_on) in enumerate(records, start=1):
            record = _Record(effective_date(event, occurred_on), sequence, event, occurred_on)
            by_unit.setdefault(event.unit_id, []).append(record)
            if isinstance(event, UnitRegistered):
                codes[event.code] = event.unit_id
        histories = {unit_id: _history(tuple(rs)) for unit_id, rs in by_unit.items()}
        return cls(histories, codes, sequence)

    def with_event(self, event: UnitEvent, occurred_on: date) -> UnitTree:
        """The tree after one more event (used to try a decision before it is recorded)."""
        sequence = self._sequence + 1
        record = _Record(effective_date(event, occurred_on), sequence, event, occurred_on)
        previous = self._histories.get(event.unit_id)
        history = _history((*previous.records, record) if previous else (record,))
        histories = self._histories.set(event.unit_id, history)
        codes = self._codes.set(event.code, event.unit_id) if isinstance(event, UnitRegistered) else self._codes
        # What changed is one unit's history: carry the rest over, sharing it, instead of recomputing or copying
        # it (registering a city's 30,000 units one by one was quadratic in the units: `Layered`).
        on = record.effective_on
        dates = self._change_dates
        if on not in dates[bisect_left(dates, on) : bisect_left(dates, on) + 1]:
            dates = (*dates[: bisect_right(dates, on)], on, *dates[bisect_right(dates, on) :])
        ever_under = self._ever_under
        new_parents = {s.parent_id for s in history.states if s.parent_id is not None}
        if previous is not None:
            new_parents -= {s.parent_id for s in previous.states}
        if new_parents:
            ever_under = ever_under.updated(
                (parent_id, (*ever_under.get(parent_id, ()), event.unit_id)) for parent_id in new_parents
            )
        snapshots = self._carried_snapshots(previous is None, history, on, dates)
        return UnitTree(histories, codes, sequence, change_dates=dates, ever_under=ever_under, snapshots=snapshots)

    def _carried_snapshots(
        self, new_unit: bool, history: _History, on: date, dates: tuple[date, ...]
    ) -> dict[int, TreeAsOf]:
        """The new tree's snapshots this tree already holds: every interval that ends by `on` is untouched, and
        for a unit registered on or after the latest change, the latest one with that unit added."""
        old, kept = self._change_dates, {}
        for index, snapshot in self._snapshots.items():
            ends = old[index + 1] if index + 1 < len(old) else None
            if (ends is not None and ends <= on) or (ends is None and index >= 0 and old[index] < on):
                kept[index] = snapshot
            elif index == -1 and ends is None:
                kept[index] = snapshot  # the empty tree before the first change stays empty
        latest = self._snapshots.get(len(old) - 1) if old else None
        if new_unit and latest is not None and on >= old[-1] and history.states[-1].is_active:
            kept[len(dates) - 1] = latest.with_new_unit(history.states[-1], on)
        return kept

    def knows(self, unit_id: str) -> bool:
        return unit_id in self._histories

    def unit_with_code(self, code: str) -> str | None:
        return self._codes.get(code)

    def latest(self, unit_id: str) -> Unit | None:
        """The unit after all its events in log order, whatever their dates."""
        history = self._histories.get(unit_id)
        return history.latest if history else None

    def all_latest(self) -> tuple[Unit, ...]:
        return tuple(h.latest for h in self._histories.values())

    def state_on(self, unit_id: str, on: date) -> Unit | None:
        """The unit as it was on a date, ceased or not; None if unknown or not yet registered."""
        history = self._histories.get(unit_id)
        if history is None:
            return None
        index = bisect_right(history.dates, on) - 1
        return history.states[index] if index >= 0 else None

    def live_on(self, unit_id: str, on: date) -> Unit | None:
        state = self.state_on(unit_id, on)
        return state if state is not None and state.is_active else None

    @property
    def change_dates(self) -> tuple[date, ...]:
        return self._change_dates

    def as_of(self, on: date) -> TreeAsOf:
        """The tree as it stood on a date: the units existing then, with parent, name, kind, delegation."""
        index = bisect_right(self._change_dates, on) - 1
        cached = self._snapshots.get(index)
        if cached is None:
            anchor = self._change_dates[index] if index >= 0 else on
            live = {unit_id: u for unit_id in self._histories if (u := self.live_on(unit_id, anchor)) is not None}
            cached = self._snapshots[index] = TreeAsOf(anchor, live)
        return cached.seen_on(on)

    def subtree(self, unit_id: str, on: date) -> frozenset[str]:
        return self.as_of(on).subtree(unit_id)

    def ancestors(self, unit_id: str, on: date) -> tuple[Unit, ...]:
        return self.as_of(on).ancestors(unit_id)

    def is_within(self, unit_id: str, ancestor_id: str, on: date) -> bool:
        return self.as_of(on).is_within(unit_id, ancestor_id)

    def successor_of(self, unit_id: str, on: date) -> str:
        """R-UNIT-REORG: the unit holding, on `on`, the open files of `unit_id` (itself while it exists)."""
        current, seen = unit_id, {unit_id}
        while True:
            state = self.state_on(current, on)
            if state is None:
                raise _not_there(current, on)
            if state.is_active:
                return current
            assert state.files_successor_id is not None
            current = state.files_successor_id
            if current in seen:
                raise ValueError(f"successors of {unit_id} form a cycle through {current}")
            seen.add(current)

    def competent_decider(self, unit_id: str, on: date) -> Unit:
        """R-AUTH-ADMIT: the delegated grassroots committee over the unit, else the upper committee above."""
        snapshot = self.as_of(on)
        chain = (*snapshot.ancestors(unit_id), snapshot.require(unit_id))
        grassroots = next((u for u in reversed(chain) if u.kind.is_grassroots), None)
        if grassroots is None:
            raise RuleViolation(
                "R-AUTH-ADMIT",
                f"unit {unit_id} is above the grassroots level: admission is decided for a cell's candidate",
                f"tổ chức {unit_id} ở trên cấp cơ sở: việc kết nạp được quyết định cho quần chúng của chi bộ",
            )
        if grassroots.kind.may_be_delegated_admission and grassroots.admission_delegated:
            return grassroots
        assert grassroots.parent_id is not None
        return snapshot.require(grassroots.parent_id)

    def first_problem(self, unit_ids: Iterable[str], since: date) -> TreeProblem | None:
        """R-UNIT-TREE for the given units and their children on `since` and on every later change date."""
        watched = set(unit_ids)
        watched |= {child for parent_id in list(watched) for child in self._ever_under.get(parent_id, ())}
        dates = (since, *(d for d in self._change_dates if d > since))
        for on in dates:
            for unit_id in sorted(watched):
                unit = self.live_on(unit_id, on)
                problem = unit_problem(unit, self._lookup_on(on), on) if unit is not None else None
                if problem is not None:
                    return problem
        return None

    def _lookup_on(self, on: date) -> Callable[[str], Unit | None]:
        return lambda unit_id: self.live_on(unit_id, on)


def _layered(mapping: Mapping[K, V]) -> Layered[K, V]:
    return mapping if isinstance(mapping, Layered) else Layered(mapping)


def _not_there(unit_id: str, on: date) -> InvalidCommand:
    return InvalidCommand(
        "unit_id",
        f"no unit {unit_id} on {on}",
        f"không có tổ chức đảng {unit_id} vào ngày {on:%d/%m/%Y}",
    )
