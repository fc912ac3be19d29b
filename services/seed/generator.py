"""`generate_province`: a realistic, deterministic history of a province's member development, written to a log.

Deterministic for a seed: every choice (correlation ids included) comes from `random.Random(seed)` and its
children, never the clock or `uuid4`; only `recorded_at`, which the store sets, differs between runs. Everything
is decided by the domain, so every event obeys the rules in force on its date; a command the domain refuses is
counted in the report and simply not recorded.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Final

from domain.calendar import WorkingCalendar
from eventstore import EventStore
from services.commands.person_ids import PersonIdKey
from services.seed import years
from services.seed.agenda import Agenda, Progress
from services.seed.desk import Desk, Watch
from services.seed.plan import Scale, build_plan
from services.seed.recording import PaperLag

LAST_DAY: Final = date(2025, 12, 31)
SCALES: Final[tuple[Scale, ...]] = ("small", "province")


@dataclass(frozen=True)
class SeedReport:
    """What was written: counts by kind, how long it took, and the commands the domain refused (if any)."""

    scale: Scale
    seed: int
    units: int
    people: int
    events: int
    events_by_type: dict[str, int]
    refused: dict[str, int]
    elapsed_seconds: float
    refused_examples: tuple[str, ...] = ()
    first_day: date = years.FIRST_DAY
    last_day: date = LAST_DAY

    def summary(self) -> str:
        lines = [
            f"{self.scale} province, seed {self.seed}: {self.events} events about {self.people} people in "
            f"{self.units} units, {self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}, in {self.elapsed_seconds:.1f} s"
        ]
        lines += [f"  {name:<30} {count:>8}" for name, count in self.events_by_type.items()]
        if self.refused:
            lines.append(f"  refused by the domain (not recorded): {sum(self.refused.values())}")
            lines += [f"    {example}" for example in self.refused_examples[:5]]
        return "\n".join(lines)


def generate_province(
    store: EventStore,
    *,
    scale: Scale,
    seed: int,
    progress: Progress | None = None,
    watch: Watch | None = None,
    last_day: date = LAST_DAY,
    recording: PaperLag | None = None,
    person_key: PersonIdKey | None = None,
) -> SeedReport:
    """Write the whole history into an empty log; `progress(days_done, days_total)` as the agenda advances,
    `watch` (see `Desk`) before each person command is decided.

    History runs to `last_day` (the demo passes today, so its files are in flight this month). `recording`,
    when the store was opened with it as its clock, is told each paper's date, so `recorded_at` falls some
    working days after it (`services.seed.recording`); without it every event is recorded as it is written.
    `person_key` is the deployment's (the demo and `partyledger seed` pass theirs); without one, the ids of
    this fictional province are keyed from its seed, so the same seed writes the same log."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}")
    if store.head_position() != 0:
        raise ValueError("the seed writes a whole history from 1/10/2020: give it an empty log")
    started = time.perf_counter()
    rng = Random(seed)
    shapes = Random(rng.getrandbits(64))
    plan = build_plan(scale, iter(lambda: shapes.randrange(1_000_000), None))
    key = person_key or PersonIdKey(hashlib.sha256(f"partyledger-generated-province:{seed}".encode()).digest())
    desk = Desk(store, plan, Random(rng.getrandbits(64)), WorkingCalendar(), watch, recording, person_key=key)
    agenda = Agenda(years.FIRST_DAY, last_day)
    agenda.at(years.FIRST_DAY, lambda on: years.open_ledger(desk, agenda, on))
    agenda.run(progress)
    by_type = dict(sorted(desk.tally.events_by_type.items(), key=lambda item: (-item[1], item[0])))
    return SeedReport(
        scale=scale,
        seed=seed,
        units=desk.tally.units,
        people=len(desk.people),
        events=sum(by_type.values()),
        events_by_type=by_type,
        refused=dict(sorted(desk.tally.refusals.items())),
        elapsed_seconds=time.perf_counter() - started,
        refused_examples=tuple(desk.tally.refusal_samples),
        last_day=last_day,
    )
