"""The soak with faults (issue 9): a minute of 16 officers' commands while the worker is SIGKILLed, Redis
stopped, the API restarted and database backends terminated mid-request — and nothing is lost or doubled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.soak import run_soak
from tests.support.soak_faults import FAULT_KINDS

SECONDS = float(os.environ.get("PARTYLEDGER_SOAK_SECONDS", "60"))


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_minute_of_commands_through_every_fault_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    report = run_soak(tmp_path, seconds=SECONDS, clients=16)
    print("\n" + "\n".join(report.lines()))

    assert not report.fault_errors, report.fault_errors
    assert set(report.faults) == set(FAULT_KINDS), f"not every fault was injected: {report.faults}"
    assert report.terminated_backends >= 1
    assert report.accepted > 100, "too little load to mean anything"
    assert report.refused == [], "valid commands were refused or never answered"
    assert report.events_lost == 0
    assert report.duplicates == 0
    assert report.unexpected_events == 0
    assert not any(status.startswith("5") for status in report.status_counts), report.status_counts
    assert report.verify.startswith("ok"), report.verify
    assert report.rebuild.startswith("ok: "), report.rebuild
    assert " rebuild equals live: " in report.rebuild, report.rebuild
    assert report.rebuild.endswith(" roll-ups equal their members' rows summed"), report.rebuild
