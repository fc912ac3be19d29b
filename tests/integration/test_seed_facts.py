"""The generator's facts are the log's: every fact a seeded decision is given equals the fact the ledger's own use
case (`record_person_step`) would build from the log for the same command on the same date.

The generator reads facts off its in-memory desk, for speed (services/seed/facts.py). `Desk.watch` shows this
test each person command with the state and the facts it is about to be decided on; the test then builds the
log's facts at that very moment with `person_facts.build_facts`: the store as written so far, the unit tree
from its stream, the person's state before the command, the step's `reads(command)`, and, as the request's
stated facts, what the generator states — committee sizes, an area's education exemption, excused absentees,
consents. Those are documents in no stream, so they agree by construction; everything else is derived.

Compared whole, as the domain reads them (the cell's official members and those temporarily away, the
grassroots and sub-committee flags, each sponsor's kind, official-ness and co-working months, the helper or
mentor, the deciding body), with one normalisation: rating counts are compared only for an Excellent, the one
grade R-RATING's quota reads them for. Building them from the log reads the cell's whole partition, and doing
that for the other 85 % of ratings, which never look at the counts, would make the test five times slower.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from domain.person import member_commands as mc
from domain.person.commands import PersonCommand
from domain.person.facts import PersonFacts
from domain.person.records import PersonState
from domain.rules.ratings import Grade
from domain.rules.registry import rules_in_force
from domain.units.tree import UnitTree
from eventstore import EventStore, open_store
from services.commands.person_facts import FactContext, StatedFacts, build_facts
from services.commands.person_steps import STEPS, Step
from services.commands.tree_log import UNIT_TREE_STREAM, load_tree
from services.seed import generate_province

STEP_OF: Final[dict[type[PersonCommand], Step]] = {step.command: step for step in STEPS}
OFTEN_SEEN: Final = {
    "NominateCandidate",
    "RecordSponsors",
    "ApproveAtCell",
    "ApproveAtCommittee",
    "DecideAdmission",
    "HoldCeremony",
    "HoldRecognitionVote",
    "RecogniseOfficial",
    "RateMember",
}
"""The steps that read facts and that every small province takes many times (rarer ones are checked when met)."""


def stated_by(facts: PersonFacts) -> StatedFacts:
    """What the generator states as a request would: the documents' facts, read back from those it gives."""
    cell, body, consent = facts.cell, facts.decider, facts.provincial_consent
    return StatedFacts(
        provincial_consent_ref=consent.document_ref if consent else None,
        provincial_consent_on=consent.given_on if consent else None,
        conviction_cleared_on=facts.conviction_cleared_on,
        education_exemption=cell.education_exemption if cell else None,
        exempt_absent_ids=tuple(sorted(cell.exempt_absent_ids)) if cell else (),
        committee_size=body.committee_size if body else 0,
        expulsion_delegated=body.expulsion_delegated if body else False,
    )


def reads_its_facts(command: PersonCommand) -> bool:
    """False for a rating below Excellent: R-RATING reads the unit's counts only for an Excellent (stated, or
    scored in the Excellent band from qd294-2025)."""
    if not isinstance(command, mc.RateMember):
        return True
    excellent_from = rules_in_force(command.occurred_on).rating_excellent_min
    return command.grade is Grade.EXCELLENT or (command.score is not None and command.score >= excellent_from)


@dataclass
class LogFacts:
    """A `Desk.watch`: the log's facts for each command, and every command whose desk facts differ from them."""

    store: EventStore
    checked: Counter[str] = field(default_factory=Counter)
    differences: list[str] = field(default_factory=list)
    _tree: tuple[UnitTree, int] | None = None

    def tree(self) -> UnitTree:
        """The unit tree from its stream, read again only when the stream has grown."""
        if self._tree is None or self._tree[1] != self.store.stream_version(UNIT_TREE_STREAM):
            self._tree = load_tree(self.store)
        return self._tree[0]

    def __call__(self, before: PersonState, command: PersonCommand, given: PersonFacts) -> None:
        if not reads_its_facts(command):
            return
        step = STEP_OF[type(command)]
        context = FactContext(self.store, self.tree(), before, command, step.reads(command), stated_by(given))
        from_log = build_facts(step.facts, context)
        self.checked[type(command).__name__] += 1
        if from_log != given:
            said = f"{command.occurred_on} {type(command).__name__} {command.person_id}"
            self.differences.append(f"{said}:\n desk {given}\n log  {from_log}")


@settings(max_examples=1, deadline=None, database=None, phases=[Phase.explicit, Phase.generate])
@example(seed=2021)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_every_fact_the_generator_decides_on_is_the_one_the_log_gives(seed: int) -> None:
    """The province the other tests use, and one more drawn each run (a seed is not worth shrinking)."""
    store = open_store("sqlite:///:memory:")
    watch = LogFacts(store)
    try:
        generate_province(store, scale="small", seed=seed, watch=watch)
    finally:
        store.close()
    assert watch.differences == [], "\n".join(watch.differences[:5])
    assert set(watch.checked) >= OFTEN_SEEN, watch.checked
