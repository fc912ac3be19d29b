"""An immutable mapping whose changed copies share its bulk: what lets the unit tree grow one unit at a time.

`UnitTree.with_event` and `TreeAsOf.with_new_unit` return a new tree and leave the old one answering as before.
Copying their dictionaries made each new unit cost as much as the whole tree, so registering a city's 30,000
units one by one was quadratic (bench/roll_import.py: 114 s of a 400,000-member import). A `Layered` keeps a
large base, shared by every copy and never changed, and a small top layer of the entries changed since; a
change copies only the top, and the top is folded into a new base once it outgrows the square root of the
base. Each change then costs about √n instead of n, and a lookup at most two dictionary probes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")

SMALLEST_TOP = 32


class Layered(Mapping[K, V], Generic[K, V]):
    """Read like a dict (same iteration order: first insertion of each key); changed only by `set`/`updated`,
    which return a new mapping."""

    __slots__ = ("_base", "_length", "_top")

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._base: dict[K, V] = dict(items)
        self._top: dict[K, V] = {}
        self._length = len(self._base)

    @classmethod
    def _of(cls, base: dict[K, V], top: dict[K, V], length: int) -> Layered[K, V]:
        made: Layered[K, V] = cls.__new__(cls)
        made._base, made._top, made._length = base, top, length
        return made

    def __getitem__(self, key: K) -> V:
        top = self._top
        if key in top:
            return top[key]
        return self._base[key]

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | D, /) -> V | D: ...
    def get(self, key: K, default: object = None, /) -> object:
        top = self._top
        if key in top:
            return top[key]
        return self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._top or key in self._base

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[K]:
        base = self._base
        yield from base
        yield from (key for key in self._top if key not in base)

    def set(self, key: K, value: V) -> Layered[K, V]:
        """This mapping with `key` bound to `value`."""
        return self.updated(((key, value),))

    def updated(self, items: Iterable[tuple[K, V]]) -> Layered[K, V]:
        """This mapping with these bindings added or replaced."""
        base, top, length = self._base, dict(self._top), self._length
        for key, value in items:
            if key not in top and key not in base:
                length += 1
            top[key] = value
        if len(top) * len(top) > max(len(base), SMALLEST_TOP * SMALLEST_TOP):
            base, top = {**base, **top}, {}
        return Layered._of(base, top, length)
