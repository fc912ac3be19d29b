"""A projection's `event_types` names the log's own event types: a name no event is stored under would
leave the projection silently blind to it."""

from __future__ import annotations

import pytest

from domain.codec import EVENTS
from projections.base import Projection
from projections.registry import PROJECTIONS


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_every_event_type_a_projection_reads_is_one_the_codec_stores(projection: Projection) -> None:
    if projection.event_types is None:
        return
    assert isinstance(projection.event_types, frozenset)
    assert {name for name in projection.event_types if not EVENTS.knows(name)} == set()
