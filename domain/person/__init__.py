"""One aggregate per person (one stream; its id is keyed, services/commands/person_ids.py): admission file,
probation, membership, readmission.

Entry points: `handlers.decide(state, command, calendar, facts)` → events (or a refusal) under the rule set
in force on `command.occurred_on`; `handlers.handle` also evolves; `handlers.DECIDERS` routes command types.
`state.evolve(state, event, occurred_on)` is the only code that changes state; `state.replay` rebuilds it.
Commands: `commands`, `member_commands`; events: `events`, `member_events`; facts: `facts.PersonFacts`.
"""
