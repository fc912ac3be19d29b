"""Request bodies say in the OpenAPI document what the server enforces on them.

Litestar's own schema plugin for msgspec Structs leaves out two things msgspec enforces, so the document
called valid some requests the server refuses with a 400 (found by the fuzzer):
- `additionalProperties: false` for a Struct with `forbid_unknown_fields=True` (every command body);
- the constraints on the items of a list (`list[Annotated[str, Meta(min_length=1)]]`: a split's successors).
This plugin is Litestar's plus those; the app lists it before Litestar's built-in plugins, so it is the one
used.
"""

from __future__ import annotations

import msgspec
from litestar._openapi.schema_generation import SchemaCreator
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin  # Litestar exports no other
from litestar.openapi.spec import Schema
from litestar.typing import FieldDefinition


class StrictStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        if field_definition.type_.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        info = msgspec.inspect.type_info(field_definition.type_)
        for field in info.fields if isinstance(info, msgspec.inspect.StructType) else ():
            listed = (schema.properties or {}).get(field.encode_name)
            if isinstance(listed, Schema) and isinstance(listed.items, Schema):
                _constrain(listed.items, _item_type(field.type))
        return schema


def _item_type(kind: msgspec.inspect.Type) -> msgspec.inspect.Type | None:
    """The type of a list's items (through `Annotated` and `| None`), or None if the field is no list."""
    if isinstance(kind, msgspec.inspect.Metadata):
        return _item_type(kind.type)
    if isinstance(kind, msgspec.inspect.UnionType):
        listed = [_item_type(t) for t in kind.types if not isinstance(t, msgspec.inspect.NoneType)]
        return listed[0] if len(listed) == 1 else None
    if isinstance(kind, msgspec.inspect.ListType | msgspec.inspect.VarTupleType | msgspec.inspect.SetType):
        item = kind.item_type
        return item.type if isinstance(item, msgspec.inspect.Metadata) else item
    return None


def _constrain(items: Schema, kind: msgspec.inspect.Type | None) -> None:
    if isinstance(kind, msgspec.inspect.StrType):
        items.min_length, items.max_length, items.pattern = kind.min_length, kind.max_length, kind.pattern
