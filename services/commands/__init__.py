"""Every use case once, called alike by the JSON API, the web pages, the command line and the generator.

- `people.record_person_step` — any step of a person's file or membership (`person_steps.STEPS`);
- `units.change_unit` — the tree's shape, delegation, term targets and yearly plans;
- `calendar.declare_day` — the province's working-calendar declarations.

Each takes a typed request (the `Actor`, the command, what the papers state, the version the caller saw),
checks the walls (`walls`), reads the facts it needs from the log, decides against the stream as it stood at
that version (`versions.decide_at`), appends, rings the units' workers and answers `Recorded`.
"""
