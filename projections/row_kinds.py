"""The kinds of row each read model stores, with their privacy classes (I13, `domain/privacy.py`).

Each projection module declares `ROWS`: one `RowKind` per key pattern it writes — the pattern (`f:<stream id>`:
the text before `<` is the key's fixed prefix, a pattern without `<` is the whole key), the row's shape and what
the key itself reveals (a key naming a person's stream identifies that person). A shape is a `TypedDict`,
whose fields each carry their class, or a mapping alias classed as a whole
(`StageCounts = Annotated[dict[str, int], NotPersonal.AGGREGATE]`). Tests hold every stored key to a declared
kind and every field to a class; the privacy report and, later, erasure (which rows to purge or blank) read
the same declarations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType

from domain.privacy import FieldClass, Privacy, classify, how_to_classify, privacy_of

from .base import Projection


@dataclass(frozen=True)
class RowKind:
    """Rows whose key matches `key`, all of one shape."""

    key: str
    shape: object
    key_privacy: Privacy

    @property
    def prefix(self) -> str:
        return self.key.split("<", 1)[0]

    def matches(self, key: str) -> bool:
        return key.startswith(self.prefix) if "<" in self.key else key == self.key

    def fields(self, projection: str) -> list[FieldClass]:
        """The key and every leaf of the row, as `projection[key pattern].field` paths."""
        owner = f"{projection}[{self.key}]"
        key = FieldClass(f"{owner}.<key>", "str", self.key_privacy, RowKind, "key")
        whole = privacy_of(self.shape)
        if whole is not None or not isinstance(self.shape, type):
            return [key, FieldClass(f"{owner}.<row>", str(self.shape), whole, RowKind, "row")]
        return [key, *(_renamed(f, owner) for f in classify(self.shape))]


def _renamed(field: FieldClass, owner: str) -> FieldClass:
    """The row's path under its projection and key pattern instead of the TypedDict's own name."""
    tail = field.path.split(".", 1)[1]
    return FieldClass(f"{owner}.{tail}", field.type_text, field.privacy, field.owner, field.name)


def row_kinds(projection: Projection | ModuleType) -> Sequence[RowKind]:
    """A read model's declared rows; a projection without `ROWS` declares none (a test refuses that)."""
    kinds: Sequence[RowKind] = getattr(projection, "ROWS", ())
    return kinds


def kind_of(projection: Projection | ModuleType, key: str) -> RowKind | None:
    return next((kind for kind in row_kinds(projection) if kind.matches(key)), None)


def missing_row_classes(projections: Iterable[Projection | ModuleType]) -> list[str]:
    """One message per read model with no `ROWS`, and per row field or key with no class."""
    messages: list[str] = []
    for projection in projections:
        module = getattr(projection, "__name__", "projections.<name>").replace(".", "/") + ".py"
        kinds = row_kinds(projection)
        if not kinds:
            messages.append(
                f'read model {projection.name} declares no ROWS: add `ROWS = (RowKind("<key pattern>", RowShape, '
                f"Personal.PERSON_ID or NotPersonal.PROCEDURE), …)` at the end of {module} (projections/row_kinds.py)"
            )
        for kind in kinds:
            for field in kind.fields(projection.name):
                if field.privacy is None and field.owner is RowKind:
                    messages.append(
                        f"{field.path} has no privacy class: write the alias in {module} as "
                        f"`Annotated[{field.type_text}, NotPersonal.AGGREGATE]` (or the class that applies)"
                    )
                elif field.privacy is None:
                    messages.append(how_to_classify(field))
    return messages
