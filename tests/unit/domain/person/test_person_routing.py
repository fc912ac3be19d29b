"""The routing table and the codec cover every command and event of a person's stream."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pytest

from domain.codec import EVENTS
from domain.person import commands as c
from domain.person import events as ev
from domain.person import member_commands as mc
from domain.person import member_events as mev
from domain.person.appliers import APPLIERS
from domain.person.erasure import PersonalDataErased
from domain.person.handlers import DECIDERS
from domain.person.records import CorruptStreamError
from domain.person.state import evolve, initial_state

T = TypeVar("T")


def subclasses_in(module: object, base: type[T]) -> set[type[T]]:
    return {v for v in vars(module).values() if isinstance(v, type) and issubclass(v, base) and v is not base}


def test_every_command_has_a_decision() -> None:
    commands = subclasses_in(c, c.PersonCommand) | subclasses_in(mc, c.PersonCommand)
    assert commands == set(DECIDERS)
    assert all(command.step_vi for command in commands)


def test_every_event_is_registered_and_has_an_applier() -> None:
    events = subclasses_in(ev, ev.PersonEvent) | subclasses_in(mev, ev.PersonEvent) | {PersonalDataErased}
    assert events == set(APPLIERS)
    assert all(EVENTS.event_class(event.event_type) is event for event in events)


def test_evolve_refuses_an_event_of_another_stream() -> None:
    @dataclass(frozen=True)
    class UnitRenamed:
        name: str

    with pytest.raises(CorruptStreamError):
        evolve(initial_state("person-1"), UnitRenamed(name="x"), date(2021, 1, 1))


def test_evolve_refuses_a_ceremony_without_an_open_file() -> None:
    with pytest.raises(CorruptStreamError):
        evolve(
            initial_state("person-1"),
            ev.LateCeremonyConsented(rule_set="qd24-2021", consent_ref="CV"),
            date(2021, 1, 1),
        )
