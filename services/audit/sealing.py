"""Sealing the log and time-stamping the seal: the one use case behind `partyledger seal` (I7).

The seal is committed first; only then is an outside authority asked for an RFC 3161 token over its hash,
which is kept beside it. An authority that is down, refuses, or answers with a token that does not check
leaves the seal recorded and unstamped, with one line saying why; asking again later stamps the last seal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eventstore import EventStore
from eventstore.store import Seal, SignSeal
from services.audit.timestamps import TimestampRefused, TokenInvalid, check_token, request_token


@dataclass(frozen=True, slots=True)
class Sealed:
    made: Seal | None
    """The seal made now; None when nothing was new."""
    last: Seal | None
    """The log's last seal after this call (the one made, else the one before), with its token if it has one."""
    stamp_failure: str | None = None
    """Why no token was kept, when one was asked for and none could be."""
    stamped_now: bool = False
    """The last seal's token came from this call's authority (not from an earlier run)."""


def seal_and_stamp(
    store: EventStore, *, sign: SignSeal | None, tsa_url: str | None = None, tsa_certificates: bytes | None = None
) -> Sealed:
    """Seal what is new; with `tsa_url`, time-stamp the last seal if it has no token yet (checked against
    `tsa_certificates` before it is kept, when given)."""
    made = store.seal(sign=sign)
    seals = store.seals() if made is None else [made]
    last = seals[-1] if seals else None
    if tsa_url is None or last is None or last.timestamp is not None:
        return Sealed(made, last)
    try:
        token = request_token(tsa_url, last.seal_hash)
        if tsa_certificates is not None:
            check_token(token, last.seal_hash, tsa_certificates)
    except (TimestampRefused, TokenInvalid) as exc:
        why = f"{exc}; seal {last.seal_number} is recorded without a time-stamp (run seal --tsa again)"
        return Sealed(made, last, why)
    store.keep_timestamp(last.seal_number, token)
    return Sealed(made, replace(last, timestamp=token), stamped_now=True)
