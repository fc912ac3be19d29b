"""The dependencies and headers every route declares: the caller, the ledger, the idempotency key."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import HeaderParameter

from services.commands.actors import Actor
from services.ledger import Ledger

IdempotencyKey = Annotated[str, HeaderParameter(name="Idempotency-Key", min_length=8, max_length=200)]
Caller = NamedDependency[Actor]
Context = NamedDependency[Ledger]
