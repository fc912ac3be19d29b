"""What every use case that appends answers, whoever called it."""

from __future__ import annotations

import msgspec

from eventstore import AppendResult


class Recorded(msgspec.Struct, frozen=True):
    """What a command answers: the stream's new version and where in the log it landed."""

    stream_id: str
    stream_version: int
    first_position: int
    last_position: int
    duplicate: bool

    @classmethod
    def of(cls, result: AppendResult) -> Recorded:
        return cls(
            result.stream_id, result.stream_version, result.first_position, result.last_position, result.duplicate
        )

    @classmethod
    def unchanged(cls, stream_id: str, version: int) -> Recorded:
        """A command that changes nothing: the stream's version as it is, no position."""
        return cls(stream_id, version, 0, 0, duplicate=True)
