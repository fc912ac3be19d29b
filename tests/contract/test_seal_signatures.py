"""I7: seals signed by the sealing process's key; older unsigned seals stay verifiable and are counted apart."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from eventstore import EventStore, verify_store
from eventstore.seal_signing import check_signatures, seal_signer
from tests.support.events import noted

KEY = Ed25519PrivateKey.generate()


def test_a_signed_seal_reads_back_with_its_signature(store: EventStore) -> None:
    store.append("file-a", [noted("before signing")], expected_version=0)
    older = store.seal()
    store.append("file-a", [noted("after")], expected_version=1)
    made = store.seal(sign=seal_signer(KEY))

    assert older is not None and older.signature is None
    assert made is not None and made.signature is not None
    assert store.seals() == [older, made]
    report = check_signatures(store.seals(), KEY.public_key())
    assert (report.signed, report.unsigned, report.problem) == (1, 1, None)
    assert verify_store(store).ok


def test_a_seal_signed_with_another_key_is_named(store: EventStore) -> None:
    store.append("file-a", [noted()], expected_version=0)
    made = store.seal(sign=seal_signer(Ed25519PrivateKey.generate()))

    report = check_signatures(store.seals(), KEY.public_key())

    assert made is not None and report.problem is not None
    assert report.problem.position == made.up_to_position
    assert "seal 1 has a signature the sealing key did not make" in report.summary()


def test_an_unsigned_seal_after_signed_ones_is_named(store: EventStore) -> None:
    """Whoever can write the database but lacks the key can still seal, but not sign."""
    store.append("file-a", [noted()], expected_version=0)
    store.seal(sign=seal_signer(KEY))
    store.append("file-a", [noted()], expected_version=1)
    store.seal()

    report = check_signatures(store.seals(), KEY.public_key())

    assert report.problem is not None and "seal 2 is unsigned, but seals before it were signed" in report.summary()
