"""Whose retry is whose (I3): a request's `Idempotency-Key` is scoped to the caller before it reaches the log.

The log keeps `user_id:key`, so two users who pick the same key never see each other's results. The log's
keys are at most `MAX_IDEMPOTENCY_KEY_LENGTH` characters; when `user_id:key` is longer (a long key from the
200 the API allows, or a long user id), the log keeps a SHA-256 digest of the pair instead. The digest form
has no colon, so it can never equal another caller's plain `user:key`, and a digest of both parts keeps
keys apart per user as the plain form does.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

from eventstore.validation import MAX_IDEMPOTENCY_KEY_LENGTH

from .actors import Actor

DIGEST_PREFIX: Final = "sha256-"


def scoped_key(actor: Actor, key: str) -> str:
    """The key the log keeps for `actor`'s request `key`: `user_id:key`, or its digest when that is too long."""
    plain = f"{actor.user_id}:{key}"
    if len(plain) <= MAX_IDEMPOTENCY_KEY_LENGTH:
        return plain
    pair = json.dumps([actor.user_id, key], ensure_ascii=False).encode()
    return DIGEST_PREFIX + hashlib.sha256(pair).hexdigest()
