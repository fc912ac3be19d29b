"""`Layered`, the unit tree's shared mappings: a changed copy reads like a dict and leaves the original as it was."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.units.layered import Layered

CHANGES = st.lists(st.tuples(st.integers(0, 300), st.integers()), max_size=400)


@given(CHANGES)
def test_every_version_reads_like_the_dict_it_stands_for(changes: list[tuple[int, int]]) -> None:
    versions: list[tuple[Layered[int, int], dict[int, int]]] = [(Layered(), {})]
    for key, value in changes:
        mapping, expected = versions[-1]
        versions.append((mapping.set(key, value), {**expected, key: value}))
    for mapping, expected in versions:  # the older versions too: nothing was changed in place
        assert dict(mapping) == expected
        assert list(mapping) == list(expected) and len(mapping) == len(expected)
        assert all(mapping.get(k) == expected.get(k) and (k in mapping) == (k in expected) for k in range(301))
